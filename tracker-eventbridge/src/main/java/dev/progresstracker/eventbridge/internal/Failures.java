package dev.progresstracker.eventbridge.internal;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Sorts failures into the ones worth retrying and the ones that will never succeed. */
final class Failures {

    /** Per-entry {@code ErrorCode}s that a later attempt may get through. */
    private static final Set<String> RETRYABLE_ENTRY_CODES = Set.of(
            "InternalFailure", "InternalException", "ThrottlingException", "ServiceUnavailable",
            "ServiceUnavailableException", "ConcurrentModificationException", "LimitExceededException");

    private Failures() {
    }

    static boolean isRetryableEntryCode(String code) {
        return RETRYABLE_ENTRY_CODES.contains(code);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Whether a failed call may succeed later: throttling, 5xx, timeouts and connection errors
     * yes; validation, access denied, missing resources and other 4xx no.
     */
    static boolean isRetryable(Throwable t) {
        t = unwrap(t);
        if (t instanceof AwsServiceException e) {
            int status = e.statusCode();
            return e.isThrottlingException() || status >= 500 || status == 429
                    || (e.awsErrorDetails() != null && isRetryableEntryCode(e.awsErrorDetails().errorCode()));
        }
        return t instanceof SdkClientException || t instanceof TimeoutException || t instanceof IOException;
    }

    /** Error code for logs and dead letters. */
    static String code(Throwable t) {
        t = unwrap(t);
        if (t instanceof AwsServiceException e && e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
            return e.awsErrorDetails().errorCode();
        }
        return t.getClass().getSimpleName();
    }

    static String message(Throwable t) {
        t = unwrap(t);
        if (t instanceof AwsServiceException e && e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null) {
            return e.awsErrorDetails().errorMessage();
        }
        return String.valueOf(t.getMessage());
    }
}

package dev.progresstracker.eventbridge.internal;

import java.io.IOException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Sorts failures into the ones worth retrying and the ones that will never succeed. */
final class Failures {

    /** Per-entry {@code ErrorCode}s that a later attempt may get through. */
    private static final Set<String> RETRYABLE_ENTRY_CODES = Set.of(
            "InternalFailure",
            "InternalException",
            "ThrottlingException",
            "ServiceUnavailable",
            "ServiceUnavailableException",
            "ConcurrentModificationException",
            "LimitExceededException");

    /** Error codes of credentials AWS does not accept (unknown key, bad signature, expired or missing token). */
    private static final Set<String> CREDENTIAL_CODES = Set.of(
            "UnrecognizedClientException",
            "InvalidSignatureException",
            "SignatureDoesNotMatch",
            "IncompleteSignature",
            "IncompleteSignatureException",
            "InvalidClientTokenId",
            "ExpiredToken",
            "ExpiredTokenException",
            "MissingAuthenticationToken",
            "MissingAuthenticationTokenException",
            "AuthFailure",
            "InvalidAccessKeyId");

    private static final Set<String> ACCESS_CODES =
            Set.of("AccessDeniedException", "AccessDenied", "NotAuthorizedForSourceException");

    /** Codes of a server that does not know the EventBridge API (the endpoint points elsewhere). */
    private static final Set<String> ENDPOINT_CODES =
            Set.of("UnknownOperationException", "InvalidAction", "UnknownOperation", "NotFound", "404");

    private Failures() {}

    static boolean isRetryableEntryCode(String code) {
        return code != null && RETRYABLE_ENTRY_CODES.contains(code);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Why a whole call failed: throttling, 5xx, timeouts and connection errors pass by themselves
     * ({@link FailureCause#outage()}); an unresolvable host, an answer that is not EventBridge's, bad
     * credentials, access denied and a missing bus are configuration errors; anything else is a rejection.
     */
    static FailureCause cause(Throwable t) {
        t = unwrap(t);
        if (t instanceof AwsServiceException e) {
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            int status = e.statusCode();
            if (e.isThrottlingException() || status >= 500 || status == 429 || isRetryableEntryCode(code)) {
                return FailureCause.THROTTLED_OR_SERVER_ERROR;
            }
            if (code != null && CREDENTIAL_CODES.contains(code)) {
                return FailureCause.BAD_CREDENTIALS;
            }
            if (code != null && ACCESS_CODES.contains(code)) {
                return FailureCause.ACCESS_DENIED;
            }
            if ("ResourceNotFoundException".equals(code)) {
                return FailureCause.MISSING_BUS;
            }
            if (status == 401 || status == 403) {
                // An authentication failure whose body the JSON protocol could not read (moto answers XML).
                return FailureCause.BAD_CREDENTIALS;
            }
            if (code == null || code.isBlank() || status == 404 || status == 405 || ENDPOINT_CODES.contains(code)) {
                return FailureCause.BAD_ENDPOINT;
            }
            return FailureCause.REJECTED;
        }
        if (hasCause(t, UnknownHostException.class)) {
            return FailureCause.BAD_ENDPOINT;
        }
        if (t instanceof SdkClientException && String.valueOf(t.getMessage()).contains("Unable to load credentials")) {
            return FailureCause.BAD_CREDENTIALS;
        }
        if (t instanceof SdkClientException && String.valueOf(t.getMessage()).contains("Unable to unmarshall")) {
            return FailureCause.BAD_ENDPOINT;
        }
        if (t instanceof SdkClientException || t instanceof TimeoutException || t instanceof IOException) {
            return FailureCause.UNREACHABLE;
        }
        return FailureCause.REJECTED;
    }

    /** The cause of a per-entry {@code ErrorCode} that is not retryable. */
    static FailureCause entryCause(String code) {
        if (code != null && ACCESS_CODES.contains(code)) {
            return FailureCause.ACCESS_DENIED;
        }
        return "ResourceNotFoundException".equals(code) ? FailureCause.MISSING_BUS : FailureCause.REJECTED;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** Error code for logs and dead letters. */
    static String code(Throwable t) {
        t = unwrap(t);
        if (t instanceof AwsServiceException e
                && e.awsErrorDetails() != null
                && e.awsErrorDetails().errorCode() != null) {
            return e.awsErrorDetails().errorCode();
        }
        return t.getClass().getSimpleName();
    }

    static String message(Throwable t) {
        t = unwrap(t);
        if (t instanceof TimeoutException) {
            return "no answer within the API call timeout";
        }
        if (t instanceof AwsServiceException e
                && e.awsErrorDetails() != null
                && e.awsErrorDetails().errorMessage() != null) {
            return e.awsErrorDetails().errorMessage();
        }
        return String.valueOf(t.getMessage());
    }
}

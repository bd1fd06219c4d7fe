package dev.progresstracker.dynamodb.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Waiting on SDK futures, and telling retryable failures from final ones. */
public final class Async {

    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private Async() {}

    /** Joins {@code f}, rethrowing the SDK's own exception rather than a wrapper. */
    public static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new IllegalStateException("interrupted while waiting for DynamoDB", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static RuntimeException rethrow(Throwable t) {
        t = unwrap(t);
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(t);
    }

    /**
     * Whether another attempt may succeed: client-side failures (timeouts, resets), throttling,
     * 5xx, and transactions cancelled only by a conflicting transaction or throttling.
     */
    public static boolean isRetryable(Throwable t) {
        t = unwrap(t);
        if (t instanceof TransactionCanceledException tce) {
            if (!tce.hasCancellationReasons()) {
                return false;
            }
            for (CancellationReason r : tce.cancellationReasons()) {
                String code = r.code();
                if (code != null
                        && !"None".equals(code)
                        && !"TransactionConflict".equals(code)
                        && !"ThrottlingError".equals(code)
                        && !"ProvisionedThroughputExceeded".equals(code)) {
                    return false;
                }
            }
            return true;
        }
        if (t instanceof SdkServiceException se) {
            return se.isThrottlingException() || se.statusCode() >= 500;
        }
        return t instanceof SdkClientException || t instanceof java.io.IOException;
    }

    /** A failure in words for messages; a missing table (or index) is said so plainly. */
    public static String describe(Throwable t) {
        t = unwrap(t);
        if (t instanceof software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException) {
            return "the table does not exist or is not active (" + t.getMessage() + ")";
        }
        return t.toString();
    }

    /** Whether a cancelled transaction failed a condition (as opposed to conflicting or throttling). */
    public static boolean isConditionFailure(Throwable t) {
        t = unwrap(t);
        if (t instanceof TransactionCanceledException tce) {
            if (tce.hasCancellationReasons()) {
                for (CancellationReason r : tce.cancellationReasons()) {
                    if ("ConditionalCheckFailed".equals(r.code())) {
                        return true;
                    }
                }
                return false;
            }
            String m = String.valueOf(tce.getMessage());
            return m.contains("ConditionalCheckFailed");
        }
        return t instanceof software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
    }

    /** Exponential backoff with equal jitter: uniform in [c/2, c], c = min(5 s, base * 2^(attempt-1)). */
    public static long backoffMillis(Duration base, int attempt) {
        long b = Math.max(1, base.toMillis());
        long ceiling = Math.min(MAX_BACKOFF_MILLIS, b << Math.min(20, Math.max(0, attempt - 1)));
        return ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    }
}

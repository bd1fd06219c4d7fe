package dev.progresstracker.dynamodb.internal;

import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * The time and attempts one write may spend: every attempt is one SDK call bounded by
 * {@code writeAttemptTimeout} (the SDK's own retries included), and no attempt starts after
 * {@code writeTimeout} from the write's first one. Immutable; thread-safe.
 */
public final class WriteBudget {

    /** Something that wants to hear about each failed attempt that will be retried. */
    public interface RetryListener {
        void retrying(Throwable cause);
    }

    private final DynamoDbStoreConfig config;
    private final WriteStats stats;
    private final long startNanos;
    private final long deadlineNanos;

    private WriteBudget(DynamoDbStoreConfig config, WriteStats stats, long startNanos) {
        this.config = config;
        this.stats = stats;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + config.writeTimeout().toNanos();
    }

    /** A budget starting now. */
    public static WriteBudget start(DynamoDbStoreConfig config, WriteStats stats) {
        return new WriteBudget(config, stats, System.nanoTime());
    }

    /** Settings for one attempt's request: its time bound and the SDK-retry counter. */
    public Consumer<AwsRequestOverrideConfiguration.Builder> attempt() {
        long remaining = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
        Duration timeout =
                Duration.ofMillis(Math.min(config.writeAttemptTimeout().toMillis(), remaining));
        return o -> o.apiCallTimeout(timeout).addMetricPublisher(stats);
    }

    /** Settings for a request outside any write (reads, deletes): the attempt bound and the counter. */
    public static Consumer<AwsRequestOverrideConfiguration.Builder> single(
            DynamoDbStoreConfig config, WriteStats stats) {
        return o -> o.apiCallTimeout(config.writeAttemptTimeout()).addMetricPublisher(stats);
    }

    /**
     * The delay before attempt {@code attempt + 1}, or -1 when the write must give up: no attempts
     * left, or the next one would start after the deadline.
     */
    public long retryDelayMillis(int attempt) {
        if (attempt >= config.writeAttempts()) {
            return -1;
        }
        long delay = Async.backoffMillis(config.writeRetryBaseDelay(), attempt);
        return System.nanoTime() + delay * 1_000_000 < deadlineNanos ? delay : -1;
    }

    /** How long this write has run, for messages. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Why the write gave up, for messages: "after 3 attempt(s) in 60.2 s (writeTimeout PT1M, writeAttempts 8)". */
    public String spent(int attempts) {
        return "after " + attempts + " attempt(s) in " + elapsed().toMillis() + " ms (writeTimeout "
                + config.writeTimeout() + ", writeAttempts " + config.writeAttempts() + ", writeAttemptTimeout "
                + config.writeAttemptTimeout() + ")";
    }
}

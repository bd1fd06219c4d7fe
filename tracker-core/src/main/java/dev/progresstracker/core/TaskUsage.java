package dev.progresstracker.core;

import java.time.Duration;

/**
 * What one task consumed so far, as recorded through {@link ProgressTracker#recordApiCall},
 * {@link ProgressTracker#recordRateLimit}, {@link ProgressTracker#recordUsage} and
 * {@link ProgressTracker#setQuality}. Totals since the task was added (retries included); the
 * {@code usage} block of task events. Immutable.
 *
 * @param apiCalls          external API calls made, successful or not
 * @param apiCallsFailed    of those, the failed ones
 * @param apiLatencyMillis  summed latency of the calls
 * @param rateLimitHits     times the task was throttled
 * @param rateLimitDelayMillis summed time the task waited because of throttling
 * @param tokensIn          model input tokens
 * @param tokensOut         model output tokens
 * @param cost              estimated cost of the tokens at the configured {@link UsagePricing}, in {@code currency}
 * @param currency          the pricing's currency; null while no priced model was used
 * @param quality           the task's quality score in 0..1 as last set, null when never set
 */
public record TaskUsage(
        long apiCalls,
        long apiCallsFailed,
        long apiLatencyMillis,
        long rateLimitHits,
        long rateLimitDelayMillis,
        long tokensIn,
        long tokensOut,
        double cost,
        String currency,
        Double quality) {

    /** Nothing recorded. */
    public static final TaskUsage NONE = new TaskUsage(0, 0, 0, 0, 0, 0, 0, 0, null, null);

    public TaskUsage {
        if (apiCalls < 0
                || apiCallsFailed < 0
                || apiCallsFailed > apiCalls
                || apiLatencyMillis < 0
                || rateLimitHits < 0
                || rateLimitDelayMillis < 0
                || tokensIn < 0
                || tokensOut < 0
                || !(cost >= 0)
                || Double.isInfinite(cost)) {
            throw new IllegalArgumentException("usage counters must be non-negative (and failed calls within calls): "
                    + apiCalls + "/" + apiCallsFailed + " calls, " + rateLimitHits + " rate limits, "
                    + tokensIn + "/" + tokensOut + " tokens, cost " + cost);
        }
        if (quality != null && !(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("quality must be within 0..1, got " + quality);
        }
    }

    public long apiCallsSucceeded() {
        return apiCalls - apiCallsFailed;
    }

    public Duration rateLimitDelay() {
        return Duration.ofMillis(rateLimitDelayMillis);
    }

    /** Whether anything was recorded (tasks without usage carry no {@code usage} block on the wire). */
    public boolean isEmpty() {
        return equals(NONE);
    }
}

package dev.progresstracker.core;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The running sum behind {@link UsageTotals#of} and {@link RunUsage#of}: one place that says what
 * counts. Not thread-safe; used within one call.
 */
final class UsageSum {

    private int tasks;
    private int completed;
    private long calls;
    private long failed;
    private long hits;
    private long delayMillis;
    private long tokensIn;
    private long tokensOut;
    private double cost;
    private String currency;
    private long retries;
    private double qualityWeight;
    private double qualityWeighted;

    /** Adds {@code t}; {@code leaf}: it has no children (its completion and retries are work, not roll-up). */
    void add(TaskView t, boolean leaf) {
        TaskUsage u = t.usage();
        tasks++;
        if (leaf) {
            if (t.status() == TaskStatus.COMPLETED) {
                completed++;
            }
            retries += Math.max(0, t.attempt() - 1);
        }
        calls += u.apiCalls();
        failed += u.apiCallsFailed();
        hits += u.rateLimitHits();
        delayMillis += u.rateLimitDelayMillis();
        tokensIn += u.tokensIn();
        tokensOut += u.tokensOut();
        cost += u.cost();
        if (u.currency() != null) {
            currency = u.currency();
        }
        if (u.quality() != null) {
            qualityWeight += t.weight();
            qualityWeighted += t.weight() * u.quality();
        }
    }

    UsageTotals totals() {
        OptionalDouble quality = qualityWeight > 0
                ? OptionalDouble.of(Math.min(1.0, qualityWeighted / qualityWeight))
                : OptionalDouble.empty();
        return new UsageTotals(
                tasks,
                completed,
                calls,
                failed,
                hits,
                Duration.ofMillis(delayMillis),
                tokensIn,
                tokensOut,
                cost,
                currency,
                retries,
                quality);
    }
}

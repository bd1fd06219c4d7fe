package dev.progresstracker.analytics;

import dev.progresstracker.core.TaskUsage;
import java.util.Objects;

/**
 * The run-level usage the alert rules read, folded from the tasks' cumulative {@code usage} blocks
 * as they change: total estimated cost, and the quality scores in the order they were set (a
 * ring of the newest {@code 2 × window}, for the recent window and the one before it).
 * Not thread-safe: {@link RunAnalytics} calls it under its owner's lock.
 */
final class UsageStats {

    private final int window;
    private final double[] scores;
    private long scoreCount;
    private double cost;
    private String currency;
    private double qualitySum;
    private int qualityTasks;
    private long rateLimitHits;
    private long rateLimitDelayMillis;

    UsageStats(int window) {
        this.window = window;
        this.scores = new double[2 * window];
    }

    /** Folds one task's change from {@code before} to {@code after}; returns the new rate-limit hits. */
    long change(TaskUsage before, TaskUsage after) {
        cost += Math.max(0, after.cost() - before.cost());
        if (after.currency() != null) {
            currency = after.currency();
        }
        Double q = after.quality();
        if (q != null && !Objects.equals(q, before.quality())) {
            scores[(int) (scoreCount++ % scores.length)] = q;
            if (before.quality() == null) {
                qualityTasks++;
            } else {
                qualitySum -= before.quality();
            }
            qualitySum += q;
        }
        long hits = Math.max(0, after.rateLimitHits() - before.rateLimitHits());
        rateLimitHits += hits;
        rateLimitDelayMillis += Math.max(0, after.rateLimitDelayMillis() - before.rateLimitDelayMillis());
        return hits;
    }

    /** Mean recorded wait per rate-limit hit in seconds; 0 before any. */
    double meanRateLimitDelaySeconds() {
        return rateLimitHits == 0 ? 0 : rateLimitDelayMillis / 1000.0 / rateLimitHits;
    }

    double cost() {
        return cost;
    }

    /** The pricing's currency, null while nothing was priced. */
    String currency() {
        return currency;
    }

    /** Mean of the tasks' current quality scores (unweighted); NaN when none has one. */
    double runQuality() {
        return qualityTasks == 0 ? Double.NaN : qualitySum / qualityTasks;
    }

    /** Quality scores set so far, re-scores included. */
    long scores() {
        return scoreCount;
    }

    /** Mean of the newest {@code window} scores; NaN with fewer. */
    double recentQuality() {
        return mean(0);
    }

    /** Mean of the {@code window} scores before the recent window; NaN with fewer than {@code 2 × window} scores. */
    double previousQuality() {
        return mean(window);
    }

    private double mean(int skip) {
        if (scoreCount < window + skip) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < window; i++) {
            sum += scores[(int) ((scoreCount - 1 - skip - i) % scores.length)];
        }
        return sum / window;
    }
}

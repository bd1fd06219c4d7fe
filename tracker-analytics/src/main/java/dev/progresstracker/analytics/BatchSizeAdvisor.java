package dev.progresstracker.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Recommends the next batch size for work done in batches (draining or upgrading nodes), from the
 * recent batches' performance score:
 * {@code score = successWeight × successRate + (1 − successWeight) × throughput / bestThroughput},
 * over the last {@code window} batches (throughput in items per second; best = best single batch
 * recorded). The next size is the last size × 1.3 (score &gt; 0.8), 1.1 (&gt; 0.6), 1.0 (&gt; 0.4),
 * 0.8 (&gt; 0.2) or 0.6 (otherwise): strict, as in the scaling rule it comes from, so a score of
 * exactly 0.8 earns ×1.1, moving at least one item when the factor is not 1, clamped to
 * {@code minBatchSize..maxBatchSize}. Thread-safe; time from the injected clock.
 */
public final class BatchSizeAdvisor {

    /** Score thresholds, highest first, and the factor each one earns. */
    static final double[] THRESHOLDS = {0.8, 0.6, 0.4, 0.2};

    static final double[] FACTORS = {1.3, 1.1, 1.0, 0.8, 0.6};

    /** One finished batch. */
    public record BatchMetrics(int size, Duration duration, int successes, int failures, Instant finishedAt) {
        public BatchMetrics {
            if (size < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + size);
            }
            Objects.requireNonNull(duration, "duration must not be null");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("batch duration must be positive, got " + duration);
            }
            if (successes < 0 || failures < 0 || successes + failures > size) {
                throw new IllegalArgumentException("successes (" + successes + ") and failures (" + failures
                        + ") must be >= 0 and add up to at most the batch size " + size);
            }
            Objects.requireNonNull(finishedAt, "finishedAt must not be null");
        }

        double itemsPerSecond() {
            return size / (duration.toNanos() / 1e9);
        }
    }

    /** Items per second and success rate of the batches of one size. */
    public record Efficiency(int batches, double itemsPerSecond, double successRate) {}

    /**
     * What to do next, and why.
     *
     * @param predictedDuration time a batch of {@code recommendedSize} should take, empty before any batch
     */
    public record Recommendation(
            int currentSize,
            int recommendedSize,
            double score,
            double factor,
            boolean scaleNow,
            Optional<Duration> predictedDuration,
            List<String> reasons) {
        public Recommendation {
            reasons = List.copyOf(reasons);
        }
    }

    private final BatchAdvisorConfig config;
    private final Clock clock;
    private final Deque<BatchMetrics> history = new ArrayDeque<>();
    private Instant lastSizeChange;
    private double bestItemsPerSecond;

    public BatchSizeAdvisor(BatchAdvisorConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    /** Records a batch that finished now. */
    public void record(int size, Duration duration, int successes, int failures) {
        record(new BatchMetrics(size, duration, successes, failures, clock.instant()));
    }

    public synchronized void record(BatchMetrics m) {
        Objects.requireNonNull(m, "metrics must not be null");
        if (!history.isEmpty() && history.peekLast().size() != m.size()) {
            lastSizeChange = m.finishedAt().minus(m.duration()); // the new size started then
        }
        history.addLast(m);
        if (history.size() > config.historySize()) {
            history.removeFirst();
        }
        bestItemsPerSecond = Math.max(bestItemsPerSecond, m.itemsPerSecond());
    }

    /** Size of the last recorded batch, or the initial size. */
    public synchronized int currentBatchSize() {
        return history.isEmpty()
                ? config.initialBatchSize()
                : history.peekLast().size();
    }

    /** Performance score 0..1 over the recent window; NaN before any batch. */
    public synchronized double performanceScore() {
        if (history.isEmpty()) {
            return Double.NaN;
        }
        long items = 0;
        long ok = 0;
        long done = 0;
        double seconds = 0;
        for (BatchMetrics m : recent()) {
            items += m.size();
            ok += m.successes();
            done += m.successes() + m.failures();
            seconds += m.duration().toNanos() / 1e9;
        }
        double success = done == 0 ? 0 : ok / (double) done;
        double relative = Math.min(1, items / seconds / bestItemsPerSecond);
        return config.successWeight() * success + (1 - config.successWeight()) * relative;
    }

    /** The factor a score earns: 1.3 / 1.1 / 1.0 / 0.8 / 0.6 above thresholds 0.8 / 0.6 / 0.4 / 0.2 (strictly). */
    public static double factorFor(double score) {
        for (int i = 0; i < THRESHOLDS.length; i++) {
            if (score > THRESHOLDS[i]) {
                return FACTORS[i];
            }
        }
        return FACTORS[FACTORS.length - 1];
    }

    public synchronized int recommendBatchSize() {
        return recommendation().recommendedSize();
    }

    /** True if the recommendation differs from the current size and the cooldown since the last change has passed. */
    public synchronized boolean shouldScaleNow() {
        return recommendation().scaleNow();
    }

    /**
     * Time {@code items} should take: least-squares {@code fixed + perItem × items} over the history when
     * it holds at least two sizes and the fit is sensible, else the mean time per item × items.
     * Empty before any batch.
     */
    public synchronized Optional<Duration> predictProcessingTime(int items) {
        if (items < 1) {
            throw new IllegalArgumentException("items must be at least 1, got " + items);
        }
        if (history.isEmpty()) {
            return Optional.empty();
        }
        double n = history.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (BatchMetrics m : history) {
            double x = m.size();
            double y = m.duration().toNanos() / 1e9;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double varX = sxx - sx * sx / n;
        double seconds;
        double slope = varX > 1e-9 ? (sxy - sx * sy / n) / varX : Double.NaN;
        double intercept = (sy - slope * sx) / n;
        if (!Double.isNaN(slope) && slope > 0 && intercept >= 0) {
            seconds = intercept + slope * items;
        } else {
            seconds = sy / sx * items;
        }
        return Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
    }

    /** Per batch size seen in the history: batches, items per second, success rate. Ascending by size. */
    public synchronized SortedMap<Integer, Efficiency> efficiencyByBatchSize() {
        TreeMap<Integer, long[]> counts = new TreeMap<>();
        TreeMap<Integer, Double> seconds = new TreeMap<>();
        for (BatchMetrics m : history) {
            long[] c = counts.computeIfAbsent(m.size(), k -> new long[4]);
            c[0]++;
            c[1] += m.size();
            c[2] += m.successes();
            c[3] += m.successes() + m.failures();
            seconds.merge(m.size(), m.duration().toNanos() / 1e9, Double::sum);
        }
        TreeMap<Integer, Efficiency> out = new TreeMap<>();
        counts.forEach((size, c) -> out.put(
                size, new Efficiency((int) c[0], c[1] / seconds.get(size), c[3] == 0 ? 0 : c[2] / (double) c[3])));
        return Collections.unmodifiableSortedMap(out);
    }

    /** The combined advice: recommended size, score, factor, whether to change now, predicted time, reasons. */
    public synchronized Recommendation recommendation() {
        int current = currentBatchSize();
        List<String> reasons = new ArrayList<>();
        if (history.isEmpty()) {
            reasons.add("no batch recorded yet: start with " + current);
            return new Recommendation(current, current, Double.NaN, 1.0, false, Optional.empty(), reasons);
        }
        double score = performanceScore();
        double factor = factorFor(score);
        int target = (int) Math.round(current * factor);
        if (factor > 1) {
            target = Math.max(target, current + 1);
        } else if (factor < 1) {
            target = Math.min(target, current - 1);
        }
        int clamped = Math.max(config.minBatchSize(), Math.min(config.maxBatchSize(), target));
        int n = recent().size();
        reasons.add(String.format(
                Locale.ROOT, "performance score %.2f over the last %d batch(es) → ×%.1f", score, n, factor));
        if (clamped != target) {
            reasons.add("clamped from " + target + " to "
                    + (clamped == config.maxBatchSize() ? "maxBatchSize " : "minBatchSize ") + clamped);
        }
        Instant now = clock.instant();
        boolean cooled = lastSizeChange == null || !now.isBefore(lastSizeChange.plus(config.cooldown()));
        boolean scale = clamped != current && cooled;
        if (clamped != current && !cooled) {
            reasons.add("in cooldown: size last changed " + Insights.human(RunAnalytics.seconds(lastSizeChange, now))
                    + " ago, cooldown " + Insights.human(config.cooldown().toSeconds()));
        }
        efficiencyByBatchSize().entrySet().stream()
                .max((a, b) -> Double.compare(
                        a.getValue().itemsPerSecond(), b.getValue().itemsPerSecond()))
                .ifPresent(best -> reasons.add(String.format(
                        Locale.ROOT,
                        "most efficient size so far: %d (%.2f items/s, %.0f %% success)",
                        best.getKey(),
                        best.getValue().itemsPerSecond(),
                        100 * best.getValue().successRate())));
        return new Recommendation(current, clamped, score, factor, scale, predictProcessingTime(clamped), reasons);
    }

    private List<BatchMetrics> recent() {
        List<BatchMetrics> out = new ArrayList<>(config.window());
        Iterator<BatchMetrics> it = history.descendingIterator();
        while (it.hasNext() && out.size() < config.window()) {
            out.add(it.next());
        }
        return out;
    }
}

package dev.progresstracker.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run's completions, items and rate-limit hits per time bucket ({@code throughputBucket} wide),
 * the last {@code historySize} buckets in a ring: what {@link RunAnalytics}' rates, peak and history
 * are computed from. O(1) per addition. Not thread-safe (its {@link RunAnalytics}' caller's lock).
 */
final class ThroughputBuckets {

    /** What a bucket counts. */
    enum Series {
        TASKS,
        ITEMS,
        RATE_LIMITS
    }

    private final long bucketNanos;
    private final int window;
    private final long[] index;
    private final double[][] values;

    /**
     * @param window buckets a rate is taken over ({@code throughputWindow})
     */
    ThroughputBuckets(long bucketNanos, int historySize, int window) {
        this.bucketNanos = bucketNanos;
        this.window = window;
        this.index = new long[historySize];
        Arrays.fill(index, Long.MIN_VALUE);
        this.values = new double[Series.values().length][historySize];
    }

    /** Adds to the bucket of {@code t}. */
    void add(Instant t, double tasksDone, double itemsDone, double rateLimitHits) {
        long i = Math.floorDiv(nanos(t), bucketNanos);
        int slot = (int) Math.floorMod(i, (long) index.length);
        if (index[slot] != i) {
            index[slot] = i;
            for (double[] v : values) {
                v[slot] = 0;
            }
        }
        values[Series.TASKS.ordinal()][slot] += tasksDone;
        values[Series.ITEMS.ordinal()][slot] += itemsDone;
        values[Series.RATE_LIMITS.ordinal()][slot] += rateLimitHits;
    }

    /** Per minute over the last {@code window} buckets up to {@code now}, never before {@code started}. */
    double windowRate(Series series, Instant now, Instant started) {
        if (started == null) {
            return 0;
        }
        long current = Math.floorDiv(nanos(now), bucketNanos);
        double sum = 0;
        for (int i = 0; i < window; i++) {
            sum += value(current - i, series);
        }
        // The window is the full buckets before now plus the elapsed part of the current one, but never before the
        // start.
        long windowStart = (current - window + 1) * bucketNanos;
        double minutes = (nanos(now) - Math.max(windowStart, nanos(started))) / 60e9;
        return minutes <= 0 ? 0 : sum / minutes;
    }

    /** Completed buckets from {@code started} to {@code now}, oldest first, as per-minute rates. */
    List<RunReport.ThroughputPoint> history(Instant now, Instant started) {
        List<RunReport.ThroughputPoint> out = new ArrayList<>();
        if (started == null) {
            return out;
        }
        long current = Math.floorDiv(nanos(now), bucketNanos);
        long first = Math.max(Math.floorDiv(nanos(started), bucketNanos), current - index.length + 1);
        double perMinute = 60e9 / bucketNanos;
        for (long i = first; i < current; i++) {
            out.add(new RunReport.ThroughputPoint(
                    Instant.ofEpochSecond(0, 0).plusNanos(i * bucketNanos),
                    value(i, Series.TASKS) * perMinute,
                    value(i, Series.ITEMS) * perMinute));
        }
        return out;
    }

    /**
     * The best bucket's completions per minute, each bucket's count over the part of it between
     * {@code from} and {@code to}, among buckets covered at least half (a bucket a few seconds old
     * would turn one completion into a spike); 0 if none.
     */
    double peakTasksPerMinute(Instant from, Instant to) {
        long start = nanos(from);
        long end = nanos(to);
        long first = Math.max(Math.floorDiv(start, bucketNanos), Math.floorDiv(end, bucketNanos) - index.length + 1);
        double peak = 0;
        for (long i = first; i <= Math.floorDiv(end, bucketNanos); i++) {
            long covered = Math.min(end, (i + 1) * bucketNanos) - Math.max(start, i * bucketNanos);
            if (2 * covered >= bucketNanos) {
                peak = Math.max(peak, value(i, Series.TASKS) / (covered / 60e9));
            }
        }
        return peak;
    }

    private double value(long i, Series series) {
        int slot = (int) Math.floorMod(i, (long) index.length);
        return index[slot] == i ? values[series.ordinal()][slot] : 0;
    }

    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}

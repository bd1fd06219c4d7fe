package dev.progresstracker.analytics;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.EtaSample;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Remaining time from the progress rate over a recent window: the last {@code maxSamples}
 * observations, and of those only the ones newer than {@code window}. The rate is measured up to
 * "now", so a stall (no progress) lowers it and the estimate grows while nothing happens.
 * No band. Not thread-safe (the tracker calls it under its lock).
 */
public final class SlidingWindowEstimator implements EtaEstimator {

    /** Default number of observations kept: {@value}. */
    public static final int DEFAULT_MAX_SAMPLES = 50;
    /** Default age limit of observations: 5 minutes. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private final int maxSamples;
    private final long windowNanos;
    private final long[] times;
    private final double[] percents;
    private int head;
    private int size;
    private double percent;

    /** {@link #DEFAULT_MAX_SAMPLES} samples within {@link #DEFAULT_WINDOW}. */
    public SlidingWindowEstimator() {
        this(DEFAULT_MAX_SAMPLES, DEFAULT_WINDOW);
    }

    public SlidingWindowEstimator(int maxSamples, Duration window) {
        if (maxSamples < 2) {
            throw new IllegalArgumentException("maxSamples must be at least 2, got " + maxSamples);
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be a positive duration, got " + window);
        }
        this.maxSamples = maxSamples;
        this.windowNanos = window.toNanos();
        this.times = new long[maxSamples];
        this.percents = new double[maxSamples];
    }

    @Override
    public String name() {
        return "window";
    }

    @Override
    public void observe(EtaSample sample) {
        double p = sample.runPercent();
        if (size > 0 && p < percents[index(size - 1)]) {
            size = 0; // a retry took progress back: older samples no longer describe the work left
        }
        long t = nanos(sample.time());
        if (size > 0 && p == percents[index(size - 1)] && size > 1 && p == percents[index(size - 2)]) {
            times[index(size - 1)] = t; // keep a flat stretch as two points, not dozens
        } else {
            if (size == maxSamples) {
                head = (head + 1) % maxSamples;
                size--;
            }
            times[index(size)] = t;
            percents[index(size)] = p;
            size++;
        }
        percent = p;
    }

    @Override
    public Optional<Eta> estimate(Instant now) {
        if (percent >= 100) {
            return Optional.of(new Eta(0, 0, 0, 1.0, name()));
        }
        if (size == 0) {
            return Optional.empty();
        }
        long t = nanos(now);
        // Anchor on the newest sample at or before the window start, so the window is fully covered.
        int first = 0;
        while (first < size - 1 && t - times[index(first + 1)] >= windowNanos) {
            first++;
        }
        double dp = percent - percents[index(first)];
        if (dp <= 0) {
            first = 0; // stalled longer than the window: fall back to every sample kept
            dp = percent - percents[index(first)];
        }
        double dt = (t - times[index(first)]) / 1e9;
        if (dp <= 0 || dt <= 0) {
            return Optional.empty();
        }
        long s = Math.round((100 - percent) * dt / dp);
        return Optional.of(new Eta(s, s, s, Math.min(1, size / (double) maxSamples) * percent / 100, name()));
    }

    @Override
    public void resumed(Instant now, double runPercent) {
        size = 0;
        percent = runPercent;
        observe(new EtaSample(now, null, runPercent, null, 0));
    }

    private int index(int i) {
        return (head + i) % maxSamples;
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}

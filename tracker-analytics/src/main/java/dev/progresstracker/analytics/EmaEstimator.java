package dev.progresstracker.analytics;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.EtaSample;
import dev.progresstracker.core.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Remaining time from an exponentially smoothed progress rate: each observation that moves the run
 * percent contributes the rate since the previous such observation, weighted by {@code smoothing}.
 * The band is ±2 smoothed deviations of the rate. Not thread-safe (the tracker calls it under its lock).
 */
public final class EmaEstimator implements EtaEstimator {

    /** Weight of the newest rate sample; default {@value}. */
    public static final double DEFAULT_SMOOTHING = 0.3;

    private final double smoothing;
    private double lastMove = Double.NaN; // seconds on the caller's time axis
    private double lastPercent = Double.NaN;
    private double rate = Double.NaN;
    private double deviation;
    private double percent;

    /** An estimator with {@link #DEFAULT_SMOOTHING}. */
    public EmaEstimator() {
        this(DEFAULT_SMOOTHING);
    }

    /** @param smoothing weight of the newest sample, in (0, 1]; 1 means "last rate only" */
    public EmaEstimator(double smoothing) {
        if (!(smoothing > 0 && smoothing <= 1)) {
            throw new IllegalArgumentException("smoothing must be within (0, 1], got " + smoothing);
        }
        this.smoothing = smoothing;
    }

    @Override
    public String name() {
        return "ema";
    }

    @Override
    public void observe(EtaSample sample) {
        observeAt(seconds(sample.time()), sample.type(), sample.runPercent());
    }

    /** {@link #observe} on a time axis in seconds (the adaptive estimator feeds it work time). */
    void observeAt(double time, EventType type, double runPercent) {
        percent = runPercent;
        if (Double.isNaN(lastMove) || type == EventType.UPGRADE_STARTED && Double.isNaN(rate)) {
            lastMove = time;
            lastPercent = percent;
            return;
        }
        if (percent < lastPercent) {
            // A retry took progress back: measure from the new level, keep the learnt rate.
            lastPercent = percent;
            return;
        }
        if (percent == lastPercent) {
            return;
        }
        double dt = time - lastMove;
        if (dt <= 0) {
            return; // same instant: fold into the next interval
        }
        double r = (percent - lastPercent) / dt;
        if (Double.isNaN(rate)) {
            rate = r;
        } else {
            deviation = (1 - smoothing) * deviation + smoothing * Math.abs(r - rate);
            rate = (1 - smoothing) * rate + smoothing * r;
        }
        lastMove = time;
        lastPercent = percent;
    }

    /** Remaining seconds at the smoothed rate; NaN without one. */
    double remainingSeconds() {
        if (percent >= 100) {
            return 0;
        }
        return Double.isNaN(rate) || rate <= 0 ? Double.NaN : (100 - percent) / rate;
    }

    @Override
    public Optional<Eta> estimate(Instant now) {
        if (percent >= 100) {
            return Optional.of(new Eta(0, 0, 0, 1.0, name()));
        }
        if (Double.isNaN(rate) || rate <= 0) {
            return Optional.empty();
        }
        double remaining = (100 - percent) / rate;
        double fast = rate + 2 * deviation;
        double slow = Math.max(rate - 2 * deviation, rate / 10);
        long s = Math.round(remaining);
        long low = Math.min(s, Math.round((100 - percent) / fast));
        long high = Math.max(s, Math.round((100 - percent) / slow));
        double confidence = Math.max(0, Math.min(1, 1 - deviation / rate)) * Math.min(1, percent / 20);
        return Optional.of(new Eta(s, low, high, confidence, name()));
    }

    @Override
    public void resumed(Instant now, double runPercent) {
        resumedAt(seconds(now), runPercent);
    }

    void resumedAt(double time, double runPercent) {
        lastMove = time;
        lastPercent = runPercent;
        percent = runPercent;
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}

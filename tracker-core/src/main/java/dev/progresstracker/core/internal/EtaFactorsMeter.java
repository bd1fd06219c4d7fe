package dev.progresstracker.core.internal;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.EtaFactors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Computes {@link EtaFactors} each time the tracker computes an ETA, from the run's percent at
 * earlier ETA computations (at most one sample per second, kept for one window and one more), the
 * run's summed rate-limit delay and its task weights. Off the hot path: ETAs are computed on reads
 * and when an event's cached ETA is due. Guarded by the tracker's lock.
 */
final class EtaFactorsMeter {

    private static final long WINDOW_MILLIS = EtaFactors.WINDOW_SECONDS * 1000;

    private record Sample(Instant time, double percent, long etaSeconds) {}

    private final RunModel model;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    EtaFactorsMeter(RunModel model) {
        this.model = model;
    }

    /** {@code eta} with its completion time and the factors at {@code now}; remembers the sample. */
    Eta complete(Eta eta, Instant now) {
        double percent = model.percent();
        double average = perMinute(percent, model.startedAt, now);
        double current = average;
        Double accuracy = null;
        Sample windowStart = null;
        Sample predictor = null;
        for (Sample s : samples) {
            long age = Duration.between(s.time, now).toMillis();
            if (age >= WINDOW_MILLIS) {
                predictor = s; // the newest sample at least a window old
            } else if (windowStart == null && age > 0) {
                windowStart = s;
            }
        }
        if (windowStart != null) {
            current = (percent - windowStart.percent)
                    * 60_000.0
                    / Duration.between(windowStart.time, now).toMillis();
        }
        if (predictor != null) {
            accuracy = accuracy(predictor, percent, now);
        }
        EtaFactors factors = new EtaFactors(current, average, rateLimitImpact(now), model.complexityFactor(), accuracy);
        remember(new Sample(now, percent, eta.seconds()));
        return eta.at(now, factors);
    }

    private static double accuracy(Sample s, double percent, Instant now) {
        double left = 100 - s.percent;
        double elapsed = Duration.between(s.time, now).toMillis() / 1000.0;
        double predicted = s.etaSeconds <= 0 ? left : left * Math.min(1.0, elapsed / s.etaSeconds);
        double actual = Math.max(0, percent - s.percent);
        double hi = Math.max(predicted, actual);
        return hi <= 0 ? 1.0 : Math.min(predicted, actual) / hi;
    }

    private double rateLimitImpact(Instant now) {
        if (model.startedAt == null || model.rateLimitDelayMillis == 0) {
            return 0;
        }
        long elapsed = Duration.between(model.startedAt, model.finishedAt != null ? model.finishedAt : now)
                .toMillis();
        return elapsed <= 0 ? 1.0 : Math.min(1.0, (double) model.rateLimitDelayMillis / elapsed);
    }

    private static double perMinute(double percent, Instant from, Instant now) {
        if (from == null) {
            return 0;
        }
        long millis = Duration.between(from, now).toMillis();
        return millis <= 0 ? 0 : percent * 60_000.0 / millis;
    }

    private void remember(Sample sample) {
        Sample last = samples.peekLast();
        if (last != null && Duration.between(last.time, sample.time).toMillis() < 1000) {
            return;
        }
        samples.addLast(sample);
        // Keep the newest sample at least a window old (the accuracy's predictor) and everything younger.
        while (samples.size() >= 2) {
            Iterator<Sample> it = samples.iterator();
            it.next();
            if (Duration.between(it.next().time, sample.time).toMillis() < WINDOW_MILLIS) {
                break;
            }
            samples.removeFirst();
        }
    }
}

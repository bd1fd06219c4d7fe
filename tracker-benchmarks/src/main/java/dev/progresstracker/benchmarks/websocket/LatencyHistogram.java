package dev.progresstracker.benchmarks.websocket;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free latency histogram: 10 µs buckets up to 100 ms, then 1 ms buckets up to 60 s, plus the
 * exact maximum. Enough resolution for p50/p99 of delivery latency; thread-safe.
 */
final class LatencyHistogram {

    private static final int FINE = 10_000; // 10 µs × 10,000 = 100 ms
    private static final int COARSE = 60_000; // 1 ms × 60,000 = 60 s
    private final AtomicLongArray buckets = new AtomicLongArray(FINE + COARSE + 1);
    private final AtomicLong maxMicros = new AtomicLong();

    void recordMicros(long micros) {
        long m = Math.max(0, micros);
        int i;
        if (m < FINE * 10L) {
            i = (int) (m / 10);
        } else {
            long ms = m / 1000;
            i = (int) Math.min(FINE + (ms - 100), FINE + COARSE);
        }
        buckets.incrementAndGet(i);
        raiseMax(m);
    }

    private void raiseMax(long micros) {
        long max = maxMicros.get();
        while (micros > max && !maxMicros.compareAndSet(max, micros)) {
            max = maxMicros.get();
        }
    }

    void clear() {
        for (int i = 0; i < buckets.length(); i++) {
            buckets.set(i, 0);
        }
        maxMicros.set(0);
    }

    /** Adds {@code other}'s samples to this one. */
    void add(LatencyHistogram other) {
        for (int i = 0; i < buckets.length(); i++) {
            long n = other.buckets.get(i);
            if (n != 0) {
                buckets.addAndGet(i, n);
            }
        }
        raiseMax(other.maxMicros.get());
    }

    long count() {
        long n = 0;
        for (int i = 0; i < buckets.length(); i++) {
            n += buckets.get(i);
        }
        return n;
    }

    double maxMillis() {
        return maxMicros.get() / 1000.0;
    }

    /** The latency (ms) below which {@code q} of the samples fall (upper edge of its bucket). */
    double quantileMillis(double q) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < buckets.length(); i++) {
            seen += buckets.get(i);
            if (seen >= rank) {
                return i < FINE ? (i + 1) * 0.01 : 100 + (i - FINE + 1);
            }
        }
        return Double.NaN;
    }
}

package dev.progresstracker.eventbridge.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Full-jitter exponential backoff: a uniform delay in {@code [0, min(cap, base * 2^attempt))}. */
final class Backoff {
    private final long baseMillis;
    private final long capMillis;

    Backoff(long baseMillis, long capMillis) {
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
    }

    /** Delay before retry number {@code attempt} (1 = first retry). */
    long delayMillis(int attempt) {
        return ThreadLocalRandom.current().nextLong(ceiling(attempt) + 1);
    }

    long ceiling(int attempt) {
        int shift = Math.max(0, Math.min(attempt - 1, 30));
        return Math.min(capMillis, baseMillis << shift);
    }
}

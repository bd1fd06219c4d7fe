package dev.progresstracker.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link SinkChannel}'s counters. Written by one thread at a time (the worker; producers under the
 * channel's lock) and read lock-free by metrics. The per-event ones (published, conflated) are
 * written with release semantics and read with acquire, so that counting costs no fence per event.
 */
final class ChannelCounters {

    private static final VarHandle PUBLISHED;
    private static final VarHandle CONFLATED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PUBLISHED = lookup.findVarHandle(ChannelCounters.class, "published", long.class);
            CONFLATED = lookup.findVarHandle(ChannelCounters.class, "conflated", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long published;
    private long conflated;
    private volatile long dropped;
    private volatile long failures;
    private volatile long lifecycleOverCapacity;

    /** Worker thread. */
    void published() {
        PUBLISHED.setRelease(this, published + 1);
    }

    /** Worker thread; returns the failures so far, this one included. */
    long failed() {
        long f = failures + 1;
        failures = f;
        return f;
    }

    /** Producers, under the channel's lock. */
    void conflated() {
        CONFLATED.setRelease(this, conflated + 1);
    }

    /** Producers, under the channel's lock. */
    void dropped() {
        dropped = dropped + 1;
    }

    /** Producers, under the channel's lock. */
    void lifecycleOverCapacity() {
        lifecycleOverCapacity = lifecycleOverCapacity + 1;
    }

    long publishedCount() {
        return (long) PUBLISHED.getAcquire(this);
    }

    long conflatedCount() {
        return (long) CONFLATED.getAcquire(this);
    }

    long droppedCount() {
        return dropped;
    }

    long failureCount() {
        return failures;
    }

    long lifecycleOverCapacityCount() {
        return lifecycleOverCapacity;
    }
}

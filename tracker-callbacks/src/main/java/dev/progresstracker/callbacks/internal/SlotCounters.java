package dev.progresstracker.callbacks.internal;

import dev.progresstracker.callbacks.ListenerStats;
import dev.progresstracker.core.event.ProgressEvent;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * What a {@link ListenerSlot} counts and reports: calls, failures (logged, the first ten and then
 * every 1000th), timeouts, drops, the consecutive failures that disable the listener, and its
 * latency timers. Thread-safe: counters are adders; the meter list is guarded by this object.
 */
final class SlotCounters {

    private final String name;
    private final int disableAfter;
    private final Logger log;
    private final LongAdder invocations = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile boolean disabled;
    private volatile Timer[] timers = new Timer[0];
    private final List<Meter> meters = new ArrayList<>(); // guarded by this

    SlotCounters(String name, int disableAfter, Logger log) {
        this.name = name;
        this.disableAfter = disableAfter;
        this.log = log;
    }

    /** A call that returned after {@code nanos}. */
    void invoked(long nanos) {
        invocations.increment();
        for (Timer t : timers) {
            t.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    void succeeded() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /** A call abandoned at its timeout. */
    void timedOut() {
        timeouts.increment();
        invocations.increment();
    }

    void dropped(long n) {
        dropped.add(n);
    }

    /** One event dropped for a newer one; returns how many were dropped so far. */
    long dropOne() {
        dropped.increment();
        return dropped.sum();
    }

    /** Counts and logs a failed call; true if that switched the listener off. */
    boolean failed(ProgressEvent event, Throwable error, String what) {
        failures.increment();
        long f = failures.sum();
        if (f <= 10 || f % 1000 == 0) {
            log.warn(
                    "callback '{}' {} on {} #{} of run '{}' ({} failure(s) so far{}): {}",
                    name,
                    what,
                    event.type(),
                    event.sequence(),
                    event.runId(),
                    f,
                    f >= 10 ? "; logging every 1000th" : "",
                    error.toString(),
                    error);
        }
        return countTowardsDisable();
    }

    /** One more consecutive failure (or timeout); true if that switched the listener off. */
    boolean countTowardsDisable() {
        if (disableAfter > 0 && consecutiveFailures.incrementAndGet() >= disableAfter && !disabled) {
            disabled = true;
            log.error(
                    "callback '{}' disabled after {} consecutive failures; it gets no more events", name, disableAfter);
            return true;
        }
        return false;
    }

    long invocations() {
        return invocations.sum();
    }

    long failures() {
        return failures.sum();
    }

    long timeouts() {
        return timeouts.sum();
    }

    long dropped() {
        return dropped.sum();
    }

    ListenerStats stats(long pending) {
        return new ListenerStats(
                name, invocations.sum(), failures.sum(), timeouts.sum(), dropped.sum(), pending, disabled);
    }

    synchronized void addMeters(Timer latency, List<Meter> others) {
        Timer[] t = Arrays.copyOf(timers, timers.length + 1);
        t[t.length - 1] = latency;
        timers = t;
        meters.add(latency);
        meters.addAll(others);
    }

    synchronized void removeMeters(MeterRegistry registry) {
        for (Meter m : meters) {
            registry.remove(m);
        }
    }
}

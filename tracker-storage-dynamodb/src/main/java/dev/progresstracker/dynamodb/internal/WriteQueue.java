package dev.progresstracker.dynamodb.internal;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link RunWriter}'s accepted events not yet in a write, in sequence order. A progress event may
 * wait up to the coalescing interval for a newer one of its task to replace it (the newer one keeps
 * the older one's deadline and stages); any other event is urgent. Also counts what the queued events
 * and the write in flight weigh: their bytes, and how much they may grow the run's state.
 *
 * <p>Not thread-safe: guarded by its writer's lock.
 */
final class WriteQueue {

    private final long coalesceNanos;
    private final LongAdder coalesced;
    private final ArrayList<Pending> pending = new ArrayList<>();
    private final Map<String, Pending> pendingProgress = new HashMap<>();
    /** The wire size of the last event accepted per task: how much a task's next event can grow the state. */
    private final Map<String, Integer> taskBytes = new HashMap<>();

    private int urgent;
    /** Bytes of the queued events and of the write in flight. */
    private long bytes;
    /** Sum of their {@link Pending#growth}. */
    private long growth;

    /**
     * @param coalesceNanos how long a progress event may wait for a newer one; 0 = never
     * @param coalesced     counts progress events replaced by a newer one
     */
    WriteQueue(long coalesceNanos, LongAdder coalesced) {
        this.coalesceNanos = coalesceNanos;
        this.coalesced = coalesced;
    }

    /**
     * An upper bound of what {@code event} adds to the state: a task event replaces the task's
     * previous entry (so only its growth counts), any other event may add its whole body (an alert).
     */
    long growth(ProgressEvent event, String body) {
        if (event instanceof TaskEvent te) {
            return Math.max(0, body.length() - taskBytes.getOrDefault(te.taskId(), 0));
        }
        return body.length();
    }

    /** Queues an accepted event of {@code growth} (from {@link #growth}); its stage ends with the returned entry. */
    Pending add(ProgressEvent event, String body, long growth) {
        if (event instanceof TaskEvent te) {
            taskBytes.put(te.taskId(), body.length());
        }
        boolean coalescible = coalesceNanos > 0 && !event.type().isLifecycle();
        Pending p = new Pending(event, body, coalescible);
        p.growth = growth;
        bytes += body.length();
        this.growth += growth;
        if (coalescible) {
            p.dueNanos = System.nanoTime() + coalesceNanos;
            Pending old = pendingProgress.put(p.taskId, p);
            if (old != null) {
                pending.remove(old);
                bytes -= old.body.length(); // its growth stays: p carries it (supersede)
                // The replaced event's deadline stands, so a task updated without pause is still written every
                // interval.
                p.dueNanos = old.dueNanos;
                p.supersede(old);
                coalesced.increment();
            }
        } else {
            urgent++;
        }
        pending.add(p);
        return p;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Whether an event waits that may not wait (a lifecycle event). */
    boolean hasUrgent() {
        return urgent > 0;
    }

    /** The earliest coalescing deadline ({@code System.nanoTime}), or {@code Long.MAX_VALUE}. */
    long earliestDue() {
        long due = Long.MAX_VALUE;
        for (Pending p : pendingProgress.values()) {
            due = Math.min(due, p.dueNanos);
        }
        return due;
    }

    /** Takes the oldest events, at most {@code maxEvents} and {@code maxBytes} (at least one). */
    List<Pending> take(int maxEvents, long maxBytes) {
        long taken = 0;
        List<Pending> batch = new ArrayList<>();
        for (Pending p : pending) {
            if (!batch.isEmpty() && (batch.size() == maxEvents || taken + p.body.length() > maxBytes)) {
                break;
            }
            taken += p.body.length();
            batch.add(p);
        }
        pending.subList(0, batch.size()).clear();
        for (Pending p : batch) {
            if (p.coalescible) {
                pendingProgress.remove(p.taskId, p);
            } else {
                urgent--;
            }
        }
        return batch;
    }

    /** A write of {@code writtenBytes} and {@code writtenGrowth} was committed: it weighs no more. */
    void committed(long writtenBytes, long writtenGrowth) {
        bytes -= writtenBytes;
        growth -= writtenGrowth;
    }

    /** The queued events, oldest first. */
    List<Pending> queued() {
        return new ArrayList<>(pending);
    }

    int size() {
        return pending.size();
    }

    long bytes() {
        return bytes;
    }

    long growthBytes() {
        return growth;
    }

    /** Forgets every queued event (their stages are the caller's to end) and the write in flight's weight. */
    void clear() {
        pending.clear();
        pendingProgress.clear();
        urgent = 0;
        bytes = 0;
        growth = 0;
    }
}

package dev.progresstracker.core.internal;

import dev.progresstracker.core.event.Delivery;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link SinkChannel}'s queue: an intrusive doubly linked list of events and flush markers, with
 * the queued conflatable events ({@code task.progress}, {@code task.usage}) also linked among themselves (oldest first) and, under
 * CONFLATE, indexed by task, so that conflation and "drop oldest progress" unlink in O(1) and a
 * stalled sink never accumulates dead entries. Not thread-safe: guarded by the channel's lock.
 */
final class SinkQueue {

    record TaskKey(String runId, String taskId) {}

    static final class Slot {
        final ProgressEvent event;
        final CompletableFuture<Long> ack;
        final CompletableFuture<Void> marker;
        final Duration markerTimeout;
        final TaskKey key;
        /** Conflatable events of the same task this one replaced in this queue (conflation). */
        long superseded;

        Slot prev;
        Slot next;
        Slot prevProgress;
        Slot nextProgress;

        Slot(ProgressEvent event, CompletableFuture<Long> ack, TaskKey key) {
            this.event = event;
            this.ack = ack;
            this.key = key;
            this.marker = null;
            this.markerTimeout = null;
        }

        Slot(CompletableFuture<Void> marker, Duration timeout) {
            this.event = null;
            this.ack = null;
            this.key = null;
            this.marker = marker;
            this.markerTimeout = timeout;
        }

        boolean isProgress() {
            return event != null && !event.type().isLifecycle();
        }
    }

    private final OverflowPolicy policy;
    private final Map<TaskKey, Slot> pendingProgress = new HashMap<>();
    private Slot head;
    private Slot tail;
    private Slot progressHead;
    private Slot progressTail;
    /** Events queued (markers not counted); written with release semantics for the channel's metrics, no fence per event. */
    private int depth;

    private static final VarHandle DEPTH;

    static {
        try {
            DEPTH = MethodHandles.lookup().findVarHandle(SinkQueue.class, "depth", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    SinkQueue(OverflowPolicy policy) {
        this.policy = policy;
    }

    int depth() {
        return (int) DEPTH.getAcquire(this);
    }

    boolean isEmpty() {
        return head == null;
    }

    /**
     * Unlinks the queued progress event of {@code key}'s task, if any: returns how many progress events
     * the next one of that task replaces with it (this one and those it had replaced), or -1 if none.
     */
    long removeProgressOf(TaskKey key) {
        Slot superseded = pendingProgress.remove(key);
        if (superseded == null) {
            return -1;
        }
        unlinkQueued(superseded); // already out of the index: one lookup in all
        return superseded.superseded + Delivery.supersededBy(superseded.event) + 1;
    }

    /** Unlinks the oldest queued progress event; false if there is none. */
    boolean dropOldestProgress() {
        if (progressHead == null) {
            return false;
        }
        unlink(progressHead);
        return true;
    }

    /** Queues an event that replaces {@code superseded} progress events of its task. */
    void append(ProgressEvent event, CompletableFuture<Long> ack, TaskKey key, long superseded) {
        Slot s = new Slot(event, ack, key);
        s.superseded = superseded;
        append(s);
        if (key != null) {
            pendingProgress.put(key, s);
        }
    }

    void appendMarker(CompletableFuture<Void> marker, Duration timeout) {
        appendMarker(new Slot(marker, timeout));
    }

    /** Takes the oldest entry; null if empty. */
    Slot poll() {
        Slot s = head;
        if (s != null) {
            unlink(s);
        }
        return s;
    }

    /** Empties the queue; returns what it held, oldest first. */
    List<Slot> clear() {
        List<Slot> out = new ArrayList<>();
        for (Slot s = head; s != null; s = s.next) {
            out.add(s);
        }
        head = null;
        tail = null;
        progressHead = null;
        progressTail = null;
        pendingProgress.clear();
        DEPTH.setRelease(this, 0);
        return out;
    }

    private void append(Slot s) {
        linkLast(s);
        DEPTH.setRelease(this, depth + 1);
        if (s.isProgress() && policy != OverflowPolicy.BLOCK) {
            s.prevProgress = progressTail;
            if (progressTail == null) {
                progressHead = s;
            } else {
                progressTail.nextProgress = s;
            }
            progressTail = s;
        }
    }

    private void appendMarker(Slot s) {
        linkLast(s);
    }

    private void linkLast(Slot s) {
        s.prev = tail;
        if (tail == null) {
            head = s;
        } else {
            tail.next = s;
        }
        tail = s;
    }

    private void unlink(Slot s) {
        unlinkQueued(s);
        if (s.key != null) {
            pendingProgress.remove(s.key, s); // only if it is still this task's queued event
        }
    }

    /** Takes {@code s} out of the lists, not out of the index by task. */
    private void unlinkQueued(Slot s) {
        Slot p = s.prev;
        Slot n = s.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        s.prev = null;
        s.next = null;
        if (s.event == null) {
            return;
        }
        DEPTH.setRelease(this, depth - 1);
        if (s.isProgress() && policy != OverflowPolicy.BLOCK) {
            Slot pp = s.prevProgress;
            Slot np = s.nextProgress;
            if (pp == null) {
                progressHead = np;
            } else {
                pp.nextProgress = np;
            }
            if (np == null) {
                progressTail = pp;
            } else {
                np.prevProgress = pp;
            }
            s.prevProgress = null;
            s.nextProgress = null;
        }
    }
}

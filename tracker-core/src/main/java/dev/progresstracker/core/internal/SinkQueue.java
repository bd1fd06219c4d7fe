package dev.progresstracker.core.internal;

import dev.progresstracker.core.event.Delivery;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.OverflowPolicy;

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

    record TaskKey(String runId, String taskId) {
    }

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
    /** Events queued (markers not counted); volatile for the channel's metrics. */
    private volatile int depth;

    SinkQueue(OverflowPolicy policy) {
        this.policy = policy;
    }

    int depth() {
        return depth;
    }

    boolean isEmpty() {
        return head == null;
    }

    /**
     * Unlinks the queued progress event of {@code key}'s task, if any: returns how many progress events
     * the next one of that task replaces with it (this one and those it had replaced), or -1 if none.
     */
    long removeProgressOf(TaskKey key) {
        Slot superseded = pendingProgress.get(key);
        if (superseded == null) {
            return -1;
        }
        unlink(superseded);
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
        depth = 0;
        return out;
    }

    private void append(Slot s) {
        linkLast(s);
        depth++;
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
        depth--;
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
        if (s.key != null && pendingProgress.get(s.key) == s) {
            pendingProgress.remove(s.key);
        }
    }
}

package dev.progresstracker.callbacks.internal;

import dev.progresstracker.core.event.ProgressEvent;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A listener's bounded FIFO of events. When full, the oldest queued {@code task.progress} makes
 * room (lifecycle events are worth more to a listener); only a queue of nothing but lifecycle
 * events gives up its oldest. Closing discards the rest and refuses new events. Thread-safe.
 */
final class Mailbox {

    private final ArrayDeque<ProgressEvent> queue = new ArrayDeque<>();
    private final int capacity;
    private final AtomicLong accepted = new AtomicLong();
    private int queuedProgress;
    private boolean closed;

    Mailbox(int capacity) {
        this.capacity = capacity;
    }

    /** Queues {@code e}; {@code onDrop} gets the event that made room, if any. False once closed. */
    synchronized boolean offer(ProgressEvent e, Consumer<ProgressEvent> onDrop) {
        if (closed) {
            return false;
        }
        if (queue.size() >= capacity) {
            onDrop.accept(dropOldest());
        }
        queue.addLast(e);
        if (!e.type().isLifecycle()) {
            queuedProgress++;
        }
        accepted.incrementAndGet();
        return true;
    }

    private ProgressEvent dropOldest() {
        if (queuedProgress > 0) {
            for (Iterator<ProgressEvent> it = queue.iterator(); it.hasNext(); ) {
                ProgressEvent e = it.next();
                if (!e.type().isLifecycle()) {
                    it.remove();
                    queuedProgress--;
                    return e;
                }
            }
        }
        return queue.pollFirst();
    }

    /** The next event, or null if empty or closed. */
    synchronized ProgressEvent poll() {
        if (closed) {
            return null;
        }
        ProgressEvent e = queue.pollFirst();
        if (e != null && !e.type().isLifecycle()) {
            queuedProgress--;
        }
        return e;
    }

    synchronized boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Refuses further events; returns how many queued ones were discarded (0 when already closed). */
    synchronized int close() {
        closed = true;
        int n = queue.size();
        queue.clear();
        queuedProgress = 0;
        return n;
    }

    /** Events ever accepted. */
    long accepted() {
        return accepted.get();
    }

    int capacity() {
        return capacity;
    }
}

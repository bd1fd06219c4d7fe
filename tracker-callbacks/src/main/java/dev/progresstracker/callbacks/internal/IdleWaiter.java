package dev.progresstracker.callbacks.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets flush/close wait until listeners have caught up. Slots call {@link #settled()} when they run
 * out of work; it costs one volatile read unless somebody waits.
 */
public final class IdleWaiter {

    private final Object monitor = new Object();
    private final AtomicInteger waiters = new AtomicInteger();

    public void settled() {
        if (waiters.get() > 0) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    /**
     * Waits until each of {@code slots} has settled everything it had accepted when this call
     * began; false on timeout or interrupt (the interrupt flag is kept).
     */
    public boolean await(ListenerSlot[] slots, long timeoutNanos) {
        long[] targets = new long[slots.length];
        for (int i = 0; i < slots.length; i++) {
            targets[i] = slots[i].enqueuedCount();
        }
        long deadline = System.nanoTime() + timeoutNanos;
        waiters.incrementAndGet();
        try {
            synchronized (monitor) {
                while (true) {
                    boolean all = true;
                    for (int i = 0; i < slots.length && all; i++) {
                        all = slots[i].settledUpTo(targets[i]);
                    }
                    if (all) {
                        return true;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    // Bounded wait: a missed wake-up costs at most 10 ms, never the whole timeout.
                    monitor.wait(Math.max(1, Math.min(10, TimeUnit.NANOSECONDS.toMillis(left))));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiters.decrementAndGet();
        }
    }
}

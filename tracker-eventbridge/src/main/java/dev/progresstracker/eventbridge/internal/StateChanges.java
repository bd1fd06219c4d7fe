package dev.progresstracker.eventbridge.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A counter the publisher bumps whenever its state changes (a call answered, memory moved, disk work
 * done). Threads that wait for the publisher (a flush, a close, a publish held back while a spill is
 * pending) wait here, never on the publisher's monitor: they read {@link #version()}, check the state
 * under the monitor, release it, then {@link #awaitAfter} that version.
 */
final class StateChanges {

    private long version;

    synchronized long version() {
        return version;
    }

    /** Wakes every waiter. May be called holding the publisher's monitor (this lock is taken last). */
    synchronized void signal() {
        version++;
        notifyAll();
    }

    /** Waits until a change after {@code seen}, at most {@code nanos}. */
    synchronized void awaitAfter(long seen, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (version == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * Waits until {@code holds}, checked under {@code monitor} (held only for the check), or until
     * {@code deadlineNanos} ({@link System#nanoTime()}) passes.
     *
     * @return whether it holds
     */
    boolean awaitUntil(Object monitor, BooleanSupplier holds, long deadlineNanos) throws InterruptedException {
        while (true) {
            long seen = version();
            synchronized (monitor) {
                if (holds.getAsBoolean()) {
                    return true;
                }
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            awaitAfter(seen, left);
        }
    }
}

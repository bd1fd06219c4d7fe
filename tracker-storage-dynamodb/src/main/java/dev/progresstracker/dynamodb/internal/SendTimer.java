package dev.progresstracker.dynamodb.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of a {@link RunWriter}: wakes it when the earliest coalescing deadline of its queue
 * is due. Guarded by the writer's lock; {@code onDue} runs on the store's scheduler.
 */
final class SendTimer {

    private final ScheduledExecutorService scheduler;
    private final Runnable onDue;
    private ScheduledFuture<?> timer;
    private long dueNanos;

    SendTimer(ScheduledExecutorService scheduler, Runnable onDue) {
        this.scheduler = scheduler;
        this.onDue = onDue;
    }

    /**
     * Arms the timer for {@code due} ({@link System#nanoTime()} at {@code now}) unless it is armed for
     * an earlier time already; false if the scheduler refused it (the store is closing).
     */
    boolean armFor(long due, long now) {
        if (timer == null || due - dueNanos < 0) {
            if (timer != null) {
                timer.cancel(false);
            }
            dueNanos = due;
            try {
                timer = scheduler.schedule(onDue, due - now, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                return false;
            }
        }
        return true;
    }

    /** The timer ran: the next deadline arms it afresh. */
    void fired() {
        timer = null;
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}

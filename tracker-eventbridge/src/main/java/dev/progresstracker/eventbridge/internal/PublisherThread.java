package dev.progresstracker.eventbridge.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Publisher}'s one thread (daemon): its periodic tick, and wake-ups ({@link #kick}) coalesced
 * so that at most one step waits to run. The wake-up flag is guarded by the publisher's monitor:
 * {@link #kick} and {@link #stepStarted} are called under it.
 */
final class PublisherThread {

    private final ScheduledExecutorService scheduler;
    private final Runnable step;
    private boolean kickPending;

    PublisherThread(String name, Runnable step) {
        this.step = step;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tracker-eventbridge-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The executor the thread runs (retries and timeouts of calls are scheduled on it too). */
    ScheduledExecutorService executor() {
        return scheduler;
    }

    /** Runs {@code tick} every {@code millis}, from {@code millis} on. */
    void startTicks(Runnable tick, long millis) {
        scheduler.scheduleWithFixedDelay(tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Under the monitor: a step runs soon, unless one is pending already or the thread stopped. */
    void kick() {
        if (!kickPending && !scheduler.isShutdown()) {
            kickPending = true;
            try {
                scheduler.execute(step);
            } catch (RejectedExecutionException e) {
                kickPending = false;
            }
        }
    }

    /** Under the monitor, as a step starts: the next kick schedules another. */
    void stepStarted() {
        kickPending = false;
    }

    /** Stops the thread and waits until {@code deadline} ({@link System#nanoTime()}) for its last step. */
    void stop(long deadline) throws InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}

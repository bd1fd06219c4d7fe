package dev.progresstracker.callbacks.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One daemon thread that scans the running invocations and abandons those past their timeout.
 * Scanning every listener each tick is cheaper than arming a timer per invocation (millions per
 * run); the price is precision: a call is abandoned between its timeout and one tick later. The
 * tick is a tenth of the shortest registered timeout, between 1 ms and 100 ms.
 */
public final class Watchdog implements AutoCloseable {

    private static final long MIN_TICK = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_TICK = TimeUnit.MILLISECONDS.toNanos(100);

    private final Supplier<ListenerSlot[]> slots;
    private final Thread thread;
    private volatile boolean running = true;

    public Watchdog(String name, Supplier<ListenerSlot[]> slots) {
        this.slots = slots;
        this.thread = new Thread(this::run, "tracker-" + name + "-watchdog");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            ListenerSlot[] current = slots.get();
            long tick = MAX_TICK;
            long now = System.nanoTime();
            for (ListenerSlot s : current) {
                tick = Math.min(tick, Math.max(MIN_TICK, s.timeoutNanos() / 10));
                try {
                    s.checkTimeout(now);
                } catch (RuntimeException e) {
                    // Never let one listener's bookkeeping stop the timeouts of all the others.
                    org.slf4j.LoggerFactory.getLogger(Watchdog.class)
                            .error("timeout check of '{}' failed", s.name(), e);
                }
            }
            LockSupport.parkNanos(this, tick);
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}

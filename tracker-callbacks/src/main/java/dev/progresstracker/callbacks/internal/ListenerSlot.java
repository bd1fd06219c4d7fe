package dev.progresstracker.callbacks.internal;

import dev.progresstracker.callbacks.AsyncProgressListener;
import dev.progresstracker.callbacks.ListenerStats;
import dev.progresstracker.core.ProgressListener;
import dev.progresstracker.core.event.ProgressEvent;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered listener: its bounded mailbox and the serial drain that hands events over one at
 * a time, in the order they were queued, on the shared executor.
 *
 * <p>Whoever holds {@link #current} owns the drain. A finishing call releases it with a CAS; the
 * watchdog steals it with the same CAS when the call runs past its timeout, counts the timeout and
 * starts the next event on another thread. The abandoned thread, when it finally returns, sees the
 * CAS fail and leaves without touching the mailbox. A listener with {@value #MAX_STUCK} calls still
 * stuck stalls (its events wait, the oldest progress events overflow) until one returns.
 *
 * <p>Lock order: {@code this} before the mailbox; never the other way.
 */
public final class ListenerSlot {

    /** Logged under the manager's name: that is where users look. */
    private static final Logger LOG = LoggerFactory.getLogger("dev.progresstracker.callbacks.CallbackManager");

    private static final int BATCH = 64;
    static final int MAX_STUCK = 2;
    private static final AtomicReferenceFieldUpdater<ListenerSlot, Invocation> CURRENT =
            AtomicReferenceFieldUpdater.newUpdater(ListenerSlot.class, Invocation.class, "current");

    /** What the slot needs from its manager. */
    public interface Host {
        DrainExecutor executor();

        /** The listener was switched off after too many consecutive failures. */
        void disabled(ListenerSlot slot);

        /** The slot ran out of work or discarded it: wake whoever waits in flush/close. */
        void settled();
    }

    private static final class Invocation {
        final ProgressEvent event;
        final long start;
        final Thread thread;
        volatile boolean returned;
        boolean stuck; // guarded by the slot

        Invocation(ProgressEvent event, long start, Thread thread) {
            this.event = event;
            this.start = start;
            this.thread = thread;
        }
    }

    private final String name;
    private final Predicate<? super ProgressEvent> filter;
    private final ProgressListener sync;
    private final AsyncProgressListener async;
    private final long timeoutNanos;
    private final Host host;

    private final Mailbox mailbox;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Invocation current;
    private final AtomicLong settledCount = new AtomicLong();
    private final SlotCounters counters;
    private volatile boolean closed;
    private int stuck; // guarded by this
    private boolean stalled; // guarded by this

    public ListenerSlot(
            String name,
            Predicate<? super ProgressEvent> filter,
            ProgressListener sync,
            AsyncProgressListener async,
            Duration timeout,
            int disableAfter,
            int capacity,
            Host host) {
        this.name = name;
        this.filter = filter;
        this.sync = sync;
        this.async = async;
        this.timeoutNanos = timeout.toNanos();
        this.counters = new SlotCounters(name, disableAfter, LOG);
        this.mailbox = new Mailbox(capacity);
        this.host = host;
    }

    public String name() {
        return name;
    }

    public long timeoutNanos() {
        return timeoutNanos;
    }

    // ------------------------------------------------------------------ producer side

    /** Runs the filter (on the publishing thread); a throwing filter counts as a failure. */
    public boolean accepts(ProgressEvent event) {
        if (closed) {
            return false;
        }
        try {
            return filter.test(event);
        } catch (RuntimeException e) {
            failed(event, e, "filter threw");
            return false;
        }
    }

    public void enqueue(ProgressEvent event) {
        if (!mailbox.offer(event, this::dropped)) {
            return;
        }
        // Read first: under load the drain is usually scheduled, and a failing CAS still dirties the line.
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            executeDrain();
        }
    }

    /** Called under the mailbox lock when {@code victim} made room for a newer event. */
    private void dropped(ProgressEvent victim) {
        long d = counters.dropOne(); // counted before it settles: a flush that sees it settled sees it dropped
        settledCount.incrementAndGet();
        if (d == 1 || d % 1000 == 0) {
            LOG.warn(
                    "callback '{}' is {} events behind: dropped {} #{} of run '{}' ({} dropped so far)",
                    name,
                    mailbox.capacity(),
                    victim.type(),
                    victim.sequence(),
                    victim.runId(),
                    d);
        }
    }

    // ------------------------------------------------------------------ drain side

    private void drain() {
        for (int n = 0; n < BATCH; n++) {
            ProgressEvent e = poll();
            if (e == null) {
                scheduled.set(false);
                host.settled();
                if (!hasQueued() || !scheduled.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            if (!invoke(e)) {
                return;
            }
        }
        // A shared pool serves every listener: give the others a turn.
        executeDrain();
    }

    private ProgressEvent poll() {
        return closed ? null : mailbox.poll();
    }

    private boolean hasQueued() {
        return !mailbox.isEmpty();
    }

    /** Returns true if this thread still owns the drain afterwards. */
    private boolean invoke(ProgressEvent e) {
        Invocation inv = new Invocation(e, System.nanoTime(), Thread.currentThread());
        current = inv;
        CompletionStage<?> stage = null;
        Throwable error = null;
        try {
            if (async != null) {
                stage = async.onEvent(e);
                if (stage == null) {
                    error = new NullPointerException("async listener returned null instead of a CompletionStage");
                }
            } else {
                sync.onEvent(e);
            }
        } catch (Throwable t) {
            error = t;
        }
        inv.returned = true;
        if (current != inv) {
            returnedLate(inv, error);
            return false;
        }
        if (stage != null) {
            stage.whenComplete((v, t) -> {
                if (finish(inv, unwrap(t))) {
                    executeDrain();
                } else {
                    LOG.debug("callback '{}' completed {} #{} after it was abandoned", name, e.type(), e.sequence());
                }
            });
            return false;
        }
        return finish(inv, error);
    }

    private boolean finish(Invocation inv, Throwable error) {
        if (!CURRENT.compareAndSet(this, inv, null)) {
            return false;
        }
        long nanos = System.nanoTime() - inv.start;
        counters.invoked(nanos);
        settledCount.incrementAndGet();
        if (error == null) {
            counters.succeeded();
        } else {
            failed(inv.event, error, "failed");
        }
        return true;
    }

    private void returnedLate(Invocation inv, Throwable error) {
        boolean resume = false;
        synchronized (this) {
            if (inv.stuck) {
                stuck--;
                host.executor().threadReleased();
                if (stalled && stuck < MAX_STUCK) {
                    stalled = false;
                    resume = true;
                }
            }
        }
        // Clear the watchdog's interrupt so the pool thread starts its next task clean.
        Thread.interrupted();
        LOG.info(
                "abandoned call of callback '{}' on {} #{} of run '{}' returned after {} ms (timeout {} ms){}",
                name,
                inv.event.type(),
                inv.event.sequence(),
                inv.event.runId(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - inv.start),
                TimeUnit.NANOSECONDS.toMillis(timeoutNanos),
                error == null ? "" : " and threw " + error);
        if (resume) {
            executeDrain();
        }
    }

    /** Called by the watchdog: abandons the running call if it is past its timeout. */
    public void checkTimeout(long now) {
        Invocation inv = current;
        if (inv == null || now - inv.start < timeoutNanos) {
            return;
        }
        boolean resume;
        synchronized (this) {
            if (!CURRENT.compareAndSet(this, inv, null)) {
                return;
            }
            counters.timedOut();
            settledCount.incrementAndGet();
            boolean running = !inv.returned;
            if (running) {
                inv.stuck = true;
                stuck++;
                host.executor().threadStuck();
                inv.thread.interrupt();
            }
            resume = stuck < MAX_STUCK;
            stalled = !resume;
            LOG.warn(
                    "callback '{}' timed out after {} ms on {} #{} of run '{}' and was abandoned{}; {}",
                    name,
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos),
                    inv.event.type(),
                    inv.event.sequence(),
                    inv.event.runId(),
                    running ? " (its thread was interrupted)" : "",
                    resume
                            ? "its next event starts now"
                            : "it stalls until one of its " + stuck + " stuck calls returns");
        }
        countTowardsDisable();
        if (resume) {
            executeDrain();
        }
    }

    private void executeDrain() {
        try {
            host.executor().execute(this::drain);
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
            if (!closed) {
                LOG.error(
                        "executor rejected callback '{}'; its queued events wait for the next one: {}",
                        name,
                        e.toString());
            }
        }
    }

    // ------------------------------------------------------------------ failures

    private void failed(ProgressEvent event, Throwable error, String what) {
        if (counters.failed(event, error, what)) {
            host.disabled(this);
        }
    }

    private void countTowardsDisable() {
        if (counters.countTowardsDisable()) {
            host.disabled(this);
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    // ------------------------------------------------------------------ lifecycle, stats, meters

    /** Stops taking events and discards the queued ones; returns how many were discarded. */
    public int close() {
        closed = true;
        int n = mailbox.close();
        settledCount.addAndGet(n);
        host.settled();
        return n;
    }

    /** {@link #close()} at the manager's deadline: what was still queued counts as dropped. */
    public int closeDropping() {
        int n = close();
        counters.dropped(n);
        return n;
    }

    public boolean isRunning() {
        return current != null;
    }

    public long enqueuedCount() {
        return mailbox.accepted();
    }

    /** True once everything up to {@code target} queued events was handled, dropped or discarded. */
    public boolean settledUpTo(long target) {
        return closed || settledCount.get() >= target;
    }

    public long pending() {
        return Math.max(0, mailbox.accepted() - settledCount.get());
    }

    public long invocations() {
        return counters.invocations();
    }

    public long failures() {
        return counters.failures();
    }

    public long timeouts() {
        return counters.timeouts();
    }

    public long dropped() {
        return counters.dropped();
    }

    public ListenerStats stats() {
        return counters.stats(pending());
    }

    void addMeters(Timer latency, List<Meter> others) {
        counters.addMeters(latency, others);
    }

    void removeMeters(MeterRegistry registry) {
        counters.removeMeters(registry);
    }
}

package dev.progresstracker.core.internal;

import dev.progresstracker.core.event.DeliveryPath;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's bounded queue and the thread that drains it. Producers (trackers, under their own
 * lock) call {@link #offer}; only the worker thread touches the {@link ChannelDelivery}.
 *
 * <p>Live entries of the queue ({@link SinkQueue}) never exceed the capacity except for lifecycle
 * events, which are never dropped.
 *
 * <p>Waking the worker: a producer that wakes a parked worker pays for the wake-up system call
 * (several microseconds on a VM, many times the cost of the update itself), and a worker that
 * queues on the lock behind a producer makes that producer pay it on unlock. So the worker never
 * waits on the lock's queue or its conditions: it takes the lock by spinning on {@code tryLock}
 * (producers hold it for a few hundred nanoseconds) and parks outside it. A producer wakes it only
 * when it went to sleep. A channel built with a poll interval polls instead of sleeping while
 * events come about as often as that interval (its last two batches were less than two intervals
 * apart, and the last one less than two intervals ago): one timer wake-up per interval then replaces at
 * least one producer's wake-up. Producers wake a polling worker only for a queue of
 * {@value #DRAIN_BATCH} or more, a flush, a close or {@link #wake()} (a caller waiting for an ack).
 * Events wait at most one poll interval longer. When events come slower (a caller that waits for
 * each fsync'ed ack, many trackers in one process), the worker sleeps and costs no timer.
 *
 * <p>A channel that stamps deliveries hands each event over with its {@link dev.progresstracker.core.event.Delivery} on this path
 * (the previous event of its run handed over, and how many progress events of its task conflation
 * replaced with it), so a consumer can tell conflation from loss. The store's channel does not: the
 * store keeps events as the tracker made them.
 */
public final class SinkChannel {

    private static final Logger LOG = LoggerFactory.getLogger(SinkChannel.class);
    static final int DRAIN_BATCH = 256;
    private static final int WORKER_SPINS = 1_000;
    /** Poll interval of sink channels (not the store's, whose acks callers may wait for). */
    public static final long SINK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Poll interval of the store's channel: short, because callers wait for acks (and those that
     * block on one wake the worker, see {@link #wake()}).
     */
    public static final long STORE_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final String name;
    private final ChannelDelivery delivery;
    private final OverflowPolicy policy;
    private final int capacity;
    private final boolean closeDeliveryOnExit;
    private final long pollNanos;
    /** Worker thread only; null when this channel does not stamp deliveries. */
    private final DeliveryPath path;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    /** The queue itself; guarded by {@link #lock}. */
    private final SinkQueue queue;

    private final Thread worker;

    private boolean closing;
    /** Close gave up draining: what is still queued or in the worker's batch fails instead of being delivered. */
    private volatile Duration abandonedAfter;
    /** The worker's batch array: slots taken but not yet handled (read by an abandoning close). */
    private volatile SinkQueue.Slot[] workerBatch;
    /** The worker parks without a timeout: producers must wake it. Written under the lock; read by the parked worker. */
    private volatile boolean sleeping;

    /** When the worker took its last and its previous batch (worker thread only). */
    private long lastWorkNanos;

    private long previousWorkNanos;

    private final ChannelCounters counters = new ChannelCounters();

    /** A channel whose producers signal the worker on every event. */
    public SinkChannel(
            String name, ChannelDelivery delivery, OverflowPolicy policy, int capacity, boolean closeDeliveryOnExit) {
        this(name, delivery, policy, capacity, closeDeliveryOnExit, 0);
    }

    /**
     * @param pollNanos 0: producers signal the worker on every event; else, while active, the worker
     *                  polls this often and producers do not signal (see the class comment)
     */
    public SinkChannel(
            String name,
            ChannelDelivery delivery,
            OverflowPolicy policy,
            int capacity,
            boolean closeDeliveryOnExit,
            long pollNanos) {
        this(name, delivery, policy, capacity, closeDeliveryOnExit, pollNanos, false);
    }

    /** @param stampDelivery whether events are handed over with their {@link dev.progresstracker.core.event.Delivery} on this channel */
    public SinkChannel(
            String name,
            ChannelDelivery delivery,
            OverflowPolicy policy,
            int capacity,
            boolean closeDeliveryOnExit,
            long pollNanos,
            boolean stampDelivery) {
        this.name = name;
        this.lastWorkNanos = System.nanoTime() - 4 * Math.max(1, pollNanos); // as if idle: the worker starts asleep
        this.previousWorkNanos = lastWorkNanos;
        this.path = stampDelivery ? new DeliveryPath() : null;
        this.queue = new SinkQueue(policy);
        this.pollNanos = pollNanos;
        this.delivery = delivery;
        this.policy = policy;
        this.capacity = capacity;
        this.closeDeliveryOnExit = closeDeliveryOnExit;
        this.worker = new Thread(this::run, "tracker-sink-" + name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public String name() {
        return name;
    }

    public OverflowPolicy policy() {
        return policy;
    }

    /**
     * Queues one event. Never blocks unless the policy is {@link OverflowPolicy#BLOCK} and the
     * queue is full. Returns false if the channel is closed.
     */
    public boolean offer(ProgressEvent event, CompletableFuture<Long> ack) {
        boolean progress = !event.type().isLifecycle(); // task.progress or task.usage: conflatable per task
        SinkQueue.TaskKey key = progress && policy == OverflowPolicy.CONFLATE
                ? new SinkQueue.TaskKey(event.runId(), ((TaskEvent) event).taskId())
                : null;
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            long replaced = key == null ? -1 : queue.removeProgressOf(key);
            if (replaced >= 0) {
                counters.conflated();
            }
            if (queue.depth() >= capacity) {
                if (policy == OverflowPolicy.BLOCK) {
                    boolean interrupted = false;
                    while (queue.depth() >= capacity && !closing) {
                        try {
                            notFull.await();
                        } catch (InterruptedException e) {
                            // The change is already applied; it must reach the store. Keep waiting.
                            interrupted = true;
                        }
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    if (closing) {
                        return false;
                    }
                } else if (queue.dropOldestProgress()) {
                    counters.dropped();
                } else if (progress) {
                    counters.dropped();
                    return true;
                } else {
                    counters.lifecycleOverCapacity();
                }
            }
            queue.append(event, ack, key, Math.max(0, replaced));
            if (sleeping || (pollNanos > 0 && queue.depth() >= DRAIN_BATCH)) {
                wakeLocked();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Completes once every event queued before this call was delivered and the sink flushed. */
    public CompletableFuture<Void> flush(Duration timeout) {
        CompletableFuture<Void> marker = new CompletableFuture<>();
        lock.lock();
        try {
            if (closing && !worker.isAlive()) {
                marker.complete(null);
                return marker;
            }
            queue.appendMarker(marker, timeout);
            wakeLocked();
        } finally {
            lock.unlock();
        }
        return marker;
    }

    /**
     * Drains what is queued, flushes, closes the delivery (when owned) and stops the worker,
     * waiting at most {@code timeout}. Returns the number of events that could not be delivered.
     */
    public long close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            if (!closing) {
                queue.appendMarker(new CompletableFuture<>(), timeout);
                closing = true;
                wakeLocked();
                notFull.signalAll();
            }
        } finally {
            lock.unlock();
        }
        try {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            worker.interrupt();
            long left = abandon(timeout);
            LOG.warn("sink '{}' did not drain within {}; {} queued event(s) not delivered", name, timeout, left);
            return left;
        }
        return 0;
    }

    /**
     * Fails the ack of every event still queued, and of those the (stuck) worker took but has not
     * delivered yet, so that no caller waits forever; empties the queue. Returns how many there were.
     */
    private long abandon(Duration timeout) {
        abandonedAfter = timeout;
        long left = 0;
        lock.lock();
        try {
            for (SinkQueue.Slot s : queue.clear()) {
                if (s.event != null) {
                    left++;
                    fail(s, timeout);
                } else if (s.marker != null) {
                    s.marker.completeExceptionally(
                            new IllegalStateException("sink '" + name + "' closed before this flush"));
                }
            }
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        // Racing the worker is harmless: an ack completes once, and the worker skips what follows.
        SinkQueue.Slot[] batch = workerBatch;
        for (int i = 0; batch != null && i < batch.length; i++) {
            SinkQueue.Slot s = batch[i];
            if (s != null && s.event != null) {
                left++;
                fail(s, timeout);
            }
        }
        return left;
    }

    private void fail(SinkQueue.Slot s, Duration timeout) {
        if (s.ack != null && !s.ack.isDone()) {
            s.ack.completeExceptionally(delivery.notDelivered(s.event, timeout));
        }
    }

    // ------------------------------------------------------------------ worker

    private void run() {
        SinkQueue.Slot[] batch = new SinkQueue.Slot[DRAIN_BATCH];
        workerBatch = batch;
        while (true) {
            int n = take(batch);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                SinkQueue.Slot s = batch[i];
                batch[i] = null;
                Duration abandoned = abandonedAfter;
                if (s.marker != null) {
                    runFlush(s);
                } else if (abandoned != null) {
                    fail(s, abandoned);
                } else {
                    deliver(s);
                }
            }
        }
        if (closeDeliveryOnExit) {
            try {
                delivery.close();
            } catch (Throwable t) {
                LOG.warn("sink '{}' failed to close: {}", name, t.toString(), t);
            }
        }
    }

    private void deliver(SinkQueue.Slot s) {
        try {
            delivery.deliver(path == null ? s.event : path.stamp(s.event, s.superseded), s.ack);
            counters.published();
        } catch (Throwable t) {
            long f = counters.failed();
            if (f == 1 || f % 1000 == 0) {
                LOG.warn(
                        "sink '{}' failed on {} #{} of run '{}' (failure {} so far): {}",
                        name,
                        s.event.type(),
                        s.event.sequence(),
                        s.event.runId(),
                        f,
                        t.toString(),
                        t);
            }
            if (s.ack != null) {
                s.ack.completeExceptionally(t);
            }
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runFlush(SinkQueue.Slot s) {
        try {
            delivery.flush(s.markerTimeout);
            s.marker.complete(null);
        } catch (Throwable t) {
            LOG.warn("sink '{}' failed to flush: {}", name, t.toString(), t);
            s.marker.completeExceptionally(t);
        }
    }

    /** Moves up to batch.length slots out of the queue; -1 once closing and empty. */
    private int take(SinkQueue.Slot[] batch) {
        while (true) {
            lockAsWorker();
            boolean timed;
            try {
                if (!queue.isEmpty()) {
                    return takeLocked(batch);
                }
                if (closing) {
                    return -1;
                }
                // Twice the interval: polling itself spaces batches one interval (plus the delivery) apart.
                timed = pollNanos > 0
                        && lastWorkNanos - previousWorkNanos < 2 * pollNanos
                        && System.nanoTime() - lastWorkNanos < 2 * pollNanos;
                sleeping = !timed;
            } finally {
                lock.unlock();
            }
            if (timed) {
                LockSupport.parkNanos(this, pollNanos);
            } else {
                while (sleeping) {
                    LockSupport.park(this);
                    // Only close interrupts the worker, after setting closing; a flag left set would
                    // make every park return at once.
                    Thread.interrupted();
                }
            }
            Thread.interrupted();
        }
    }

    private int takeLocked(SinkQueue.Slot[] batch) {
        previousWorkNanos = lastWorkNanos;
        lastWorkNanos = System.nanoTime();
        int n = 0;
        SinkQueue.Slot s;
        while (n < batch.length && (s = queue.poll()) != null) {
            batch[n++] = s;
        }
        notFull.signalAll();
        return n;
    }

    /**
     * Takes the lock without queueing on it: a queued worker would make the producer holding the
     * lock pay the worker's wake-up on unlock. Falls back to queueing if a producer holds the lock
     * for long (descheduled while holding it).
     */
    private void lockAsWorker() {
        for (int spins = 0; spins < WORKER_SPINS; spins++) {
            if (lock.tryLock()) {
                return;
            }
            Thread.onSpinWait();
        }
        lock.lock();
    }

    /** Ends a sleep of the worker (and cuts a poll interval short); under the lock. */
    private void wakeLocked() {
        sleeping = false;
        LockSupport.unpark(worker);
    }

    /**
     * Asks the worker to look at the queue now instead of at the end of its poll interval: called
     * by a thread about to wait for an event's ack. Any thread; does not take the lock.
     */
    public void wake() {
        LockSupport.unpark(worker);
    }

    // ------------------------------------------------------------------ metrics

    /** Events waiting, not counting one being delivered. */
    public int depth() {
        return queue.depth();
    }

    /** What this channel counted: published, conflated, dropped, failed. Lock-free reads. */
    ChannelCounters counters() {
        return counters;
    }
}

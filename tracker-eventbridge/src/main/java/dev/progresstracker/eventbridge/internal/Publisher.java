package dev.progresstracker.eventbridge.internal;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;

/**
 * The engine behind {@code EventBridgeSink}. Entries wait in memory ({@link Lanes}) and go out in
 * batches, several calls in flight (one per run at a time), until calls have failed for
 * {@code spillAfter} (checked every tick) or memory is full; then everything goes through the durable
 * outbox until it is drained ({@link SpillState} has the modes, {@link OutboxDrain} the rounds of
 * parallel calls that drain it; while the endpoint is down one call probes it at most every
 * {@link #PROBE_CAP_MILLIS} ms, capped by {@code maxBackoff}). What a call's outcome means for each
 * entry is {@link CallVerdict#classify}'s to say, without the SDK; {@link InFlightCalls} carries the
 * calls (prepared under the monitor, started after it) through {@link PutEventsCaller}, the one call
 * into the SDK.
 *
 * <p>State is guarded by this object's monitor, held only to change it: no disk work and no waiting
 * under it. Outbox appends and reads, acknowledgements, syncs and dead letters ({@link DeferredWrites})
 * and the SDK calls run after it is released, mostly on the publisher's scheduler thread; threads that
 * wait for the publisher (a flush, a close, a publish held back while a spill is pending) wait on
 * {@link StateChanges}. The sink's thread only enqueues (while spilling, it appends its entry to the
 * outbox, which only queues a record for the journal's writer).
 */
public final class Publisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    /** Longest wait between two calls while the endpoint is down: bounds how late its return is noticed. */
    public static final long PROBE_CAP_MILLIS = 2_000;
    /** A publish held back while a spill is pending looks again at least this often. */
    private static final long HELD_BACK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final EventBridgeConfig config;
    private final InFlightCalls calls;
    private final EntryMapper mapper;
    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Lanes lanes;
    private final PublisherMetrics metrics;
    private final PublisherThread thread;
    /** Disk work decided under the monitor and done outside it. */
    private final DeferredWrites deferred;

    private final SpillState spill;
    private final OutboxDrain drain;
    private final CallBook book;
    private final CallDispatch dispatch;
    private final StateChanges changes = new StateChanges();

    private int flushing;
    private boolean closed;
    private volatile long outboxDepth;
    private volatile int buffered;

    public Publisher(
            EventBridgeConfig config,
            EventBridgeAsyncClient client,
            Outbox outbox,
            EntryMapper mapper,
            Clock clock,
            MeterRegistry registry,
            String name) {
        this.config = config;
        this.mapper = mapper;
        this.outbox = outbox;
        this.clock = clock;
        this.deadLetters = new DeadLetters(
                config.outboxDirectory().resolve("dead-letter.jsonl"), config.eventBusName(), config.source());
        Backoff backoff = new Backoff(
                config.initialBackoff().toMillis(), config.maxBackoff().toMillis());
        this.deferred = new DeferredWrites(outbox, deadLetters, config.outboxDirectory());
        this.drain = new OutboxDrain(
                outbox, deferred, config.maxBatchEntries(), config.maxConcurrentRequests(), config.maxRequestBytes());
        Outage outage = new Outage(
                backoff,
                Math.min(PROBE_CAP_MILLIS, config.maxBackoff().toMillis()),
                config.spillAfter().toMillis(),
                clock.millis());
        this.lanes = new Lanes(config.progressMinInterval().toMillis(), config.maxRequestBytes());
        this.metrics = new PublisherMetrics(
                registry, name, () -> outboxDepth, () -> buffered, lanes::conflated, mapper::truncatedCount);
        this.outboxDepth = outbox.depth();
        this.spill = new SpillState(config.outboxDirectory(), outboxDepth);
        this.book = new CallBook(config, outage, backoff, metrics, deferred, spill, outbox, this::kick);
        this.thread = new PublisherThread(name, this::pump);
        this.calls = new InFlightCalls(
                new PutEventsCaller(config, client), metrics, config.maxAttempts(), thread.executor(), this::onVerdict);
        this.dispatch = new CallDispatch(config, lanes, calls, book, drain);
        long tick = Math.max(5, Math.min(25, config.maxBatchDelay().toMillis() / 4));
        thread.startTicks(this::tick, tick);
    }

    /** Enqueues one event (its detail is written when it is sent); never waits for the network. */
    public void publish(ProgressEvent event) throws IOException, InterruptedException {
        PendingEntry e = mapper.map(event, clock.millis());
        boolean forOutbox;
        while (true) {
            long seen = changes.version();
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("EventBridge sink is closed; " + e + " not accepted");
                }
                // Memory stays bounded while the calls in flight finish before a spill.
                if (!spill.pending() || lanes.waiting() < 2 * config.maxBufferedEvents()) {
                    forOutbox = enqueue(e);
                    break;
                }
            }
            changes.awaitAfter(seen, HELD_BACK_NANOS);
        }
        if (forOutbox) {
            appendQueued();
        }
    }

    /** Under the monitor: {@code e} joins its lane or, while spilling, the outbox's queue (then true). */
    private boolean enqueue(PendingEntry e) {
        boolean forOutbox = spill.spilling();
        if (forOutbox) {
            queueForOutbox(e);
        } else {
            lanes.add(e);
            if (spill.direct() && lanes.waiting() + calls.entries() >= config.maxBufferedEvents()) {
                spill.request("more than " + config.maxBufferedEvents() + " entries wait in memory");
            }
            if (lanes.waiting() >= config.maxBatchEntries()) {
                kick();
            }
        }
        updateBuffered();
        return forOutbox;
    }

    /**
     * Sends what waits without waiting for fuller batches. With {@code untilPublished} false it returns
     * once everything received so far is accepted or dead-lettered, or (while calls fail) durable in the
     * outbox; with true only once it is accepted or dead-lettered; in both cases at the latest at the
     * timeout.
     */
    public FlushOutcome flush(Duration timeout, boolean untilPublished) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        FlushOutcome outcome;
        synchronized (this) {
            flushing++;
            kick();
        }
        try {
            changes.awaitUntil(this, () -> published() || !untilPublished && safeDuringOutage(), deadline);
            synchronized (this) {
                outcome = published()
                        ? FlushOutcome.PUBLISHED
                        : memoryEmpty() ? FlushOutcome.IN_OUTBOX : FlushOutcome.PENDING;
            }
        } finally {
            synchronized (this) {
                flushing--;
            }
        }
        if (outcome == FlushOutcome.IN_OUTBOX) {
            outbox.sync();
        }
        return outcome;
    }

    private boolean memoryEmpty() {
        return lanes.waiting() == 0 && calls.entries() == 0 && deferred.unwritten() == 0 && deferred.unappended() == 0;
    }

    private boolean published() {
        return memoryEmpty() && drain.empty();
    }

    private boolean safeDuringOutage() {
        return memoryEmpty() && book.outageOngoing() && spill.spilling();
    }

    private void kick() {
        thread.kick();
    }

    private void tick() {
        try {
            synchronized (this) {
                book.spillIfDue(clock.millis());
            }
            pump();
        } catch (RuntimeException e) {
            LOG.error("EventBridge publisher step failed; retrying on the next tick", e);
        }
    }

    /**
     * On the scheduler thread: the disk work the last step left, then what can go out (prepared under
     * the monitor), then a new outbox window if one is due (read outside the monitor), then the calls.
     */
    private void pump() {
        writeDeferred();
        int window;
        synchronized (this) {
            pumpLocked();
            window = spill.spilling() && !closed && book.mayCall(clock.millis())
                    ? drain.windowDue(book.outageOngoing())
                    : 0;
        }
        if (window > 0) {
            List<PendingEntry> entries;
            try {
                entries = outbox.peek(window);
            } catch (IOException e) {
                LOG.error(
                        "could not read the EventBridge outbox {}; retrying on the next tick",
                        config.outboxDirectory(),
                        e);
                return;
            }
            synchronized (this) {
                if (!closed && drain.start(entries)) {
                    dispatch.wave(clock.millis());
                }
            }
        }
        startPrepared();
    }

    private void startPrepared() {
        List<InFlightCalls.Call> prepared;
        synchronized (this) {
            prepared = calls.takePrepared();
        }
        for (InFlightCalls.Call c : prepared) {
            calls.start(c);
        }
    }

    private void pumpLocked() {
        thread.stepStarted();
        if (closed) {
            return;
        }
        long now = clock.millis();
        try {
            if (spill.pending() && calls.count() == 0) {
                migrateToOutbox();
            }
            if (spill.direct()) {
                dispatch.direct(now, flushing > 0);
            } else if (spill.spilling()) {
                dispatch.spilling(now);
                spill.leaveIf(drain.empty());
            }
        } finally {
            updateBuffered();
            changes.signal();
        }
    }

    /** A call was answered (on the scheduler thread, without the monitor): book it, then carry on. */
    private void onVerdict(InFlightCalls.Call c, CallVerdict verdict) {
        boolean more;
        synchronized (this) {
            more = settle(c, verdict);
        }
        if (more) {
            pump();
        } else {
            writeDeferred();
        }
    }

    /** Books the verdict on one call; true if the publisher should look for more to send. */
    private boolean settle(InFlightCalls.Call c, CallVerdict v) {
        calls.answered(c);
        long retryAt = book.book(v, c.startedAt(), c.fromOutbox(), clock.millis());
        if (c.fromOutbox()) {
            drain.answered(v.retry());
        } else {
            lanes.release(c.batch(), v.retry(), retryAt);
        }
        updateBuffered();
        changes.signal();
        return !closed;
    }

    /** Queues {@code e} for the outbox (appended once the monitor is released), unless no call could ever carry it. */
    private void queueForOutbox(PendingEntry e) {
        lanes.stamp(e); // an entry that bypasses the lanes (spilling) is still stamped in its run's order
        if (!book.rejectIfTooLarge(e, clock.millis())) {
            deferred.append(e);
        }
    }

    /** Under the monitor: every entry waiting in memory is queued for the outbox; returns them. */
    private List<PendingEntry> moveMemoryToOutbox() {
        List<PendingEntry> rest = lanes.drainAll();
        for (PendingEntry e : rest) {
            queueForOutbox(e);
        }
        return rest;
    }

    /** Appends what waits for the outbox, outside the monitor. */
    private void appendQueued() {
        if (deferred.appendQueued() > 0) {
            outboxDepth = outbox.depth();
            changes.signal();
        }
    }

    /** Disk work left by the last step (see {@link DeferredWrites}); never under the monitor. */
    private void writeDeferred() {
        DeferredWrites.Done done = deferred.run();
        if (!done.any()) {
            return;
        }
        outboxDepth = outbox.depth();
        if (done.acked()) {
            synchronized (this) {
                spill.leaveIf(drain.empty());
            }
        }
        changes.signal();
    }

    /** After the calls in flight are answered: what waits in memory goes to the outbox, then is synced. */
    private void migrateToOutbox() {
        moveMemoryToOutbox();
        deferred.sync();
        spill.spilled();
        kick();
    }

    private void updateBuffered() {
        buffered = lanes.waiting() + calls.entries();
    }

    /** Counters for tests and the load driver. */
    public synchronized PublisherCounters counters() {
        return new PublisherCounters(
                book.delivered(),
                book.failed(),
                book.retried(),
                lanes.conflated(),
                mapper.truncatedCount(),
                calls.requests(),
                lanes.waiting() + calls.entries(),
                outbox.depth() + deferred.unappended(),
                spill.mode().name());
    }

    /** Failed calls and rejected entries counted under {@code cause}. */
    public long errors(FailureCause cause) {
        return metrics.errorCount(cause);
    }

    /**
     * Stops taking events, waits (up to {@code timeout}) for calls in flight, and moves whatever is
     * still in memory into the outbox, so a restart with the same directory sends it.
     */
    public void close(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        changes.signal();
        changes.awaitUntil(this, () -> calls.count() == 0, deadline);
        thread.stop(deadline);
        writeDeferred();
        List<PendingEntry> rest;
        synchronized (this) {
            if (calls.count() > 0) {
                LOG.warn(
                        "EventBridge sink closed with {} call(s) unanswered; their {} entr(ies) may be lost unless "
                                + "EventBridge got them",
                        calls.count(),
                        calls.entries());
            }
            rest = moveMemoryToOutbox();
        }
        if (!rest.isEmpty()) {
            LOG.info(
                    "EventBridge sink closed with {} entr(ies) unsent; kept in the outbox {}",
                    rest.size(),
                    config.outboxDirectory());
        }
        writeDeferred();
        outbox.close();
        deadLetters.close();
        outboxDepth = outbox.depth();
    }

    /** {@link #close(Duration)}; an interrupt restores the flag and becomes an {@link InterruptedIOException}. */
    @Override
    public void close() throws IOException {
        try {
            close(config.apiCallTimeout().plusSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw (InterruptedIOException)
                    new InterruptedIOException("interrupted while closing the publisher").initCause(e);
        }
    }
}

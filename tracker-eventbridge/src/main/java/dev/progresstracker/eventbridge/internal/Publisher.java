package dev.progresstracker.eventbridge.internal;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The engine behind {@code EventBridgeSink}. Three modes:
 * <ul>
 *   <li>DIRECT: entries wait in memory ({@link Lanes}) and go out in batches, several calls in flight
 *       (one per run at a time);</li>
 *   <li>SPILL_PENDING: calls have failed for {@code spillAfter} (checked every tick, not only when a
 *       call fails), or memory is full; no new calls, and once the calls in flight are answered
 *       everything in memory moves to the outbox;</li>
 *   <li>SPILLING: new entries are appended to the outbox, which is drained in {@link DrainRound}s of
 *       up to {@code maxConcurrentRequests} parallel calls; while the endpoint is down one call probes
 *       it at most every {@link #PROBE_CAP_MILLIS} ms (capped by {@code maxBackoff}); when the outbox
 *       is empty the publisher returns to DIRECT.</li>
 * </ul>
 * State is guarded by this object's monitor; disk work (outbox reads, acknowledgements, syncs, dead
 * letters) runs on the publisher's scheduler thread outside it, and so do the SDK calls (marshalling
 * and signing) and the handling of their results. The sink's thread only enqueues (appending to the
 * outbox only queues a record for the journal's writer).
 */
public final class Publisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    /** Longest wait between two calls while the endpoint is down: bounds how late its return is noticed. */
    public static final long PROBE_CAP_MILLIS = 2_000;

    enum Mode { DIRECT, SPILL_PENDING, SPILLING }

    private final EventBridgeConfig config;
    private final EventBridgeAsyncClient client;
    private final EntryMapper mapper;
    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Backoff backoff;
    private final Outage outage;
    private final FailureReporter reporter;
    private final Lanes lanes;
    private final PublisherMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final long maxBatchDelay;

    private Mode mode = Mode.DIRECT;
    private int inFlight;
    private int inFlightEntries;
    private long notBefore;
    private int flushing;
    private boolean closed;
    private boolean kickPending;
    private DrainRound round;
    /** Dead letters, acknowledgements and syncs, written outside the monitor. */
    private final DeferredWrites deferred;
    private volatile long outboxDepth;
    private volatile int buffered;
    private long requests;
    /** Calls prepared under the monitor, started once it is released. */
    private final List<Call> toStart = new ArrayList<>();
    private long deliveredCount;
    /** Own counts for {@link #snapshot}: meters of a registry with nothing behind it count nothing. */
    private long failedCount;
    private long retriedCount;

    public Publisher(EventBridgeConfig config, EventBridgeAsyncClient client, Outbox outbox, EntryMapper mapper,
                     Clock clock, MeterRegistry registry, String name) {
        this.config = config;
        this.client = client;
        this.mapper = mapper;
        this.outbox = outbox;
        this.clock = clock;
        this.deadLetters = new DeadLetters(config.outboxDirectory().resolve("dead-letter.jsonl"),
                config.eventBusName(), config.source());
        this.backoff = new Backoff(config.initialBackoff().toMillis(), config.maxBackoff().toMillis());
        this.deferred = new DeferredWrites(outbox, deadLetters, config.outboxDirectory());
        this.outage = new Outage(backoff, Math.min(PROBE_CAP_MILLIS, config.maxBackoff().toMillis()),
                config.spillAfter().toMillis(), clock.millis());
        this.reporter = new FailureReporter(config);
        this.lanes = new Lanes(config.progressMinInterval().toMillis(), config.maxRequestBytes());
        this.maxBatchDelay = config.maxBatchDelay().toMillis();
        this.metrics = new PublisherMetrics(registry, name, () -> outboxDepth, () -> buffered, lanes::conflated,
                mapper::truncatedCount);
        this.outboxDepth = outbox.depth();
        if (outbox.depth() > 0) {
            mode = Mode.SPILLING;
            LOG.info("EventBridge outbox {} holds {} entr(ies) from an earlier run; draining them first",
                    config.outboxDirectory(), outbox.depth());
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tracker-eventbridge-" + name);
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(5, Math.min(25, maxBatchDelay / 4));
        scheduler.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Enqueues one event (its detail is written when it is sent); never waits for the network. */
    public void publish(ProgressEvent event) throws IOException, InterruptedException {
        PendingEntry e = mapper.map(event, clock.millis());
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("EventBridge sink is closed; " + e + " not accepted");
            }
            // Memory stays bounded while the calls in flight finish before a spill.
            while (mode == Mode.SPILL_PENDING && lanes.waiting() >= 2 * config.maxBufferedEvents() && !closed) {
                wait(50);
            }
            if (mode == Mode.SPILLING) {
                appendToOutbox(e);
            } else {
                lanes.add(e);
                if (mode == Mode.DIRECT && lanes.waiting() + inFlightEntries >= config.maxBufferedEvents()) {
                    requestSpill("more than " + config.maxBufferedEvents() + " entries wait in memory");
                }
                if (lanes.waiting() >= config.maxBatchEntries()) {
                    kick();
                }
            }
            buffered = lanes.waiting() + inFlightEntries;
        }
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
            try {
                kick();
                while (!published() && (untilPublished || !safeDuringOutage())) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                outcome = published() ? FlushOutcome.PUBLISHED : memoryEmpty() ? FlushOutcome.IN_OUTBOX
                        : FlushOutcome.PENDING;
            } finally {
                flushing--;
            }
        }
        if (outcome == FlushOutcome.IN_OUTBOX) {
            outbox.sync();
        }
        return outcome;
    }

    /** What a flush found when it returned. */
    public enum FlushOutcome { PUBLISHED, IN_OUTBOX, PENDING }

    private boolean memoryEmpty() {
        return lanes.waiting() == 0 && inFlightEntries == 0 && deferred.unwritten() == 0;
    }

    private boolean published() {
        return memoryEmpty() && outbox.depth() == 0 && round == null && deferred.pendingAck() == 0;
    }

    private boolean safeDuringOutage() {
        return memoryEmpty() && outage.ongoing() && mode == Mode.SPILLING;
    }

    private void kick() {
        if (!kickPending && !scheduler.isShutdown()) {
            kickPending = true;
            try {
                scheduler.execute(this::pump);
            } catch (RejectedExecutionException e) {
                kickPending = false;
            }
        }
    }

    private void tick() {
        try {
            synchronized (this) {
                long now = clock.millis();
                if (mode == Mode.DIRECT && outage.spillDue(now)) {
                    requestSpill("PutEvents has failed for " + outage.lasted(now) + " ms");
                }
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
        boolean readWindow;
        int windowSize;
        synchronized (this) {
            pumpLocked();
            readWindow = mode == Mode.SPILLING && round == null && deferred.pendingAck() == 0 && !closed
                    && clock.millis() >= notBefore && outbox.depth() > 0;
            windowSize = config.maxBatchEntries() * (outage.ongoing() ? 1 : config.maxConcurrentRequests());
        }
        if (readWindow) {
            List<PendingEntry> window;
            try {
                window = outbox.peek(windowSize);
            } catch (IOException e) {
                LOG.error("could not read the EventBridge outbox {}; retrying on the next tick",
                        config.outboxDirectory(), e);
                return;
            }
            synchronized (this) {
                if (!window.isEmpty() && round == null && !closed) {
                    round = new DrainRound(window);
                    sendWave(clock.millis());
                }
            }
        }
        startPrepared();
    }

    private void startPrepared() {
        List<Call> calls;
        synchronized (this) {
            if (toStart.isEmpty()) {
                return;
            }
            calls = new ArrayList<>(toStart);
            toStart.clear();
        }
        for (Call c : calls) {
            start(c);
        }
    }

    private void pumpLocked() {
        kickPending = false;
        if (closed) {
            return;
        }
        long now = clock.millis();
        try {
            if (mode == Mode.SPILL_PENDING && inFlight == 0) {
                migrateToOutbox();
            }
            if (mode == Mode.DIRECT) {
                dispatchDirect(now);
            } else if (mode == Mode.SPILLING) {
                if (round != null && !round.waveInFlight() && now >= notBefore) {
                    sendWave(now);
                }
                leaveSpilling();
            }
        } finally {
            buffered = lanes.waiting() + inFlightEntries;
            notifyAll();
        }
    }

    private void dispatchDirect(long now) {
        while (inFlight < config.maxConcurrentRequests() && now >= notBefore) {
            Lanes.Scan s = lanes.scan(now, config.maxBatchEntries(), flushing > 0);
            if (s.sendable() == 0) {
                return;
            }
            boolean due = flushing > 0 || s.sendable() >= config.maxBatchEntries()
                    || s.sendableBytes() >= config.maxRequestBytes() || now - s.oldestArrival() >= maxBatchDelay;
            if (!due) {
                return;
            }
            List<PendingEntry> batch = lanes.take(now, config.maxBatchEntries(), config.maxRequestBytes(), flushing > 0);
            List<PendingEntry> rejected = lanes.takeRejected();
            for (PendingEntry e : rejected) {
                rejectIfTooLarge(e);
            }
            if (batch.isEmpty()) {
                if (rejected.isEmpty()) {
                    return;
                }
                continue;
            }
            send(batch, false, now);
        }
    }

    /** Sends the round's next wave: one call (a probe) while the endpoint is down, else up to the limit. */
    private void sendWave(long now) {
        int calls = outage.ongoing() ? 1 : config.maxConcurrentRequests();
        for (List<PendingEntry> batch : round.nextWave(calls, config.maxBatchEntries(), config.maxRequestBytes())) {
            send(batch, true, now);
        }
    }

    /** Counts {@code batch} as in flight; the call starts once the monitor is released. */
    private void send(List<PendingEntry> batch, boolean fromOutbox, long now) {
        inFlight++;
        if (!fromOutbox) {
            inFlightEntries += batch.size();
        }
        requests++;
        metrics.batchSize.record(batch.size());
        toStart.add(new Call(batch, fromOutbox, now));
    }

    /** Marshals and signs the request (the SDK does that on the calling thread) without holding the monitor. */
    private void start(Call c) {
        List<PutEventsRequestEntry> entries = new ArrayList<>(c.batch().size());
        for (PendingEntry e : c.batch()) {
            PutEventsRequestEntry.Builder b = PutEventsRequestEntry.builder()
                    .eventBusName(config.eventBusName()).source(config.source())
                    .detailType(e.detailType).detail(e.detail()).time(e.time);
            if (e.resource() != null) {
                b.resources(e.resource());
            }
            entries.add(b.build());
        }
        CompletableFuture<PutEventsResponse> call;
        try {
            call = client.putEvents(PutEventsRequest.builder().entries(entries).build());
        } catch (RuntimeException t) {
            call = CompletableFuture.failedFuture(t);
        }
        call.orTimeout(config.apiCallTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, t) -> {
            try {
                scheduler.execute(() -> onResult(c, r, t));
            } catch (RejectedExecutionException ex) {
                onResult(c, r, t);
            }
        });
    }

    private record Call(List<PendingEntry> batch, boolean fromOutbox, long startedAt) {
    }

    private void onResult(Call c, PutEventsResponse r, Throwable t) {
        CallVerdict verdict;
        try {
            verdict = CallVerdict.classify(c.batch(), r, t, config.maxAttempts());
        } catch (RuntimeException bug) {
            // Never leave the call in flight: that would stall its run for good.
            LOG.error("could not classify the outcome of a PutEvents call ({}); its entries are dead-lettered", t, bug);
            verdict = CallVerdict.classify(c.batch(), null, bug, 1);
        }
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
    private boolean settle(Call c, CallVerdict v) {
        inFlight--;
        if (!c.fromOutbox()) {
            inFlightEntries -= c.batch().size();
        }
        long now = clock.millis();
        if (v.callCause() == null) {
            onAnswered(now);
        } else if (v.outage()) {
            onOutageFailure(c, v, now);
        } else {
            report(v.callCause(), v.code(), v.message());
        }
        for (PendingEntry e : v.accepted()) {
            deliveredCount++;
            metrics.delivered(now - e.arrivalMillis);
        }
        int maxAttempt = 0;
        if (v.countsAttempts()) {
            for (PendingEntry e : v.retry()) {
                e.attempts++;
                maxAttempt = Math.max(maxAttempt, e.attempts);
            }
        }
        for (CallVerdict.Rejection x : v.rejected()) {
            if (v.countsAttempts()) {
                x.entry().attempts++;
            }
            if (v.callCause() == null) {
                report(x.cause(), x.code(), x.message());
            }
            deadLetter(x.entry(), x.code(), x.message(), now);
        }
        metrics.retried.increment(v.retry().size());
        retriedCount += v.retry().size();
        long retryAt = now + (maxAttempt > 0 ? backoff.delayMillis(maxAttempt) : 0);
        if (c.fromOutbox()) {
            round.answered(v.retry());
            notBefore = Math.max(notBefore, retryAt);
            if (round.done()) {
                deferred.ack(round.windowSize());
                round = null;
            }
        } else {
            Map<String, List<PendingEntry>> byRun = new LinkedHashMap<>();
            for (PendingEntry e : c.batch()) {
                byRun.computeIfAbsent(e.runId, k -> new ArrayList<>());
            }
            for (PendingEntry e : v.retry()) {
                byRun.get(e.runId).add(e);
            }
            byRun.forEach((run, list) -> lanes.release(run, list, retryAt));
        }
        buffered = lanes.waiting() + inFlightEntries;
        notifyAll();
        return !closed;
    }

    private void onAnswered(long now) {
        int failures = outage.failures();
        long lasted = outage.answered(now);
        if (lasted >= 0) {
            LOG.info("EventBridge PutEvents succeeds again after {} failed call(s) over {} ms; outbox depth {}",
                    failures, lasted, outbox.depth());
        }
        notBefore = Math.min(notBefore, now);
        reporter.reset();
    }

    private void onOutageFailure(Call c, CallVerdict v, long now) {
        if (outage.failed(c.startedAt())) {
            LOG.warn("EventBridge PutEvents failed ({}: {}); retrying at most every {} ms, spilling to the outbox "
                    + "{} after {}", v.code(), v.message(), outage.probeCapMillis(), config.outboxDirectory(),
                    config.spillAfter());
        }
        metrics.error(v.callCause());
        notBefore = outage.nextCallAt(now);
        if (outage.spillDue(now)) {
            reporter.report(v.callCause(), v.code(), v.message());
            if (mode == Mode.DIRECT) {
                requestSpill("PutEvents has failed for " + outage.lasted(now) + " ms");
            }
        }
    }

    /** Counts a failure of a cause that is not an outage, and logs it (once per cause). */
    private void report(FailureCause cause, String code, String message) {
        metrics.error(cause);
        reporter.report(cause, code, message);
    }

    /** Dead-letters {@code e} if even its trimmed entry exceeds the per-entry limit. */
    private boolean rejectIfTooLarge(PendingEntry e) {
        if (e.size() <= config.maxRequestBytes()) {
            return false;
        }
        report(FailureCause.REJECTED, "EntryTooLarge", "entry over " + config.maxRequestBytes() + " bytes");
        deadLetter(e, "EntryTooLarge", "entry is " + e.size() + " bytes after trimming; limit "
                + config.maxRequestBytes(), clock.millis());
        return true;
    }

    /** Queues the record for the journal's writer (no disk write here). */
    private void appendToOutbox(PendingEntry e) throws IOException {
        lanes.stamp(e); // an entry that bypasses the lanes (spilling) is still stamped in its run's order
        if (!rejectIfTooLarge(e)) {
            outbox.append(e);
            outboxDepth = outbox.depth();
        }
    }

    /** Queued under the monitor, written by {@link #writeDeferred} outside it. */
    private void deadLetter(PendingEntry e, String code, String message, long now) {
        deferred.deadLetter(e, code, message, now);
        metrics.failed.increment();
        failedCount++;
        kick();
    }

    /** Disk work left by the last step (see {@link DeferredWrites}); never under the monitor. */
    private void writeDeferred() {
        DeferredWrites.Done done = deferred.run();
        if (!done.any()) {
            return;
        }
        synchronized (this) {
            if (done.acked()) {
                outboxDepth = outbox.depth();
                leaveSpilling();
            }
            notifyAll();
        }
    }

    private void requestSpill(String why) {
        if (mode == Mode.DIRECT) {
            LOG.warn("EventBridge sink spills to the outbox {}: {}", config.outboxDirectory(), why);
            mode = Mode.SPILL_PENDING;
        }
    }

    private void migrateToOutbox() {
        try {
            for (PendingEntry e : lanes.drainAll()) {
                appendToOutbox(e);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        deferred.sync();
        mode = Mode.SPILLING;
        kick();
    }

    private void leaveSpilling() {
        if (mode == Mode.SPILLING && outbox.depth() == 0 && round == null && deferred.pendingAck() == 0) {
            LOG.info("EventBridge outbox {} drained; publishing directly again", config.outboxDirectory());
            mode = Mode.DIRECT;
        }
    }

    /** Counters for tests and the load driver. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(deliveredCount, failedCount, retriedCount,
                lanes.conflated(), mapper.truncatedCount(), requests, lanes.waiting() + inFlightEntries,
                outbox.depth(), mode.name());
    }

    /** Point-in-time counters; see {@code EventBridgeSink.Stats}. */
    public record Snapshot(long published, long failed, long retried, long conflated, long truncated, long requests,
                           long buffered, long outboxDepth, String mode) {
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
            while (inFlight > 0 && System.nanoTime() < deadline) {
                TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, deadline - System.nanoTime()));
            }
        }
        scheduler.shutdown();
        scheduler.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        writeDeferred();
        synchronized (this) {
            if (inFlight > 0) {
                LOG.warn("EventBridge sink closed with {} call(s) unanswered; their {} entr(ies) may be lost unless "
                        + "EventBridge got them", inFlight, inFlightEntries);
            }
            List<PendingEntry> rest = lanes.drainAll();
            for (PendingEntry e : rest) {
                appendToOutbox(e);
            }
            if (!rest.isEmpty()) {
                LOG.info("EventBridge sink closed with {} entr(ies) unsent; kept in the outbox {}", rest.size(),
                        config.outboxDirectory());
            }
        }
        writeDeferred();
        outbox.close();
        deadLetters.close();
        outboxDepth = outbox.depth();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        close(config.apiCallTimeout().plusSeconds(1));
    }
}

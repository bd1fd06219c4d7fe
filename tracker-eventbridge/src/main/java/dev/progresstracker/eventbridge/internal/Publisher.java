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
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 *   <li>SPILL_PENDING: calls kept failing for {@code spillAfter}, or memory is full; no new calls, and
 *       once the calls in flight are answered everything in memory moves to the outbox;</li>
 *   <li>SPILLING: new entries are appended to the outbox, which is drained in order, one call at a
 *       time; when it is empty the publisher returns to DIRECT.</li>
 * </ul>
 * All state is guarded by this object's monitor. Calls are asynchronous; they are prepared under the
 * monitor and started (SDK marshalling and signing) outside it, and their results are handled on the
 * publisher's own scheduler thread. The sink's thread only enqueues: details are written on the
 * scheduler thread when entries are about to be sent.
 */
public final class Publisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    enum Mode { DIRECT, SPILL_PENDING, SPILLING }

    private final EventBridgeConfig config;
    private final EventBridgeAsyncClient client;
    private final EntryMapper mapper;
    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Backoff backoff;
    private final Lanes lanes;
    private final PublisherMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final long maxBatchDelay;
    private final long spillAfter;

    private Mode mode = Mode.DIRECT;
    private int inFlight;
    private int inFlightEntries;
    private long failingSince = -1;
    private int requestFailures;
    private long notBefore;
    private boolean flushing;
    private boolean closed;
    private boolean kickPending;
    /** Outbox mode: the head window in the current call (acked when all of it is resolved). */
    private int drainWindow;
    private List<PendingEntry> drainRetry;
    private volatile long outboxDepth;
    private volatile int buffered;
    private long requests;
    /** Calls prepared under the monitor, started once it is released. */
    private final List<Call> toStart = new ArrayList<>();
    private long deliveredCount;

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
        this.lanes = new Lanes(config.progressMinInterval().toMillis(), config.maxRequestBytes());
        this.maxBatchDelay = config.maxBatchDelay().toMillis();
        this.spillAfter = config.spillAfter().toMillis();
        this.metrics = new PublisherMetrics(registry, name, () -> outboxDepth, () -> buffered, this::conflated,
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
            // The detail is written later, on the publisher's thread; Lanes rejects an entry too large then.
            // Memory stays bounded while the calls in flight finish before a spill.
            while (mode == Mode.SPILL_PENDING && lanes.waiting() >= 2 * config.maxBufferedEvents() && !closed) {
                wait(50);
            }
            if (mode == Mode.SPILLING) {
                appendToOutbox(e);
                outboxDepth = outbox.depth();
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
     * Sends what waits without waiting for fuller batches, and returns once everything received so far
     * is accepted by EventBridge, dead-lettered, or (while calls fail) durable in the outbox; or at
     * the timeout.
     */
    public synchronized boolean flush(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        flushing = true;
        try {
            kick();
            while (!settled()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            outbox.sync();
            return true;
        } finally {
            flushing = false;
        }
    }

    private boolean settled() {
        boolean memoryEmpty = lanes.waiting() == 0 && inFlightEntries == 0;
        return memoryEmpty && (outbox.depth() == 0 || failingSince >= 0);
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
                if (mode == Mode.SPILLING) {
                    outbox.sync();
                }
            }
            pump();
        } catch (RuntimeException | IOException e) {
            LOG.error("EventBridge publisher step failed; retrying on the next tick", e);
        }
    }

    /** Prepares what can go out under the monitor, then starts those calls outside it. */
    private void pump() {
        List<Call> calls;
        synchronized (this) {
            pumpLocked();
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
                drain(now);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            buffered = lanes.waiting() + inFlightEntries;
            notifyAll();
        }
    }

    private void dispatchDirect(long now) {
        while (inFlight < config.maxConcurrentRequests() && now >= notBefore) {
            Lanes.Scan s = lanes.scan(now, config.maxBatchEntries(), flushing);
            if (s.sendable() == 0) {
                return;
            }
            boolean due = flushing || s.sendable() >= config.maxBatchEntries()
                    || s.sendableBytes() >= config.maxRequestBytes() || now - s.oldestArrival() >= maxBatchDelay;
            if (!due) {
                return;
            }
            List<PendingEntry> batch = lanes.take(now, config.maxBatchEntries(), config.maxRequestBytes(), flushing);
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
            send(batch, false);
        }
    }

    private void drain(long now) throws IOException {
        if (inFlight > 0 || now < notBefore) {
            return;
        }
        List<PendingEntry> batch = drainRetry;
        if (batch == null) {
            List<PendingEntry> window = outbox.peek(config.maxBatchEntries());
            if (window.isEmpty()) {
                leaveSpilling();
                return;
            }
            batch = new ArrayList<>(window.size());
            long bytes = 0;
            for (PendingEntry e : window) {
                if (!batch.isEmpty() && bytes + e.size() > config.maxRequestBytes()) {
                    break;
                }
                batch.add(e);
                bytes += e.size();
            }
            drainWindow = batch.size();
        }
        send(batch, true);
    }

    /** Counts {@code batch} as in flight; the call starts once the monitor is released ({@link #pump}). */
    private void send(List<PendingEntry> batch, boolean fromOutbox) {
        inFlight++;
        if (!fromOutbox) {
            inFlightEntries += batch.size();
        }
        requests++;
        metrics.batchSize.record(batch.size());
        toStart.add(new Call(batch, fromOutbox));
    }

    /**
     * Marshals and signs the request (the SDK does that on the calling thread) without holding the
     * monitor. The entries are owned by this call until its result is handled.
     */
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
                scheduler.execute(() -> onResult(c.batch(), c.fromOutbox(), r, t));
            } catch (RejectedExecutionException ex) {
                onResult(c.batch(), c.fromOutbox(), r, t);
            }
        });
    }

    private record Call(List<PendingEntry> batch, boolean fromOutbox) {
    }

    private void onResult(List<PendingEntry> batch, boolean fromOutbox, PutEventsResponse r, Throwable t) {
        boolean more;
        synchronized (this) {
            more = settle(batch, fromOutbox, r, t);
        }
        if (more) {
            pump();
        }
    }

    /** Books the outcome of one call; true if the publisher should look for more to send. */
    private boolean settle(List<PendingEntry> batch, boolean fromOutbox, PutEventsResponse r, Throwable t) {
        inFlight--;
        if (!fromOutbox) {
            inFlightEntries -= batch.size();
        }
        long now = clock.millis();
        List<PendingEntry> retry = new ArrayList<>();
        int maxAttempt = 0;
        if (t == null) {
            if (failingSince >= 0) {
                LOG.info("EventBridge PutEvents succeeds again after {} failed call(s)", requestFailures);
            }
            failingSince = -1;
            requestFailures = 0;
            List<PutEventsResultEntry> results = r.entries();
            boolean aligned = results.size() == batch.size();
            for (int i = 0; i < batch.size(); i++) {
                PendingEntry e = batch.get(i);
                String code = aligned ? results.get(i).errorCode()
                        : r.failedEntryCount() == null || r.failedEntryCount() == 0 ? null : "InternalFailure";
                if (code == null) {
                    deliveredCount++;
                    metrics.delivered(now - e.arrivalMillis);
                    continue;
                }
                e.attempts++;
                if (Failures.isRetryableEntryCode(code) && e.attempts < config.maxAttempts()) {
                    retry.add(e);
                    maxAttempt = Math.max(maxAttempt, e.attempts);
                } else {
                    String msg = aligned ? results.get(i).errorMessage() : "no result entry";
                    deadLetter(e, e.attempts >= config.maxAttempts() && Failures.isRetryableEntryCode(code)
                            ? code + " (attempts exhausted)" : code, msg, now);
                }
            }
        } else if (Failures.isRetryable(t)) {
            requestFailures++;
            if (failingSince < 0) {
                failingSince = now;
                LOG.warn("EventBridge PutEvents failed ({}: {}); retrying with backoff, spilling to the outbox {} "
                        + "after {}", Failures.code(t), Failures.message(t), config.outboxDirectory(), config.spillAfter());
            }
            notBefore = now + backoff.delayMillis(requestFailures);
            retry.addAll(batch);
            if (mode == Mode.DIRECT && now - failingSince >= spillAfter) {
                requestSpill("PutEvents has failed for " + (now - failingSince) + " ms");
            }
        } else {
            for (PendingEntry e : batch) {
                e.attempts++;
                deadLetter(e, Failures.code(t), Failures.message(t), now);
            }
        }
        metrics.retried.increment(retry.size());
        if (fromOutbox) {
            afterDrainCall(retry, maxAttempt, now);
        } else {
            Map<String, List<PendingEntry>> byRun = new LinkedHashMap<>();
            for (PendingEntry e : batch) {
                byRun.computeIfAbsent(e.runId, k -> new ArrayList<>());
            }
            for (PendingEntry e : retry) {
                byRun.get(e.runId).add(e);
            }
            long laneNotBefore = now + (maxAttempt > 0 ? backoff.delayMillis(maxAttempt) : 0);
            byRun.forEach((run, list) -> lanes.release(run, list, laneNotBefore));
        }
        buffered = lanes.waiting() + inFlightEntries;
        notifyAll();
        return !closed;
    }

    private void afterDrainCall(List<PendingEntry> retry, int maxAttempt, long now) {
        try {
            if (retry.isEmpty()) {
                drainRetry = null;
                outbox.ack(drainWindow);
                drainWindow = 0;
                outboxDepth = outbox.depth();
                if (outbox.depth() == 0) {
                    leaveSpilling();
                }
            } else {
                drainRetry = retry;
                if (maxAttempt > 0) {
                    notBefore = Math.max(notBefore, now + backoff.delayMillis(maxAttempt));
                }
            }
        } catch (IOException e) {
            // Not acked: the window is sent again (at least once), never lost.
            LOG.error("could not acknowledge {} outbox entr(ies) in {}", drainWindow, config.outboxDirectory(), e);
        }
    }

    /** Dead-letters {@code e} if even its trimmed entry exceeds the per-entry limit. */
    private boolean rejectIfTooLarge(PendingEntry e) {
        if (e.size() <= config.maxRequestBytes()) {
            return false;
        }
        deadLetter(e, "EntryTooLarge", "entry is " + e.size() + " bytes after trimming; limit "
                + config.maxRequestBytes(), clock.millis());
        return true;
    }

    private void appendToOutbox(PendingEntry e) throws IOException {
        if (!rejectIfTooLarge(e)) {
            outbox.append(e);
        }
    }

    private void deadLetter(PendingEntry e, String code, String message, long now) {
        deadLetters.write(e, code, message, now);
        metrics.failed.increment();
    }

    private void requestSpill(String why) {
        if (mode == Mode.DIRECT) {
            LOG.warn("EventBridge sink spills to the outbox {}: {}", config.outboxDirectory(), why);
            mode = Mode.SPILL_PENDING;
        }
    }

    private void migrateToOutbox() throws IOException {
        List<PendingEntry> all = lanes.drainAll();
        for (PendingEntry e : all) {
            appendToOutbox(e);
        }
        outbox.sync();
        outboxDepth = outbox.depth();
        mode = Mode.SPILLING;
    }

    private void leaveSpilling() {
        if (mode == Mode.SPILLING && outbox.depth() == 0 && drainRetry == null) {
            LOG.info("EventBridge outbox {} drained; publishing directly again", config.outboxDirectory());
            mode = Mode.DIRECT;
        }
    }

    private long conflated() {
        return lanes.conflated();
    }

    /** Counters for tests and the load driver. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(deliveredCount, (long) metrics.failed.count(), (long) metrics.retried.count(),
                lanes.conflated(), mapper.truncatedCount(), requests, lanes.waiting() + inFlightEntries,
                outbox.depth(), mode.name());
    }

    /** Point-in-time counters; see {@code EventBridgeSink.Stats}. */
    public record Snapshot(long published, long failed, long retried, long conflated, long truncated, long requests,
                           long buffered, long outboxDepth, String mode) {
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
            outbox.close();
            deadLetters.close();
            outboxDepth = outbox.depth();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        close(config.apiCallTimeout().plusSeconds(1));
    }
}

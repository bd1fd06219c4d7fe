package dev.progresstracker.dynamodb.internal;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import dev.progresstracker.dynamodb.SequenceConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static dev.progresstracker.dynamodb.internal.TableLayout.*;

/**
 * Writes one run. Events queue here; one write at a time carries the queued events: first their
 * event items ({@code BatchWriteItem}, keyed by sequence and this writer's id, so they never
 * overwrite another writer's), then the run item — the commit — with the new state, put on the
 * condition that the table's head is still the one this writer last wrote. A second writer of the
 * same run fails that condition instead of interleaving, and its event items stay invisible (readers
 * take each sequence only from the writer that owns it in the run item's history). While a write is
 * in flight, new events wait and go together in the next one (group commit); {@code task.progress}
 * events may wait up to the coalescing interval for a newer one of the same task to replace them.
 *
 * <p>Thread-safe: {@link #append} is called by the store thread, completions arrive on SDK threads,
 * timers and retries on the store's scheduler.
 */
public final class RunWriter {

    /** Events per write: four BatchWriteItem calls in parallel. */
    static final int MAX_EVENTS = 100;
    static final long MAX_WRITE_BYTES = 4_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(RunWriter.class);

    /** What all writers of one store share. */
    public record Shared(DynamoDbAsyncClient client, String table, DynamoDbStoreConfig config, ItemCodec codec,
                         RunReader reader, BatchWriter batchWriter, ScheduledExecutorService scheduler,
                         WriteStats stats) {
    }

    private static final class Pending {
        final ProgressEvent event;
        final String body;
        final String taskId;
        final boolean coalescible;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        List<CompletableFuture<Void>> superseded = List.of();
        long dueNanos;

        Pending(ProgressEvent event, String body, boolean coalescible) {
            this.event = event;
            this.body = body;
            this.taskId = event instanceof TaskEvent te ? te.taskId() : null;
            this.coalescible = coalescible;
        }

        void complete(Throwable failure) {
            if (failure == null) {
                done.complete(null);
                superseded.forEach(f -> f.complete(null));
            } else {
                done.completeExceptionally(failure);
                superseded.forEach(f -> f.completeExceptionally(failure));
            }
        }
    }

    /** One write: event items, then the conditional run item put (possibly attempted several times). */
    private record Flight(List<Pending> batch, List<WriteRequest> eventItems, PutItemRequest runPut, long firstSeq,
                          long lastSeq, String lastEventId, WriterHistory writers, int units) {
    }

    private final String runId;
    private final Shared shared;
    private final long coalesceNanos;

    // Guarded by this.
    private long appliedSeq;
    private final RunProjection written;
    private final String writerId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    private WriterHistory writers;
    private long headSeq;
    private String headEventId;
    private final ArrayList<Pending> pending = new ArrayList<>();
    private final Map<String, Pending> pendingProgress = new HashMap<>();
    private int urgent;
    private Flight inFlight;
    private boolean draining;
    private ScheduledFuture<?> timer;
    private long timerDueNanos;
    private RuntimeException broken;

    private RunWriter(String runId, Shared shared, RunReader.Loaded loaded) {
        this.runId = runId;
        this.shared = shared;
        this.coalesceNanos = shared.config().progressCoalesceInterval().toNanos();
        if (loaded == null) {
            written = new RunProjection(runId, RunProjection.Mode.ALLOW_GAPS);
            writers = WriterHistory.EMPTY;
        } else {
            written = RunProjection.of(loaded.state(), RunProjection.Mode.ALLOW_GAPS);
            writers = loaded.writers();
            appliedSeq = loaded.state().lastSequence();
            headSeq = appliedSeq;
            headEventId = loaded.headEventId();
        }
    }

    /** A writer continuing whatever the table holds of the run (one consistent read). */
    public static RunWriter open(String runId, Shared shared) {
        return new RunWriter(runId, shared, shared.reader().load(runId));
    }

    /**
     * Queues {@code event}; the stage completes when it (or a newer progress event of the same task
     * that replaced it) is in the table.
     *
     * @throws IllegalArgumentException if the event does not continue the run's sequence or cannot fit one item
     */
    public CompletableFuture<Void> append(ProgressEvent event) {
        String body = shared.codec().eventBody(event);
        synchronized (this) {
            if (broken != null) {
                return CompletableFuture.failedFuture(broken);
            }
            long seq = event.sequence();
            if (seq <= appliedSeq) {
                throw new IllegalArgumentException("run '" + runId + "' already has sequence " + seq
                        + " (stored up to " + appliedSeq + ")");
            }
            if (seq != appliedSeq + 1) {
                throw new IllegalArgumentException("run '" + runId + "': expected sequence " + (appliedSeq + 1)
                        + " but got " + seq);
            }
            appliedSeq = seq;
            boolean coalescible = coalesceNanos > 0 && event.type() == EventType.TASK_PROGRESS;
            Pending p = new Pending(event, body, coalescible);
            if (coalescible) {
                p.dueNanos = System.nanoTime() + coalesceNanos;
                Pending old = pendingProgress.put(p.taskId, p);
                if (old != null) {
                    pending.remove(old);
                    // The replaced event's deadline stands, so a task updated without pause is still written every interval.
                    p.dueNanos = old.dueNanos;
                    List<CompletableFuture<Void>> sup = new ArrayList<>(old.superseded.size() + 1);
                    sup.addAll(old.superseded);
                    sup.add(old.done);
                    p.superseded = sup;
                    shared.stats().eventsCoalesced.increment();
                }
            } else {
                urgent++;
            }
            pending.add(p);
            maybeSend();
            return p.done;
        }
    }

    /** Writes everything queued without waiting for coalescing deadlines; completes when it is written. */
    public CompletableFuture<Void> drain() {
        synchronized (this) {
            draining = true;
            List<CompletableFuture<?>> all = new ArrayList<>();
            if (inFlight != null) {
                inFlight.batch().forEach(p -> all.add(p.done));
            }
            pending.forEach(p -> all.add(p.done));
            maybeSend();
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        }
    }

    /** Refuses further writes (the run was deleted through this store). */
    public synchronized void retire(String why) {
        if (broken == null) {
            broken = new IllegalStateException("run '" + runId + "': " + why);
        }
    }

    private void maybeSend() {
        if (inFlight != null || pending.isEmpty() || broken != null) {
            return;
        }
        if (urgent > 0 || draining) {
            send();
            return;
        }
        long due = Long.MAX_VALUE;
        for (Pending p : pendingProgress.values()) {
            due = Math.min(due, p.dueNanos);
        }
        long now = System.nanoTime();
        if (due - now <= 0) {
            send();
        } else if (timer == null || due - timerDueNanos < 0) {
            if (timer != null) {
                timer.cancel(false);
            }
            timerDueNanos = due;
            timer = shared.scheduler().schedule(this::onTimer, due - now, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void onTimer() {
        timer = null;
        maybeSend();
    }

    private void send() {
        long bytes = 0;
        List<Pending> batch = new ArrayList<>();
        for (Pending p : pending) {
            if (!batch.isEmpty() && (batch.size() == MAX_EVENTS || bytes + p.body.length() > MAX_WRITE_BYTES)) {
                break;
            }
            bytes += p.body.length();
            batch.add(p);
        }
        pending.subList(0, batch.size()).clear();
        for (Pending p : batch) {
            if (p.coalescible) {
                pendingProgress.remove(p.taskId, p);
            } else {
                urgent--;
            }
            written.apply(p.event);
        }
        Flight f = buildFlight(batch);
        inFlight = f;
        shared.batchWriter().writeAllAsync(f.eventItems(), shared.scheduler()).whenComplete((v, t) -> {
            if (t == null) {
                putRunItem(f, 1);
            } else {
                Throwable cause = Async.unwrap(t);
                fail(f, new IllegalStateException("run '" + runId + "': events #" + f.firstSeq() + ".." + f.lastSeq()
                        + " could not be written to DynamoDB table '" + shared.table() + "': " + cause, cause));
            }
        });
    }

    private Flight buildFlight(List<Pending> batch) {
        RunInfo info = written.info();
        Long expiresAt = expiry(info);
        Pending last = batch.get(batch.size() - 1);
        String lastEventId = last.event.eventId().toString();
        long firstSeq = batch.get(0).event.sequence();
        ItemCodec codec = shared.codec();
        int units = 0;
        List<WriteRequest> eventItems = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            Map<String, AttributeValue> item = codec.eventItem(p.event, p.body, writerId, expiresAt);
            eventItems.add(WriteRequest.builder().putRequest(r -> r.item(item)).build());
            units += ItemCodec.writeUnits(ItemCodec.itemSize(item));
        }
        WriterHistory next = writerId.equals(writers.owner(firstSeq)) ? writers : writers.with(writerId, firstSeq);
        Map<String, AttributeValue> runItem = codec.runItem(written.snapshot(), lastEventId, next.encode(), expiresAt);
        units += ItemCodec.writeUnits(ItemCodec.itemSize(runItem));
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(shared.table()).item(runItem)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (headEventId == null) {
            put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
        } else {
            put.conditionExpression("#ls = :ls AND #h = :h")
                    .expressionAttributeNames(Map.of("#ls", LAST_SEQ, "#h", HEAD_EVENT_ID))
                    .expressionAttributeValues(Map.of(":ls", n(headSeq), ":h", s(headEventId)));
        }
        return new Flight(List.copyOf(batch), eventItems, put.build(), firstSeq, last.event.sequence(), lastEventId,
                next, units);
    }

    private Long expiry(RunInfo info) {
        long retention = shared.config().retention().toSeconds();
        if (retention == 0 || info.updatedAt() == null) {
            return null;
        }
        return info.updatedAt().getEpochSecond() + retention;
    }

    private void putRunItem(Flight f, int attempt) {
        CompletableFuture<PutItemResponse> call;
        try {
            call = shared.client().putItem(f.runPut());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((r, t) -> {
            if (t == null) {
                succeeded(f, r.consumedCapacity());
            } else if (Async.isConditionFailure(t)) {
                // Off the SDK's thread: telling our own earlier attempt from another writer takes a read.
                shared.scheduler().execute(() -> resolveConditionFailure(f, t));
            } else if (Async.isRetryable(t) && attempt < shared.config().writeAttempts()) {
                shared.stats().retries.increment();
                long delay = Async.backoffMillis(shared.config().writeRetryBaseDelay(), attempt);
                LOG.debug("run '{}': commit of #{}..#{} failed ({}); attempt {} in {} ms", runId, f.firstSeq(),
                        f.lastSeq(), Async.unwrap(t).toString(), attempt + 1, delay);
                shared.scheduler().schedule(() -> putRunItem(f, attempt + 1), delay, TimeUnit.MILLISECONDS);
            } else {
                Throwable cause = Async.unwrap(t);
                fail(f, new IllegalStateException("run '" + runId + "': events #" + f.firstSeq() + ".." + f.lastSeq()
                        + " could not be committed to DynamoDB table '" + shared.table() + "' after " + attempt
                        + " attempt(s): " + cause, cause));
            }
        });
    }

    /**
     * The commit's condition failed: either an earlier attempt of this very put was applied and only
     * its response was lost (then the run item's head is our last eventId), or another writer has
     * moved the run on.
     */
    private void resolveConditionFailure(Flight f, Throwable t) {
        try {
            Map<String, AttributeValue> run = shared.reader().runItem(runId);
            long storedSeq = run == null ? 0 : ItemCodec.seq(run, LAST_SEQ);
            if (run != null && f.lastEventId().equals(run.get(HEAD_EVENT_ID).s())) {
                shared.stats().replaysRecognised.increment();
                succeeded(f, null);
                return;
            }
            shared.stats().conflicts.increment();
            String storedHead = run == null ? null : run.get(HEAD_EVENT_ID).s();
            fail(f, new SequenceConflictException(runId, f.firstSeq(), f.lastSeq(), storedSeq, storedHead));
        } catch (RuntimeException e) {
            e.addSuppressed(Async.unwrap(t));
            fail(f, new IllegalStateException("run '" + runId + "': could not tell whether events #" + f.firstSeq()
                    + ".." + f.lastSeq() + " were written: " + e, e));
        }
    }

    private void succeeded(Flight f, ConsumedCapacity capacity) {
        WriteStats st = shared.stats();
        st.commits.increment();
        st.eventsWritten.add(f.batch().size());
        st.itemsWritten.add(f.batch().size() + 1);
        st.estimatedWriteUnits.add(f.units());
        if (capacity != null && capacity.capacityUnits() != null) {
            st.reportedWriteUnits.add(capacity.capacityUnits());
        }
        synchronized (this) {
            headSeq = f.lastSeq();
            headEventId = f.lastEventId();
            writers = f.writers();
            inFlight = null;
            maybeSend();
        }
        f.batch().forEach(p -> p.complete(null));
    }

    private void fail(Flight f, RuntimeException failure) {
        List<Pending> dropped;
        synchronized (this) {
            broken = failure;
            inFlight = null;
            dropped = new ArrayList<>(pending);
            pending.clear();
            pendingProgress.clear();
            urgent = 0;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
        LOG.error("{}", failure.getMessage());
        f.batch().forEach(p -> p.complete(failure));
        dropped.forEach(p -> p.complete(failure));
    }
}

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
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static dev.progresstracker.dynamodb.internal.TableLayout.*;

/**
 * Writes one run. Events queue here; one {@code TransactWriteItems} at a time carries the queued
 * events, the tasks they touched and the run item. The run item's put is conditional on the head
 * (sequence and eventId) this writer last wrote, so a second writer of the same run fails instead
 * of interleaving. While a write is in flight, new events wait and go together in the next one
 * (group commit); {@code task.progress} events may wait up to the coalescing interval for a newer
 * one of the same task to replace them.
 *
 * <p>Thread-safe: {@link #append} is called by the store thread, completions arrive on SDK threads,
 * timers and retries on the store's scheduler.
 */
public final class RunWriter {

    /** TransactWriteItems takes at most 100 actions and 4 MB; keep a margin below the size. */
    static final int MAX_ACTIONS = 100;
    static final long MAX_TX_BYTES = 3_500_000;

    private static final Logger LOG = LoggerFactory.getLogger(RunWriter.class);

    /** What all writers of one store share. */
    public record Shared(DynamoDbAsyncClient client, String table, DynamoDbStoreConfig config, ItemCodec codec,
                         RunReader reader, ScheduledExecutorService scheduler, WriteStats stats) {
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

    /** One transaction, possibly attempted several times with the same token. */
    private record Flight(List<Pending> batch, TransactWriteItemsRequest request, long firstSeq, long lastSeq,
                          String lastEventId, int items, int units) {
    }

    private final String runId;
    private final Shared shared;
    private final long coalesceNanos;

    // Guarded by this.
    private long appliedSeq;
    private final RunProjection written;
    private final Map<String, Long> taskOrder;
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
            taskOrder = new HashMap<>();
        } else {
            written = RunProjection.of(loaded.state(), RunProjection.Mode.ALLOW_GAPS);
            taskOrder = new HashMap<>(loaded.taskOrder());
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
        int actions = 1;
        long bytes = 0;
        List<Pending> batch = new ArrayList<>();
        Map<String, Long> touched = new LinkedHashMap<>();
        for (Pending p : pending) {
            int extra = p.taskId != null && !touched.containsKey(p.taskId) ? 2 : 1;
            long size = (long) p.body.length() * extra;
            if (!batch.isEmpty() && (actions + extra > MAX_ACTIONS || bytes + size > MAX_TX_BYTES)) {
                break;
            }
            actions += extra;
            bytes += size;
            batch.add(p);
            if (p.taskId != null) {
                touched.put(p.taskId, p.event.sequence());
            }
        }
        pending.subList(0, batch.size()).clear();
        for (Pending p : batch) {
            if (p.coalescible) {
                pendingProgress.remove(p.taskId, p);
            } else {
                urgent--;
            }
            written.apply(p.event);
            if (p.taskId != null) {
                taskOrder.putIfAbsent(p.taskId, p.event.sequence());
            }
        }
        inFlight = buildFlight(batch, touched);
        attempt(inFlight, 1);
    }

    private Flight buildFlight(List<Pending> batch, Map<String, Long> touched) {
        RunInfo info = written.info();
        Long expiresAt = expiry(info);
        Pending last = batch.get(batch.size() - 1);
        String lastEventId = last.event.eventId().toString();
        ItemCodec codec = shared.codec();
        List<TransactWriteItem> actions = new ArrayList<>(1 + batch.size() + touched.size());
        int units = 0;

        Map<String, AttributeValue> runItem = codec.runItem(info, written.snapshot().activeAlerts(), lastEventId, expiresAt);
        Put.Builder run = Put.builder().tableName(shared.table()).item(runItem);
        if (headEventId == null) {
            run.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
        } else {
            run.conditionExpression("#ls = :ls AND #h = :h")
                    .expressionAttributeNames(Map.of("#ls", LAST_SEQ, "#h", HEAD_EVENT_ID))
                    .expressionAttributeValues(Map.of(":ls", n(headSeq), ":h", s(headEventId)));
        }
        actions.add(TransactWriteItem.builder().put(run.build()).build());
        units += 2 * ItemCodec.writeUnits(ItemCodec.itemSize(runItem));

        for (Pending p : batch) {
            Map<String, AttributeValue> item = codec.eventItem(p.event, p.body, expiresAt);
            actions.add(TransactWriteItem.builder().put(Put.builder().tableName(shared.table()).item(item)
                    .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))
                    .build()).build());
            units += 2 * ItemCodec.writeUnits(ItemCodec.itemSize(item));
        }
        for (Map.Entry<String, Long> t : touched.entrySet()) {
            Map<String, AttributeValue> item = codec.taskItem(runId, written.task(t.getKey()),
                    taskOrder.get(t.getKey()), t.getValue(), expiresAt);
            actions.add(TransactWriteItem.builder().put(Put.builder().tableName(shared.table()).item(item).build())
                    .build());
            units += 2 * ItemCodec.writeUnits(ItemCodec.itemSize(item));
        }
        long firstSeq = batch.get(0).event.sequence();
        // Same token on every attempt: DynamoDB then applies a repeated transaction only once (for 10 minutes).
        String token = UUID.nameUUIDFromBytes((runId + "|" + firstSeq + "|" + lastEventId)
                .getBytes(StandardCharsets.UTF_8)).toString();
        TransactWriteItemsRequest request = TransactWriteItemsRequest.builder().transactItems(actions)
                .clientRequestToken(token).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        return new Flight(List.copyOf(batch), request, firstSeq, last.event.sequence(), lastEventId, actions.size(), units);
    }

    private Long expiry(RunInfo info) {
        long retention = shared.config().retention().toSeconds();
        if (retention == 0 || info.updatedAt() == null) {
            return null;
        }
        return info.updatedAt().getEpochSecond() + retention;
    }

    private void attempt(Flight f, int attempt) {
        CompletableFuture<TransactWriteItemsResponse> call;
        try {
            call = shared.client().transactWriteItems(f.request());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((r, t) -> {
            if (t == null) {
                succeeded(f, r);
            } else if (Async.isConditionFailure(t)) {
                // Off the SDK's thread: telling our own earlier attempt from another writer takes two reads.
                shared.scheduler().execute(() -> resolveConditionFailure(f, t));
            } else if (Async.isRetryable(t) && attempt < shared.config().writeAttempts()) {
                shared.stats().retries.increment();
                long delay = Async.backoffMillis(shared.config().writeRetryBaseDelay(), attempt);
                LOG.debug("run '{}': write of #{}..#{} failed ({}); attempt {} in {} ms", runId, f.firstSeq(), f.lastSeq(),
                        Async.unwrap(t).toString(), attempt + 1, delay);
                shared.scheduler().schedule(() -> attempt(f, attempt + 1), delay, TimeUnit.MILLISECONDS);
            } else {
                Throwable cause = Async.unwrap(t);
                fail(f, new IllegalStateException("run '" + runId + "': events #" + f.firstSeq() + ".." + f.lastSeq()
                        + " could not be written to DynamoDB table '" + shared.table() + "' after " + attempt
                        + " attempt(s): " + cause, cause));
            }
        });
    }

    /**
     * A condition failed: either an earlier attempt of this very transaction was applied and only its
     * response was lost (then its last event is in the table with our eventId), or another writer has
     * moved the run on.
     */
    private void resolveConditionFailure(Flight f, Throwable t) {
        try {
            Map<String, AttributeValue> run = shared.reader().runItem(runId);
            long storedSeq = run == null ? 0 : ItemCodec.seq(run, LAST_SEQ);
            if (storedSeq >= f.lastSeq() && f.lastEventId().equals(shared.reader().eventIdAt(runId, f.lastSeq()))) {
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

    private void succeeded(Flight f, TransactWriteItemsResponse r) {
        WriteStats st = shared.stats();
        st.transactions.increment();
        st.eventsWritten.add(f.batch().size());
        st.itemsWritten.add(f.items());
        st.estimatedWriteUnits.add(f.units());
        if (r != null && r.hasConsumedCapacity()) {
            for (ConsumedCapacity c : r.consumedCapacity()) {
                if (c.capacityUnits() != null) {
                    st.reportedWriteUnits.add(c.capacityUnits());
                }
            }
        }
        synchronized (this) {
            headSeq = f.lastSeq();
            headEventId = f.lastEventId();
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

package dev.progresstracker.dynamodb.internal;

import static dev.progresstracker.dynamodb.internal.TableLayout.*;

import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Every read of the store, blocking, safe from any thread. Item reads are strongly consistent. */
public final class RunReader {

    /** Events per Query page (DynamoDB also stops a page at 1 MB). */
    public static final int EVENT_PAGE = 1000;

    private static final int BATCH_GET = 100;
    /** Reads of a chunked state that may meet chunks a newer commit already replaced. */
    private static final int LOAD_ATTEMPTS = 5;

    private final DynamoDbAsyncClient client;
    private final String table;
    private final BatchWriter batchWriter;
    private final int attempts;
    private final Duration baseDelay;
    private final Consumer<AwsRequestOverrideConfiguration.Builder> request;

    /**
     * A run as stored, with what a writer needs to continue it.
     *
     * @param stateKey    the key of its state chunks, null when the state is inline
     * @param stateChunks how many chunks that state has (0 when inline)
     * @param stateBytes  the compressed state's size
     */
    public record Loaded(
            RunState state,
            String headEventId,
            WriterHistory writers,
            String stateKey,
            int stateChunks,
            int stateBytes) {}

    public RunReader(DynamoDbAsyncClient client, DynamoDbStoreConfig config, WriteStats stats) {
        this.client = client;
        this.table = config.tableName();
        this.attempts = config.writeAttempts();
        this.baseDelay = config.writeRetryBaseDelay();
        this.request = WriteBudget.single(config, stats);
        this.batchWriter = new BatchWriter(client, table, config, stats);
    }

    public Map<String, AttributeValue> runItem(String runId) {
        var r = Async.await(client.getItem(b ->
                b.tableName(table).key(key(runId, RUN_SK)).consistentRead(true).overrideConfiguration(request)));
        return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
    }

    /**
     * The run's stored state, or null: one strongly consistent read of the run item, plus one
     * query of its state chunks when the state outgrew the item. A writer deletes the chunks a newer
     * commit replaced, so a read that finds fewer chunks than the run item names reads again.
     */
    public Loaded load(String runId) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> run = runItem(runId);
            if (run == null) {
                return null;
            }
            RunState state = ItemCodec.inlineState(run);
            if (state == null) {
                String stateKey = run.get(STATE_KEY).s();
                long expected = ItemCodec.seq(run, STATE_CHUNKS);
                List<Map<String, AttributeValue>> chunks = stateChunks(runId, stateKey);
                if (chunks.size() != expected) {
                    if (attempt < LOAD_ATTEMPTS) {
                        continue;
                    }
                    throw new IllegalStateException("run '" + runId + "' in DynamoDB table '" + table + "': its state "
                            + stateKey + " has " + chunks.size() + " of " + expected + " chunk items after "
                            + LOAD_ATTEMPTS + " reads (a writer keeps replacing it, or chunks expired by TTL)");
                }
                state = ItemCodec.chunkedState(chunks);
            }
            return new Loaded(
                    state,
                    run.get(HEAD_EVENT_ID).s(),
                    WriterHistory.parse(run.get(WRITERS).s()),
                    run.containsKey(STATE_KEY) ? run.get(STATE_KEY).s() : null,
                    (int) ItemCodec.seq(run, STATE_CHUNKS),
                    run.containsKey(STATE)
                            ? run.get(STATE).b().asByteArrayUnsafe().length
                            : (int) ItemCodec.seq(run, STATE_BYTES));
        }
    }

    /** The chunk items of one stored state, in order. */
    public List<Map<String, AttributeValue>> stateChunks(String runId, String stateKey) {
        return queryAll(q -> q.keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(
                        Map.of(":pk", s(runPk(runId)), ":prefix", s(STATE_PREFIX + stateKey + "#"))));
    }

    /** Delete requests for the {@code count} chunk items of a state no commit points to any more. */
    public static List<WriteRequest> stateChunkDeletes(String runId, String stateKey, int count) {
        List<WriteRequest> deletes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> k = key(runId, stateChunkSk(stateKey, i));
            deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(k)).build());
        }
        return deletes;
    }

    /**
     * Events after {@code afterSequence} up to the run item's head, taking at each sequence only the
     * item of the writer that owns it. Stops at the first missing sequence (coalesced or expired).
     */
    public Optional<List<ProgressEvent>> eventsSince(String runId, long afterSequence, int maxEvents) {
        return events(runId, afterSequence, maxEvents, true);
    }

    /** Like {@link #eventsSince} but passing over missing sequences (for followers that accept gaps). */
    public List<ProgressEvent> committedEventsAfter(String runId, long afterSequence, int maxEvents) {
        return events(runId, afterSequence, maxEvents, false).orElse(List.of());
    }

    private Optional<List<ProgressEvent>> events(String runId, long afterSequence, int maxEvents, boolean contiguous) {
        Map<String, AttributeValue> run = runItem(runId);
        long head = run == null ? 0 : ItemCodec.seq(run, LAST_SEQ);
        if (maxEvents == 0 || afterSequence >= head) {
            return Optional.of(List.of());
        }
        WriterHistory writers = WriterHistory.parse(run.get(WRITERS).s());
        List<ProgressEvent> out = new ArrayList<>();
        long expected = afterSequence + 1;
        Map<String, AttributeValue> start = null;
        do {
            final Map<String, AttributeValue> from = start;
            final int limit = Math.min(EVENT_PAGE, maxEvents - out.size() + 16);
            QueryResponse page = Async.await(client.query(q -> {
                q.tableName(table)
                        .consistentRead(true)
                        .limit(limit)
                        .overrideConfiguration(request)
                        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                        .expressionAttributeValues(Map.of(
                                ":pk",
                                s(runPk(runId)),
                                ":from",
                                s(eventSk(afterSequence + 1)),
                                ":to",
                                s(eventSkEnd(head))));
                if (from != null) {
                    q.exclusiveStartKey(from);
                }
            }));
            for (Map<String, AttributeValue> item : page.items()) {
                long seq = ItemCodec.seq(item, SEQ);
                if (!item.get(WRITER).s().equals(writers.owner(seq))) {
                    continue; // left by a writer that lost the run or crashed before committing
                }
                if (seq != expected && contiguous) {
                    return out.isEmpty() ? Optional.empty() : Optional.of(out);
                }
                out.add(ItemCodec.event(item));
                expected = seq + 1;
                if (out.size() == maxEvents) {
                    return Optional.of(out);
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        if (contiguous && expected <= head && out.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(out);
    }

    /** Every run, newest update first: one query per status on the sparse status index. */
    public List<RunInfo> listRuns() {
        Set<String> ids = new LinkedHashSet<>();
        for (RunStatus status : RunStatus.values()) {
            ids.addAll(runIdsFromIndex(BY_STATUS_INDEX, RUN_STATUS, status.name()));
        }
        return runInfos(ids);
    }

    public List<RunInfo> listRunsByStatus(RunStatus status) {
        return runInfos(runIdsFromIndex(BY_STATUS_INDEX, RUN_STATUS, status.name())).stream()
                .filter(r -> r.status() == status)
                .toList();
    }

    public List<RunInfo> listRunsByCluster(String cluster) {
        return runInfos(runIdsFromIndex(BY_CLUSTER_INDEX, CLUSTER, cluster)).stream()
                .filter(r -> cluster.equals(r.clusterName()))
                .toList();
    }

    private List<String> runIdsFromIndex(String index, String attr, String value) {
        List<String> ids = new ArrayList<>();
        for (Map<String, AttributeValue> item : queryAll(q -> q.indexName(index)
                .keyConditionExpression("#k = :v")
                .expressionAttributeNames(Map.of("#k", attr))
                .expressionAttributeValues(Map.of(":v", s(value)))
                .consistentRead(false))) {
            ids.add(item.get(RUN_ID).s());
        }
        return ids;
    }

    /** Reads the run items themselves (the index may lag behind them), newest update first. */
    private List<RunInfo> runInfos(Iterable<String> runIds) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        runIds.forEach(id -> keys.add(key(id, RUN_SK)));
        List<RunInfo> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET) {
            Map<String, KeysAndAttributes> request = Map.of(
                    table,
                    KeysAndAttributes.builder()
                            .keys(keys.subList(from, Math.min(keys.size(), from + BATCH_GET)))
                            .consistentRead(true)
                            .projectionExpression("#i, #u")
                            .expressionAttributeNames(Map.of("#i", INFO, "#u", UPDATED_AT))
                            .build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                final Map<String, KeysAndAttributes> send = request;
                BatchGetItemResponse r = Async.await(client.batchGetItem(b -> b.requestItems(send)));
                r.responses().getOrDefault(table, List.of()).forEach(i -> out.add(ItemCodec.runInfo(i)));
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    if (attempt >= attempts) {
                        throw new IllegalStateException(
                                "BatchGetItem left keys unprocessed after " + attempts + " attempts");
                    }
                    TableLayout.sleep(Async.backoffMillis(baseDelay, attempt));
                }
            }
        }
        out.sort(Comparator.comparing(RunInfo::updatedAt, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(RunInfo::runId));
        return out;
    }

    /**
     * Deletes the run item first (the run disappears from every read at once), then the rest of
     * its partition in batches. Returns whether the run item existed.
     */
    public boolean deleteRun(String runId) {
        var deleted = Async.await(client.deleteItem(b -> b.tableName(table)
                .key(key(runId, RUN_SK))
                .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD)));
        boolean existed = deleted.hasAttributes() && !deleted.attributes().isEmpty();
        List<WriteRequest> deletes = new ArrayList<>();
        for (Map<String, AttributeValue> item : queryAll(q -> q.keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK, "#p", PK, "#s", SK))
                .projectionExpression("#p, #s")
                .expressionAttributeValues(Map.of(":pk", s(runPk(runId)))))) {
            deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(item)).build());
        }
        batchWriter.writeAll(deletes);
        return existed;
    }

    private List<Map<String, AttributeValue>> queryAll(Consumer<QueryRequest.Builder> shape) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            final Map<String, AttributeValue> from = start;
            QueryResponse page = Async.await(client.query(q -> {
                q.tableName(table).consistentRead(true).overrideConfiguration(request);
                shape.accept(q);
                if (from != null) {
                    q.exclusiveStartKey(from);
                }
            }));
            out.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }
}

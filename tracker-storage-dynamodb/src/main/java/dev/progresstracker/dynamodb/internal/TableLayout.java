package dev.progresstracker.dynamodb.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The single-table layout (see the module README): key names, key values, and table creation.
 * All items of a run share the partition {@code RUN#<runId>}; the sort key tells them apart.
 */
public final class TableLayout {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String RUN_SK = "RUN";
    public static final String EVENT_PREFIX = "EVT#";

    /** TTL attribute (epoch seconds) on every item. */
    public static final String EXPIRES_AT = "expiresAt";

    // run item
    public static final String RUN_ID = "runId";
    public static final String RUN_STATUS = "runStatus";
    public static final String CLUSTER = "clusterName";
    public static final String LAST_SEQ = "lastSeq";
    public static final String HEAD_EVENT_ID = "headEventId";
    public static final String INFO = "info";
    public static final String STATE = "state";
    public static final String WRITERS = "writers";
    public static final String UPDATED_AT = "updatedAt";
    /** When the state is in chunks: their key ({@code <writer>#<sequence>}), count and total bytes. */
    public static final String STATE_KEY = "stateKey";

    public static final String STATE_CHUNKS = "stateChunks";
    public static final String STATE_BYTES = "stateBytes";

    // state chunk item: sk = STATE#<stateKey>#<index, 6 digits>
    public static final String STATE_PREFIX = "STATE#";
    public static final String DATA = "data";

    // event item
    public static final String SEQ = "seq";
    public static final String EVENT_ID = "eventId";
    public static final String TYPE = "type";
    public static final String BODY = "body";
    public static final String WRITER = "writer";

    /** Sparse GSIs over run items only: KEYS_ONLY, so progress writes do not rewrite them. */
    public static final String BY_STATUS_INDEX = "runs-by-status";

    public static final String BY_CLUSTER_INDEX = "runs-by-cluster";

    private TableLayout() {}

    public static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    public static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }

    public static String runPk(String runId) {
        return "RUN#" + runId;
    }

    /** Lower bound of the sort keys of sequence {@code seq} (any writer). */
    public static String eventSk(long seq) {
        // Zero-padded so that the string order of sort keys is the numeric order of sequences.
        String digits = Long.toString(seq);
        return EVENT_PREFIX + "0".repeat(19 - digits.length()) + digits;
    }

    /** Sort key of sequence {@code seq} written by {@code writer}: two writers never overwrite each other. */
    public static String eventSk(long seq, String writer) {
        return eventSk(seq) + "#" + writer;
    }

    /** Upper bound of the sort keys of sequence {@code seq}. */
    public static String eventSkEnd(long seq) {
        return eventSk(seq) + "#~";
    }

    public static String stateKey(String writer, long seq) {
        String digits = Long.toString(seq);
        return writer + "#" + "0".repeat(19 - digits.length()) + digits;
    }

    public static String stateChunkSk(String stateKey, int index) {
        String digits = Integer.toString(index);
        return STATE_PREFIX + stateKey + "#" + "0".repeat(Math.max(0, 6 - digits.length())) + digits;
    }

    public static Map<String, AttributeValue> key(String runId, String sk) {
        return Map.of(PK, s(runPk(runId)), SK, s(sk));
    }

    /**
     * Creates the table (on-demand billing, both GSIs, TTL on {@value #EXPIRES_AT}) unless it exists,
     * and waits until it is active. Safe to call from several processes at once.
     *
     * @return true if this call created it
     */
    public static boolean createTableIfMissing(DynamoDbAsyncClient client, String table, Duration timeout) {
        TableDescription existing = describe(client, table);
        if (existing != null) {
            requireLayout(existing);
            return false;
        }
        boolean created = true;
        try {
            Async.await(client.createTable(createTableRequest(table)));
        } catch (ResourceInUseException e) {
            created = false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TableStatus status = Async.await(client.describeTable(b -> b.tableName(table)))
                    .table()
                    .tableStatus();
            if (status == TableStatus.ACTIVE) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table '" + table + "' is still " + status + " after " + timeout);
            }
            sleep(500);
        }
        var ttl =
                Async.await(client.describeTimeToLive(b -> b.tableName(table))).timeToLiveDescription();
        if (ttl == null || ttl.attributeName() == null) {
            Async.await(client.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(EXPIRES_AT))));
        }
        return created;
    }

    private static TableDescription describe(DynamoDbAsyncClient client, String table) {
        try {
            return Async.await(client.describeTable(b -> b.tableName(table))).table();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    /**
     * Fails, naming what it expected and what it found, unless {@code table} has this store's key
     * schema (string {@value #PK} hash key, string {@value #SK} range key) and both run indexes.
     */
    static void requireLayout(TableDescription table) {
        String expected = PK + " HASH (S), " + SK + " RANGE (S)";
        String actual = keySchema(table.keySchema(), table.attributeDefinitions());
        if (!expected.equals(actual)) {
            throw new IllegalStateException("DynamoDB table '" + table.tableName() + "' exists with key schema ["
                    + actual + "] but this store needs [" + expected
                    + "]: use another table name or recreate the table");
        }
        List<String> indexes = new ArrayList<>();
        if (table.hasGlobalSecondaryIndexes()) {
            table.globalSecondaryIndexes().forEach(i -> indexes.add(i.indexName()));
        }
        List<String> missing = new ArrayList<>(List.of(BY_STATUS_INDEX, BY_CLUSTER_INDEX));
        missing.removeAll(indexes);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("DynamoDB table '" + table.tableName()
                    + "' has the right keys but lacks the " + "global secondary index(es) " + missing
                    + " this store lists runs with (it has " + indexes + ")");
        }
    }

    private static String keySchema(List<KeySchemaElement> keys, List<AttributeDefinition> attrs) {
        List<String> out = new ArrayList<>();
        for (KeySchemaElement k : keys) {
            String type = attrs.stream()
                    .filter(a -> a.attributeName().equals(k.attributeName()))
                    .map(a -> a.attributeTypeAsString())
                    .findFirst()
                    .orElse("?");
            out.add(k.attributeName() + " " + k.keyTypeAsString() + " (" + type + ")");
        }
        return String.join(", ", out);
    }

    public static CreateTableRequest createTableRequest(String table) {
        return CreateTableRequest.builder()
                .tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr(PK), attr(SK), attr(RUN_STATUS), attr(CLUSTER), attr(RUN_ID))
                .keySchema(hash(PK), range(SK))
                .globalSecondaryIndexes(gsi(BY_STATUS_INDEX, RUN_STATUS), gsi(BY_CLUSTER_INDEX, CLUSTER))
                .build();
    }

    private static GlobalSecondaryIndex gsi(String name, String hashKey) {
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(hash(hashKey), range(RUN_ID))
                .projection(Projection.builder()
                        .projectionType(ProjectionType.KEYS_ONLY)
                        .build())
                .build();
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder()
                .attributeName(name)
                .keyType(KeyType.HASH)
                .build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder()
                .attributeName(name)
                .keyType(KeyType.RANGE)
                .build();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.dynamodb.internal.ItemCodec;
import dev.progresstracker.test.SampleRuns;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The table as DynamoDB sees it: TTL setting and attributes, the run indexes, item size limits. */
class TableLayoutIT {

    @RegisterExtension
    static final EmulatorClient DB = EmulatorClient.moto();

    private static List<Map<String, AttributeValue>> partition(String table, String runId) {
        return DB.client()
                .query(q -> q.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .consistentRead(true)
                        .expressionAttributeValues(Map.of(
                                ":pk",
                                AttributeValue.builder().s("RUN#" + runId).build())))
                .join()
                .items();
    }

    @Test
    void createTableIfMissingEnablesTtlAndIsIdempotent() {
        String table = DynamoDbTestSupport.freshTable(DB.client());
        assertThat(DynamoDbProgressStore.createTableIfMissing(DB.client(), table))
                .isFalse();
        var ttl = DB.client().describeTimeToLive(b -> b.tableName(table)).join().timeToLiveDescription();
        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
        var indexes = DB.client()
                .describeTable(b -> b.tableName(table))
                .join()
                .table()
                .globalSecondaryIndexes();
        assertThat(indexes)
                .extracting(i -> i.indexName())
                .containsExactlyInAnyOrder("runs-by-status", "runs-by-cluster");
    }

    @Test
    void everyItemCarriesTheTtlAttributeRetentionAfterItsLastWrite() throws Exception {
        String table = DynamoDbTestSupport.freshTable(DB.client());
        Duration retention = Duration.ofDays(7);
        List<ProgressEvent> events = SampleRuns.upgrade("ttl-run");
        try (DynamoDbProgressStore store = DynamoDbProgressStore.builder()
                .client(DB.client())
                .config(DynamoDbTestSupport.noCoalescing(table).toBuilder()
                        .retention(retention)
                        .build())
                .build()) {
            for (ProgressEvent e : events) {
                store.append(e).toCompletableFuture().join();
            }
        }
        List<Map<String, AttributeValue>> items = partition(table, "ttl-run");
        assertThat(items).hasSizeGreaterThan(events.size());
        long lastWrite = events.get(events.size() - 1).time().getEpochSecond();
        for (Map<String, AttributeValue> item : items) {
            assertThat(item).containsKey("expiresAt");
            long expiresAt = Long.parseLong(item.get("expiresAt").n());
            String sk = item.get("sk").s();
            if (sk.startsWith("EVT#")) {
                // One event per transaction here: each event item expires retention after its own time.
                ProgressEvent e = events.get(Integer.parseInt(item.get("seq").n()) - 1);
                assertThat(expiresAt).as(sk).isEqualTo(e.time().getEpochSecond() + retention.toSeconds());
            } else if (sk.equals("RUN")) {
                assertThat(expiresAt).isEqualTo(lastWrite + retention.toSeconds());
            } else {
                throw new AssertionError("unexpected item " + sk);
            }
        }
    }

    @Test
    void zeroRetentionWritesNoTtlAttribute() {
        String table = DynamoDbTestSupport.freshTable(DB.client());
        try (DynamoDbProgressStore store = DynamoDbProgressStore.builder()
                .client(DB.client())
                .config(DynamoDbTestSupport.noCoalescing(table).toBuilder()
                        .retention(Duration.ZERO)
                        .build())
                .build()) {
            for (ProgressEvent e : SampleRuns.failure("no-ttl")) {
                store.append(e).toCompletableFuture().join();
            }
        }
        assertThat(partition(table, "no-ttl"))
                .isNotEmpty()
                .allSatisfy(i -> assertThat(i).doesNotContainKey("expiresAt"));
    }

    @Test
    void runsAreListedByClusterAndByStatusAcrossWriters() {
        String table = DynamoDbTestSupport.freshTable(DB.client());
        DynamoDbStoreConfig config = DynamoDbTestSupport.noCoalescing(table);
        try (DynamoDbProgressStore hostA = DynamoDbProgressStore.builder()
                        .client(DB.client())
                        .config(config)
                        .build();
                DynamoDbProgressStore hostB = DynamoDbProgressStore.builder()
                        .client(DB.client())
                        .config(config)
                        .build()) {
            for (ProgressEvent e : SampleRuns.upgrade("eu-1")) {
                hostA.append(e).toCompletableFuture().join();
            }
            for (ProgressEvent e : SampleRuns.failure("eu-2")) {
                hostB.append(e).toCompletableFuture().join();
            }
            for (ProgressEvent e : SampleRuns.record("us-1", (t, c) -> {
                t.addTask("x", "X", TaskType.UPGRADE_STEP, null);
                t.startUpgrade("one");
            })) {
                hostB.append(e).toCompletableFuture().join();
            }
            // us-1 was recorded with cluster prod-eu too (SampleRuns); every run is listed from either host.
            assertThat(hostA.listRuns()).extracting(RunInfo::runId).containsExactlyInAnyOrder("eu-1", "eu-2", "us-1");
            assertThat(hostB.listRunsByCluster("prod-eu"))
                    .extracting(RunInfo::runId)
                    .containsExactlyInAnyOrder("eu-1", "eu-2", "us-1");
            assertThat(hostB.listRunsByCluster("prod-us")).isEmpty();
            assertThat(hostA.listRunsByStatus(RunStatus.CANCELLED))
                    .extracting(RunInfo::runId)
                    .containsExactly("eu-2");
            assertThat(hostA.listRunsByStatus(RunStatus.IN_PROGRESS))
                    .extracting(RunInfo::runId)
                    .containsExactly("us-1");
            assertThatThrownBy(() -> hostA.listRunsByCluster(" "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("clusterName");
        }
    }

    @Test
    void oversizedDetailsAreTrimmedWithAMarkerAndTheRestIsKept() {
        String table = DynamoDbTestSupport.freshTable(DB.client());
        String big = "x".repeat(20_000);
        List<ProgressEvent> events = SampleRuns.record("big", (t, c) -> {
            t.addTask("t", "T", TaskType.UPGRADE_STEP, null);
            t.startTask("t");
            t.updateTaskProgress("t", 10, "still here", Map.of("log", big));
            t.updateTaskProgress("t", 20, "small", Map.of("n", 1));
        });
        try (DynamoDbProgressStore store = DynamoDbProgressStore.builder()
                .client(DB.client())
                .config(DynamoDbTestSupport.noCoalescing(table).toBuilder()
                        .maxItemBytes(8192)
                        .build())
                .build()) {
            for (ProgressEvent e : events) {
                store.append(e).toCompletableFuture().join();
            }
            List<ProgressEvent> stored = store.eventsSince("big", 0, 100).orElseThrow();
            var trimmed = ((dev.progresstracker.core.event.TaskEvent) stored.get(2)).task();
            assertThat(trimmed.message()).isEqualTo("still here");
            assertThat(trimmed.percent()).isEqualTo(10.0);
            assertThat(trimmed.details())
                    .containsEntry(ItemCodec.TRIMMED_MARKER, true)
                    .doesNotContainKey("log");
            var small = ((dev.progresstracker.core.event.TaskEvent) stored.get(3)).task();
            assertThat(small.details()).containsEntry("n", 1);
            assertThat(store.loadRun("big").orElseThrow().tasks().get(0).percent())
                    .isEqualTo(20.0);
        }
        assertThat(partition(table, "big"))
                .allSatisfy(i -> assertThat(ItemCodec.itemSize(i)).isLessThanOrEqualTo(8192));
    }
}

package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.EventLimits;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.StoreUnavailableException;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.test.RecordingSink;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Finding 7, a run whose state outgrows one item: 2,400 tasks with 400-character names (the trial
 * that froze at 1,201 calls) now just work — the state is split over chunk items — and reload
 * exactly on another store. Where the store's own limit ({@code maxRunStateBytes}) remains, it warns
 * at 80 %, reports REFUSING before a call could pass it, and leaves no accepted event unanswered.
 */
class StateSizeIT extends WithFreshTable {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    @Override
    AwsEmulatorExtension emulator() {
        return MOTO;
    }

    /** 400 characters gzip cannot shrink much (like real generated names), different per task. */
    private static String name(Random random, int i) {
        StringBuilder b = new StringBuilder("task " + i + " ");
        while (b.length() < 400) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }

    @Test
    void aRunOf2400TasksWith400CharacterNamesIsStoredAndReloadsExactly() throws Exception {
        DynamoDbStoreConfig config = DynamoDbTestSupport.noCoalescing(table);
        Random random = new Random(7);
        RecordingSink sink = new RecordingSink("all", OverflowPolicy.BLOCK, 100_000);
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        RunState atClose;
        DynamoDbStoreStats stats;
        try (DynamoDbProgressStore store = store(config);
                ProgressTracker t = ProgressTracker.builder()
                        .runId("wide")
                        .clusterName("prod-eu")
                        .store(store)
                        .sink(sink)
                        .build()) {
            for (int i = 0; i < 2400; i++) {
                acks.add(t.addTask("t" + i, name(random, i), TaskType.UPGRADE_STEP, null)
                        .toCompletableFuture());
            }
            acks.add(t.startUpgrade("nodes").toCompletableFuture());
            for (int i = 0; i < 20; i++) {
                acks.add(t.startTask("t" + i).toCompletableFuture());
                acks.add(t.completeTask("t" + i).toCompletableFuture());
            }
            assertEveryAckCompletes(acks);
            assertThat(store.health("wide").isWriting()).isTrue();
            atClose = t.snapshot();
            stats = store.stats();
        }
        assertThat(stats.stateChunksWritten())
                .as("the state outgrew the run item")
                .isPositive();
        assertThat(stats.writesGivenUp()).isZero();

        try (DynamoDbProgressStore other = store(config)) {
            RunState loaded = other.loadRun("wide").orElseThrow();
            assertThat(loaded.tasks()).hasSize(2400).containsExactlyElementsOf(atClose.tasks());
            assertThat(loaded.lastSequence()).isEqualTo(atClose.lastSequence());
            List<ProgressEvent> stored =
                    other.eventsSince("wide", 0, Integer.MAX_VALUE).orElseThrow();
            assertThat(stored)
                    .extracting(ProgressEvent::sequence)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, acks.size()).boxed().toList());
            RunProjection fold = new RunProjection("wide", RunProjection.Mode.CONTIGUOUS);
            stored.forEach(fold::apply);
            assertThat(loaded).isEqualTo(fold.snapshot());
            // Replaced state chunks are deleted: only the committed state's remain.
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(stateChunkItems("wide")).isEqualTo(committedChunkCount("wide")));

            // The run continues on another host.
            List<CompletableFuture<Long>> more = new ArrayList<>();
            try (ProgressTracker resumed =
                    ProgressTracker.builder().runId("wide").store(other).build()) {
                for (int i = 20; i < 40; i++) {
                    more.add(resumed.startTask("t" + i).toCompletableFuture());
                    more.add(resumed.completeTask("t" + i).toCompletableFuture());
                }
                assertEveryAckCompletes(more);
            }
            RunState after = other.loadRun("wide").orElseThrow();
            assertThat(after.lastSequence()).isEqualTo(acks.size() + more.size());
            assertThat(after.tasks().stream()
                            .filter(x -> x.status().name().equals("COMPLETED"))
                            .count())
                    .isEqualTo(40);
        }
    }

    @Test
    void aRunNearTheStateLimitIsWarnedThenRefusedBeforeItCouldPassItAndNoStageIsLeftOpen() throws Exception {
        DynamoDbStoreConfig config = DynamoDbTestSupport.noCoalescing(table).toBuilder()
                .maxItemBytes(20_480)
                .maxRunStateBytes(65_536)
                .build();
        Random random = new Random(11);
        int acknowledged = 0;
        int i = 0;
        boolean warnedBeforeRefusing;
        try (DynamoDbProgressStore store = store(config);
                ProgressTracker t = ProgressTracker.builder()
                        .runId("limited")
                        .store(store)
                        .config(limitsFor20KiBItems())
                        .build()) {
            // What a tracker reading the store's health does: check before every call.
            while (store.health("limited").state() != StoreHealth.State.REFUSING) {
                assertThat(i).as("REFUSING never came").isLessThan(1000);
                t.addTask("t" + i, name(random, i), TaskType.UPGRADE_STEP, null)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                acknowledged++;
                i++;
            }
            warnedBeforeRefusing = store.stats().stateSizeWarnings() == 1;
            StoreHealth h = store.health("limited");
            assertThat(h.problem()).contains("run 'limited'").contains("maxRunStateBytes 65536");

            // A caller that ignores health: calls go on until one would pass the limit. That one is refused
            // (at the call by a tracker that reads health, else its stage fails), and so is every later one.
            Throwable refused = null;
            int acknowledgedWhileRefusing = 0;
            for (int n = 0; refused == null; n++, i++) {
                assertThat(n).as("the limit was never enforced").isLessThan(1000);
                final int k = i;
                refused = call(() -> t.addTask("t" + k, name(random, k), TaskType.UPGRADE_STEP, null));
                if (refused == null) {
                    acknowledged++;
                    acknowledgedWhileRefusing++;
                }
            }
            assertThat(refused).hasMessageContaining("maxRunStateBytes 65536").hasMessageContaining("limited");
            assertThat(refused)
                    .as("the tracker reads health and refuses at the call")
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(acknowledgedWhileRefusing).isZero();
            Throwable later = call(() -> t.addTask("later", "Later", TaskType.UPGRADE_STEP, null));
            assertThat(later).as("a call after the refusal").isNotNull();
            assertThat(store.health("limited").isRefusing()).isTrue();
            assertThat(store.stats().writesGivenUp())
                    .as("no commit failed: the limit held at append")
                    .isZero();
        }
        assertThat(warnedBeforeRefusing)
                .as("one WARN (counted) before REFUSING")
                .isTrue();
        try (DynamoDbProgressStore other = store(config)) {
            RunState loaded = other.loadRun("limited").orElseThrow();
            assertThat(loaded.lastSequence()).isEqualTo(acknowledged);
            List<ProgressEvent> stored =
                    other.eventsSince("limited", 0, Integer.MAX_VALUE).orElseThrow();
            assertThat(stored).hasSize(acknowledged);
            RunProjection fold = new RunProjection("limited", RunProjection.Mode.CONTIGUOUS);
            stored.forEach(fold::apply);
            assertThat(loaded).isEqualTo(fold.snapshot());
        }
    }

    /**
     * Call-site limits whose largest possible event fits the 20 KiB items of the test store (400-character
     * names, short messages, small details, one short attribute): the builder refuses larger ones.
     */
    private static TrackerConfig limitsFor20KiBItems() {
        EventLimits limits = EventLimits.builder()
                .maxNameLength(400)
                .maxDetailsBytes(512)
                .maxAttributes(1)
                .maxKeyLength(64)
                .maxAttributeLength(64)
                .build();
        return TrackerConfig.builder().maxMessageLength(128).limits(limits).build();
    }

    private long stateChunkItems(String runId) throws Exception {
        return client.query(q -> q.tableName(table)
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :s)")
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS("RUN#" + runId), ":s", AttributeValue.fromS("STATE#")))
                        .select("COUNT"))
                .get()
                .count();
    }

    private long committedChunkCount(String runId) throws Exception {
        Map<String, AttributeValue> run = client.getItem(g -> g.tableName(table)
                        .consistentRead(true)
                        .key(Map.of("pk", AttributeValue.fromS("RUN#" + runId), "sk", AttributeValue.fromS("RUN"))))
                .get()
                .item();
        AttributeValue n = run.get("stateChunks");
        return n == null ? 0 : Long.parseLong(n.n());
    }

    private static void assertEveryAckCompletes(List<CompletableFuture<Long>> acks) throws Exception {
        for (CompletableFuture<Long> a : acks) {
            a.get(120, TimeUnit.SECONDS);
        }
    }

    /** Null if the call's stage completed; else what refused it, at the call or through its stage. */
    private static Throwable call(java.util.function.Supplier<java.util.concurrent.CompletionStage<Long>> call)
            throws Exception {
        try {
            call.get().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (RuntimeException e) {
            return e;
        }
    }
}

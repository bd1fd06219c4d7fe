package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.test.RecordingSink;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Cost control: {@code task.progress} events are coalesced per task, lifecycle events are always
 * written, the stored state is the tracker's state, and readers of a coalesced stretch are sent to
 * {@code loadRun}.
 */
class CoalescingIT extends WithFreshTable {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    @Override
    AwsEmulatorExtension emulator() {
        return MOTO;
    }

    private DynamoDbProgressStore store(Duration interval) {
        return store(DynamoDbTestSupport.noCoalescing(table).toBuilder()
                .progressCoalesceInterval(interval)
                .build());
    }

    private List<ProgressEvent> storedEvents(String runId) {
        List<ProgressEvent> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            final Map<String, AttributeValue> from = start;
            var page = client.query(q -> {
                        q.tableName(table)
                                .consistentRead(true)
                                .keyConditionExpression("pk = :pk AND begins_with(sk, :e)")
                                .expressionAttributeValues(Map.of(
                                        ":pk",
                                        AttributeValue.builder()
                                                .s("RUN#" + runId)
                                                .build(),
                                        ":e",
                                        AttributeValue.builder().s("EVT#").build()));
                        if (from != null) {
                            q.exclusiveStartKey(from);
                        }
                    })
                    .join();
            page.items().forEach(i -> out.add(WireFormat.fromJson(i.get("body").s())));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Test
    void progressIsCoalescedLifecycleIsAlwaysWrittenAndTheStateIsExact() throws Exception {
        DynamoDbProgressStore store = store(Duration.ofSeconds(5));
        RecordingSink sink = new RecordingSink("all", OverflowPolicy.BLOCK, 100_000);
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        RunState finalState;
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("burst")
                .clusterName("prod-eu")
                .store(store)
                .sink(sink)
                .build()) {
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.addTask("b", "B", TaskType.UPGRADE_STEP, null);
            t.startUpgrade("data-plane");
            t.startTask("a");
            t.startTask("b");
            for (int i = 1; i <= 500; i++) {
                acks.add(t.updateTaskProgress("a", i / 5.0).toCompletableFuture());
                acks.add(t.updateTaskProgress("b", i / 10.0).toCompletableFuture());
            }
            t.pauseTask("b");
            acks.add(t.completeTask("a").toCompletableFuture());
            t.resumeTask("b");
            acks.add(t.updateTaskProgress("b", 50.1).toCompletableFuture());
            t.flush(Duration.ofSeconds(30));
        }
        RunProjection expected = new RunProjection("burst", RunProjection.Mode.CONTIGUOUS);
        sink.events().forEach(expected::apply);
        finalState = expected.snapshot();
        for (CompletableFuture<Long> ack : acks) {
            assertThat(ack.get(10, TimeUnit.SECONDS)).isPositive();
        }
        DynamoDbStoreStats stats = store.stats();
        assertThat(stats.eventsWritten() + stats.eventsCoalesced()).isEqualTo(stats.appended());
        assertThat(stats.eventsCoalesced())
                .as("progress events replaced before writing")
                .isGreaterThan(900);

        List<ProgressEvent> stored = storedEvents("burst");
        List<String> lifecycle = sink.events().stream()
                .filter(e -> e.type().isLifecycle())
                .map(e -> WireFormat.toJson(e.withDelivery(null)))
                .toList(); // the sink path's delivery is not stored
        assertThat(stored.stream()
                        .filter(e -> e.type().isLifecycle())
                        .map(WireFormat::toJson)
                        .toList())
                .containsExactlyElementsOf(lifecycle);
        assertThat(stored.stream()
                        .filter(e -> e.type() == EventType.TASK_PROGRESS)
                        .count())
                .isLessThan(50);

        try (DynamoDbProgressStore reader = store(Duration.ZERO)) {
            RunState loaded = reader.loadRun("burst").orElseThrow();
            assertThat(loaded.info()).isEqualTo(finalState.info());
            assertThat(loaded.tasks()).containsExactlyElementsOf(finalState.tasks());

            // A reader gets the contiguous events, then is sent to loadRun at the first coalesced sequence.
            List<ProgressEvent> prefix =
                    reader.eventsSince("burst", 0, Integer.MAX_VALUE).orElseThrow();
            long gap = prefix.size() + 1;
            assertThat(prefix)
                    .extracting(ProgressEvent::sequence)
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.range(1, gap).boxed().toList());
            assertThat(gap).isLessThan(finalState.lastSequence());
            assertThat(reader.eventsSince("burst", gap - 1, 100)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void aTaskUpdatedWithoutPauseIsStillWrittenEveryInterval() throws Exception {
        DynamoDbProgressStore store = store(Duration.ofMillis(200));
        try (ProgressTracker t =
                ProgressTracker.builder().runId("steady").store(store).build()) {
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.startTask("a").toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (int i = 1; i <= 60; i++) {
                t.updateTaskProgress("a", i);
                Thread.sleep(25);
            }
            t.flush(Duration.ofSeconds(10));
        }
        long progressWritten = storedEvents("steady").stream()
                .filter(e -> e.type() == EventType.TASK_PROGRESS)
                .count();
        // 60 updates over about 1.5 s with a 200 ms interval: written several times, far fewer than 60.
        assertThat(progressWritten).isBetween(3L, 30L);
    }
}

package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.dynamodb.internal.ItemCodec;
import dev.progresstracker.test.SampleRuns;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DynamoDbProgressStore#maxEventBytes()}: events of exactly that many wire bytes (random
 * details gzip cannot shrink, two of them so the run's state is chunked too) are stored and read
 * back byte for byte; one byte more and the event's details are trimmed with the marker, as
 * documented.
 */
class MaxEventBytesIT {

    @RegisterExtension
    static final EmulatorClient DB = EmulatorClient.moto();

    /**
     * The events of a run whose last two progress events are exactly {@code bytes} long on the wire.
     * They are built from recorded ones with larger details (not through a tracker, whose own
     * call-site limits are not what this test is about).
     */
    private static List<ProgressEvent> runWithEventsOf(String runId, int bytes) {
        List<ProgressEvent> events = new ArrayList<>(SampleRuns.record(runId, (t, clock) -> {
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.addTask("b", "B", TaskType.UPGRADE_STEP, null);
            t.startUpgrade("nodes");
            t.startTask("a");
            t.startTask("b");
            t.updateTaskProgress("a", 10.0, "big", Map.of("blob", "x"));
            t.updateTaskProgress("b", 10.0, "big", Map.of("blob", "y"));
        }));
        for (int i = events.size() - 2; i < events.size(); i++) {
            TaskEvent.TaskProgressed e = (TaskEvent.TaskProgressed) events.get(i);
            int chars = bytes - wireBytes(withBlob(e, 1, i)) + 1;
            ProgressEvent sized = withBlob(e, chars, i);
            assertThat(wireBytes(sized)).isEqualTo(bytes);
            events.set(i, sized);
        }
        return events;
    }

    private static ProgressEvent withBlob(TaskEvent.TaskProgressed e, int chars, long seed) {
        TaskView t = e.task();
        TaskView big = new TaskView(
                t.taskId(),
                t.name(),
                t.type(),
                t.parentTaskId(),
                t.weight(),
                t.status(),
                t.percent(),
                t.message(),
                Map.of("blob", random(seed, chars)),
                t.startedAt(),
                t.finishedAt(),
                t.attempt());
        return new TaskEvent.TaskProgressed(e.header(), e.run(), big);
    }

    private static String random(long seed, int chars) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            b.append((char) ('0' + r.nextInt(75))); // printable, no JSON escapes but '\\'
            if (b.charAt(b.length() - 1) == '\\') {
                b.setCharAt(b.length() - 1, 'x');
            }
        }
        return b.toString();
    }

    private static int wireBytes(ProgressEvent e) {
        return WireFormat.toJson(e).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void eventsOfExactlyMaxEventBytesAreStoredAndReadBackExactly() {
        String table = DynamoDbTestSupport.freshTable(DB.client());
        try (DynamoDbProgressStore store = DynamoDbProgressStore.builder()
                .client(DB.client())
                .config(DynamoDbTestSupport.noCoalescing(table))
                .build()) {
            int max = store.maxEventBytes();
            assertThat(max).isEqualTo(DynamoDbStoreConfig.MAX_ITEM_BYTES.defaultValue() - 512);
            List<ProgressEvent> events = runWithEventsOf("at-limit", max);
            events.forEach(e -> store.append(e).toCompletableFuture().join());
            assertThat(store.stats().stateChunksWritten())
                    .as("two such tasks do not fit one run item")
                    .isPositive();

            try (DynamoDbProgressStore other = DynamoDbProgressStore.builder()
                    .client(DB.client())
                    .config(DynamoDbTestSupport.noCoalescing(table))
                    .build()) {
                List<ProgressEvent> stored =
                        other.eventsSince("at-limit", 0, Integer.MAX_VALUE).orElseThrow();
                assertThat(stored.stream().map(WireFormat::toJson).toList())
                        .containsExactlyElementsOf(
                                events.stream().map(WireFormat::toJson).toList());
                RunProjection fold = new RunProjection("at-limit", RunProjection.Mode.CONTIGUOUS);
                events.forEach(fold::apply);
                assertThat(other.loadRun("at-limit").orElseThrow()).isEqualTo(fold.snapshot());
            }
        }
    }

    @Test
    void oneByteMoreLosesItsDetailsToTheMarker() {
        String table = DynamoDbTestSupport.freshTable(DB.client());
        try (DynamoDbProgressStore store = DynamoDbProgressStore.builder()
                .client(DB.client())
                .config(DynamoDbTestSupport.noCoalescing(table))
                .build()) {
            List<ProgressEvent> events = runWithEventsOf("past-limit", store.maxEventBytes() + 1);
            events.forEach(e -> store.append(e).toCompletableFuture().join());
            ProgressEvent last = store.eventsSince("past-limit", events.size() - 1, 1)
                    .orElseThrow()
                    .get(0);
            TaskView task = ((TaskEvent) last).task();
            assertThat(task.details())
                    .containsEntry(ItemCodec.TRIMMED_MARKER, true)
                    .containsEntry("originalEventBytes", store.maxEventBytes() + 1);
        }
    }
}

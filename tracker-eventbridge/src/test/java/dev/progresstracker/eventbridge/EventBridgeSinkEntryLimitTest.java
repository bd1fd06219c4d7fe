package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.eventbridge.internal.EntrySizes;
import dev.progresstracker.test.LimitCases;
import dev.progresstracker.test.SampleRuns;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries that stay above the per-entry limit after trimming. Their size is known only once their detail
 * is written, just before sending (the sink's thread only enqueues, and most progress is coalesced away
 * unwritten): they are dead-lettered there, never sent, and the rest of their run goes out in order.
 */
class EventBridgeSinkEntryLimitTest {

    private static final int LIMIT = 1536;
    /** Task ids are never trimmed and names only beyond 1,024 characters: this task's entries cannot fit. */
    private static final String BIG = "x".repeat(256);

    @TempDir
    Path dir;

    private final FakeEventBridge fake = new FakeEventBridge();
    private final List<EventBridgeSink> sinks = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (EventBridgeSink s : sinks) {
            s.close();
        }
        fake.close();
    }

    @Test
    void deadLettersLifecycleAndProgressEntriesTooLargeAfterTrimmingAndSendsTheRestInOrder() throws Exception {
        List<ProgressEvent> events = SampleRuns.record("limit-1", LimitCases.generous(), (t, clock) -> {
            t.startUpgrade("p");
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.addTask(BIG, "n".repeat(1000), TaskType.UPGRADE_STEP, null);
            t.startTask("a");
            t.startTask(BIG);
            t.updateTaskProgress(BIG, 40);
            t.updateTaskProgress("a", 50);
            t.completeTask(BIG);
            t.completeTask("a");
            t.completeUpgrade();
        });
        List<ProgressEvent> big =
                events.stream().filter(EventBridgeSinkEntryLimitTest::ofBigTask).toList();
        List<ProgressEvent> rest = events.stream().filter(e -> !ofBigTask(e)).toList();
        assertThat(big).extracting(ProgressEvent::type).contains(EventType.TASK_PROGRESS, EventType.TASK_ADDED);
        assertThat(big).allSatisfy(e -> assertThat(size(e)).isGreaterThan(LIMIT));
        assertThat(rest).allSatisfy(e -> assertThat(size(e)).isLessThanOrEqualTo(LIMIT));

        EventBridgeSink sink = EventBridgeSink.builder(EventBridgeConfig.builder()
                        .eventBusName("tracker-bus")
                        .outboxDirectory(dir.resolve("outbox"))
                        .maxBatchDelay(Duration.ofMillis(20))
                        .progressMinInterval(Duration.ZERO)
                        .maxRequestBytes(LIMIT)
                        .build())
                .client(fake)
                .meterRegistry(new SimpleMeterRegistry())
                .build();
        sinks.add(sink);
        for (ProgressEvent e : events) {
            sink.publish(e);
        }
        sink.flush(Duration.ofSeconds(10));

        assertThat(fake.accepted())
                .extracting(e -> WireFormat.fromJson(e.detail()).sequence())
                .containsExactlyElementsOf(
                        rest.stream().map(ProgressEvent::sequence).toList());
        List<String> lines = Files.readAllLines(dir.resolve("outbox").resolve("dead-letter.jsonl"));
        List<Long> deadSequences = new ArrayList<>();
        for (String line : lines) {
            JsonNode dl = WireFormat.reader().readTree(line);
            assertThat(dl.get("errorCode").asText()).isEqualTo("EntryTooLarge");
            assertThat(dl.get("errorMessage").asText()).contains("limit " + LIMIT);
            deadSequences.add(dl.get("sequence").asLong());
        }
        assertThat(deadSequences)
                .containsExactlyInAnyOrderElementsOf(
                        big.stream().map(ProgressEvent::sequence).toList());
        assertThat(sink.stats().failed()).isEqualTo(big.size());
        assertThat(sink.stats().truncated())
                .as("trimmed before being judged too large")
                .isEqualTo(big.size());
        assertThat(sink.stats().buffered()).isZero();
    }

    private static boolean ofBigTask(ProgressEvent e) {
        return e instanceof TaskEvent te && te.taskId().equals(BIG);
    }

    private static int size(ProgressEvent e) {
        return EntrySizes.entrySize(
                EventBridgeConfig.SOURCE.defaultValue(), e.type().wireName(), WireFormat.toJson(e), null, true);
    }
}

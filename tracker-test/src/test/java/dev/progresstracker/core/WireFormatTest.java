package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.RecordingSink;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static List<ProgressEvent> events;
    private static RunState state;

    @BeforeAll
    static void produceEveryEventType() {
        RecordingSink sink = new RecordingSink("all", OverflowPolicy.BLOCK, 10_000);
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00.123Z");
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("wire")
                .planId("plan")
                .clusterName("prod-eu")
                .attribute("targetVersion", "1.31")
                .clock(clock)
                .sink(sink)
                .build()) {
            t.addTask("ng", "Node groups", TaskType.UPGRADE_PLAN, null);
            t.addTask("drain-ng-1", "Drain node group 1", TaskType.UPGRADE_STEP, "ng");
            t.addTask("v", "Validate", TaskType.VALIDATION, null);
            t.addTask("x", "Extra", TaskType.of("custom_kind"), null);
            t.addTask("c", "Cancel me", TaskType.CLEANUP, null);
            t.startUpgrade("preflight");
            t.setCurrentPhase("data-plane");
            t.startTask("drain-ng-1");
            clock.advance(Duration.ofSeconds(30));
            t.updateTaskProgress(
                    "drain-ng-1",
                    37.5,
                    "12/32 nodes drained",
                    Map.of("drained", 12, "nested", Map.of("a", List.of(1, 2))));
            t.updateTaskStage("drain-ng-1", "evict-pods", 40);
            t.recordApiCall("drain-ng-1", CallOutcome.FAILED, Duration.ofMillis(250));
            t.recordRateLimit("drain-ng-1", Duration.ofMillis(1500));
            t.recordUsage("drain-ng-1", 1200, 300, "model-a");
            t.setQuality("drain-ng-1", 0.875);
            t.pauseTask("drain-ng-1");
            t.resumeTask("drain-ng-1");
            t.completeTask("drain-ng-1");
            t.startTask("v");
            t.failTask("v", "pods not ready");
            t.skipTask("x");
            t.cancelTask("c", "not needed");
            t.raiseAlert(new Alert("a1", "stalled-task", Alert.Severity.WARNING, "stalled", "v"));
            t.clearAlert("a1");
            t.failUpgrade("validation failed");
            t.cancelUpgrade("given up");
            t.flush(Duration.ofSeconds(5));
            state = t.snapshot();
        }
        events = sink.events();
    }

    @Test
    void everyEventTypeRoundTrips() {
        Set<EventType> seen = EnumSet.noneOf(EventType.class);
        for (ProgressEvent e : events) {
            String json = WireFormat.toJson(e);
            ProgressEvent back = WireFormat.fromJson(json);
            assertThat(back).as(json).isEqualTo(e);
            assertThat(WireFormat.toJson(back)).isEqualTo(json);
            seen.add(e.type());
        }
        // every type but upgrade.completed (a run that completes cannot also fail) is in this run
        assertThat(seen).containsAll(EnumSet.complementOf(EnumSet.of(EventType.UPGRADE_COMPLETED)));
    }

    @Test
    void theWireShapeIsTheDesignsContract() throws Exception {
        ProgressEvent progress = events.stream()
                .filter(e -> e.type() == EventType.TASK_PROGRESS)
                .findFirst()
                .orElseThrow();
        JsonNode n = WireFormat.reader().readTree(WireFormat.toJson(progress));
        assertThat(n.get("schemaVersion").asText()).isEqualTo("1.0");
        assertThat(n.get("type").asText()).isEqualTo("task.progress");
        assertThat(n.get("sequence").isIntegralNumber()).isTrue();
        assertThat(n.get("time").asText()).isEqualTo("2026-11-23T10:00:30.123Z");
        assertThat(n.get("clusterName").asText()).isEqualTo("prod-eu");
        assertThat(n.at("/task/taskId").asText()).isEqualTo("drain-ng-1");
        assertThat(n.at("/task/parentTaskId").asText()).isEqualTo("ng");
        assertThat(n.at("/task/percent").asDouble()).isEqualTo(37.5);
        assertThat(n.at("/task/details/nested/a/1").asInt()).isEqualTo(2);
        assertThat(n.at("/run/status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(n.at("/run/phase").asText()).isEqualTo("data-plane");
        assertThat(n.at("/run/eta/method").asText()).isNotBlank();
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        ObjectNode n = (ObjectNode) WireFormat.reader().readTree(WireFormat.toJson(events.get(0)));
        n.put("fromTheFuture", 42);
        ((ObjectNode) n.get("task")).putObject("newBlock").put("x", 1);
        assertThat(WireFormat.fromJson(n.toString())).isEqualTo(events.get(0));
    }

    @Test
    void malformedEventsNameTheField() {
        String good = WireFormat.toJson(events.get(0));
        assertThatThrownBy(() -> WireFormat.fromJson("{"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> WireFormat.fromJson(good.replace("\"task.added\"", "\"task.exploded\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task.exploded");
        assertThatThrownBy(() -> WireFormat.fromJson(good.replaceFirst("\"sequence\":1", "\"sequence\":\"one\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequence");
        assertThatThrownBy(() -> WireFormat.fromJson(good.replaceFirst("\"runId\":\"wire\",", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runId");
        assertThatThrownBy(
                        () -> WireFormat.fromJson(good.replaceFirst("\"time\":\"[^\"]+\"", "\"time\":\"yesterday\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("time");
        assertThatThrownBy(() -> WireFormat.fromJson("[1,2]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("object");
    }

    @Test
    void runStateRoundTrips() {
        RunState back = WireFormat.readRunState(WireFormat.toJson(state));
        assertThat(back).isEqualTo(state);
        assertThat(back.info().attributes()).containsEntry("targetVersion", "1.31");
    }
}

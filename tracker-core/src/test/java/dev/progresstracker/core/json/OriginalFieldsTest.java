package dev.progresstracker.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.EventHeader;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.RunEvent;
import dev.progresstracker.core.event.TaskEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The original tracker's snake_case fields: values, formats, which types carry them, readers ignore them. */
class OriginalFieldsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private long seq;

    private EventHeader header(String cluster) {
        return new EventHeader(UUID.randomUUID(), "upg-42", ++seq, T0.plusSeconds(seq), cluster, "plan-1");
    }

    private static RunView run(RunStatus status, String phase, Instant finished) {
        return new RunView(status, phase, 50, null, T0, finished);
    }

    private static TaskView task(TaskStatus status, String message, Instant started, Instant finished) {
        return new TaskView(
                "ng-1",
                "Node group 1",
                TaskType.UPGRADE_STEP,
                null,
                1.0,
                status,
                40,
                message,
                Map.of(),
                started,
                finished,
                1);
    }

    private List<ProgressEvent> everyType() {
        RunView running = run(RunStatus.IN_PROGRESS, "data-plane", null);
        Instant done = T0.plus(Duration.ofMinutes(5).plusSeconds(23).plusMillis(250));
        Alert alert = new Alert("stalled:ng-1", "stalled-task", Alert.Severity.WARNING, "no progress", "ng-1");
        List<ProgressEvent> events = new ArrayList<>(List.of(
                new RunEvent.UpgradeStarted(header("prod-eu"), run(RunStatus.IN_PROGRESS, "preflight", null), Map.of()),
                new RunEvent.UpgradeCompleted(header("prod-eu"), run(RunStatus.COMPLETED, "data-plane", done)),
                new RunEvent.UpgradeFailed(
                        header("prod-eu"), run(RunStatus.FAILED, "data-plane", done), "drain failed"),
                new RunEvent.PhaseChanged(header("prod-eu"), running, "control-plane"),
                new TaskEvent.TaskStarted(header("prod-eu"), running, task(TaskStatus.IN_PROGRESS, null, T0, null)),
                new TaskEvent.TaskCompleted(
                        header("prod-eu"),
                        running,
                        task(
                                TaskStatus.COMPLETED,
                                null,
                                T0,
                                T0.plus(Duration.ofDays(1).plusSeconds(4))))));
        events.add(new TaskEvent.TaskFailed(
                header("prod-eu"), running, task(TaskStatus.FAILED, "PDB blocks eviction", T0, done)));
        events.add(new TaskEvent.TaskAdded(header("prod-eu"), running, task(TaskStatus.NOT_STARTED, null, null, null)));
        events.add(
                new TaskEvent.TaskProgressed(header("prod-eu"), running, task(TaskStatus.IN_PROGRESS, "x", T0, null)));
        events.add(new TaskEvent.TaskPaused(header("prod-eu"), running, task(TaskStatus.PAUSED, "x", T0, null)));
        events.add(new TaskEvent.TaskResumed(header("prod-eu"), running, task(TaskStatus.IN_PROGRESS, "x", T0, null)));
        events.add(new TaskEvent.TaskCancelled(header("prod-eu"), running, task(TaskStatus.CANCELLED, "x", T0, done)));
        events.add(new TaskEvent.TaskSkipped(header("prod-eu"), running, task(TaskStatus.SKIPPED, "x", null, done)));
        events.add(new RunEvent.UpgradeCancelled(header("prod-eu"), run(RunStatus.CANCELLED, "x", done), "gave up"));
        events.add(new AlertEvent.AlertRaised(header("prod-eu"), running, alert));
        events.add(new AlertEvent.AlertCleared(header("prod-eu"), running, alert));
        events.add(new TaskEvent.TaskUsageRecorded(
                header("prod-eu"), running, task(TaskStatus.IN_PROGRESS, "x", T0, null)));
        assertThat(events).extracting(ProgressEvent::type).containsExactlyInAnyOrder(EventType.values());
        return events;
    }

    private static JsonNode tree(String json) throws Exception {
        return WireFormat.reader().readTree(json);
    }

    private static List<String> snakeCaseFields(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (OriginalFields.NAMES.contains(f)) {
                names.add(f);
            }
        }
        return names;
    }

    @Test
    void exactlyTheSevenOriginalTypesCarryExactlyTheOriginalsFields() throws Exception {
        for (ProgressEvent e : everyType()) {
            List<String> want = OriginalFields.BY_TYPE.getOrDefault(e.type(), List.of());
            assertThat(snakeCaseFields(tree(WireFormat.toJson(e, true))))
                    .as(e.type().wireName())
                    .containsExactlyInAnyOrderElementsOf(want);
            assertThat(snakeCaseFields(tree(WireFormat.toJson(e))))
                    .as("plain wire JSON of " + e.type())
                    .isEmpty();
            assertThat(snakeCaseFields(tree(WireFormat.toJson(e, false)))).isEmpty();
        }
        assertThat(OriginalFields.BY_TYPE.keySet())
                .containsExactlyInAnyOrder(
                        EventType.UPGRADE_STARTED,
                        EventType.UPGRADE_COMPLETED,
                        EventType.UPGRADE_FAILED,
                        EventType.PHASE_CHANGED,
                        EventType.TASK_STARTED,
                        EventType.TASK_COMPLETED,
                        EventType.TASK_FAILED);
    }

    @Test
    void valuesMeanWhatTheyMeantInTheOriginal() throws Exception {
        List<ProgressEvent> events = everyType();
        JsonNode started = tree(WireFormat.toJson(events.get(0), true));
        assertThat(started.get("upgrade_id").asText()).isEqualTo("upg-42");
        assertThat(started.get("cluster_name").asText()).isEqualTo("prod-eu");
        assertThat(started.get("phase").asText()).isEqualTo("preflight");
        assertThat(tree(WireFormat.toJson(events.get(1), true)).get("duration").asText())
                .isEqualTo("0:05:23.250000");
        assertThat(tree(WireFormat.toJson(events.get(2), true))
                        .get("error_message")
                        .asText())
                .isEqualTo("drain failed");
        assertThat(tree(WireFormat.toJson(events.get(3), true)).get("phase").asText())
                .isEqualTo("data-plane");
        JsonNode taskStarted = tree(WireFormat.toJson(events.get(4), true));
        assertThat(taskStarted.get("task_id").asText()).isEqualTo("ng-1");
        assertThat(taskStarted.get("task_name").asText()).isEqualTo("Node group 1");
        assertThat(tree(WireFormat.toJson(events.get(5), true)).get("duration").asText())
                .isEqualTo("1 day, 0:00:04");
        assertThat(tree(WireFormat.toJson(events.get(6), true))
                        .get("error_message")
                        .asText())
                .isEqualTo("PDB blocks eviction");
    }

    @Test
    void unknownValuesAreWrittenAsNullLikeTheOriginalDid() throws Exception {
        RunView noPhase = new RunView(RunStatus.IN_PROGRESS, null, 0, null, null, null);
        JsonNode n = tree(WireFormat.toJson(new RunEvent.UpgradeStarted(header(null), noPhase, Map.of()), true));
        assertThat(n.has("cluster_name")).isTrue();
        assertThat(n.get("cluster_name").isNull()).isTrue();
        assertThat(n.get("phase").isNull()).isTrue();
        JsonNode c = tree(WireFormat.toJson(new RunEvent.UpgradeCompleted(header("c"), noPhase), true));
        assertThat(c.get("duration").isNull()).isTrue();
    }

    @Test
    void readersIgnoreTheOriginalsFields() {
        for (ProgressEvent e : everyType()) {
            String withFields = WireFormat.toJson(e, true);
            assertThat(WireFormat.fromJson(withFields)).as(e.type().wireName()).isEqualTo(e);
            assertThat(WireFormat.fromJson(withFields.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .isEqualTo(e);
            assertThat(WireFormat.readEvent(parse(withFields))).isEqualTo(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return WireFormat.reader().readTree(json);
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    /** Expected strings are Python 3's own {@code str(timedelta(...))} of the same durations. */
    @Test
    void durationIsPythonsStrOfATimedelta() {
        assertThat(OriginalFields.pythonDuration(Duration.ofSeconds(323))).isEqualTo("0:05:23");
        assertThat(OriginalFields.pythonDuration(Duration.ofSeconds(3723).plusMillis(250)))
                .isEqualTo("1:02:03.250000");
        assertThat(OriginalFields.pythonDuration(Duration.ofDays(1).plusSeconds(4)))
                .isEqualTo("1 day, 0:00:04");
        assertThat(OriginalFields.pythonDuration(Duration.ofDays(2).plusHours(25)))
                .isEqualTo("3 days, 1:00:00");
        assertThat(OriginalFields.pythonDuration(Duration.ofSeconds(-1))).isEqualTo("-1 day, 23:59:59");
        assertThat(OriginalFields.pythonDuration(Duration.ZERO)).isEqualTo("0:00:00");
        assertThat(OriginalFields.pythonDuration(Duration.ofNanos(1_999))).isEqualTo("0:00:00.000001");
        assertThat(OriginalFields.pythonDuration(T0, T0.plusNanos(999)))
                .as("below a microsecond")
                .isEqualTo("0:00:00");
        assertThat(OriginalFields.pythonDuration(null, T0)).isNull();
        assertThat(OriginalFields.pythonDuration(T0, null)).isNull();
    }
}

package dev.progresstracker.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What a newer producer may send does not break a consumer built against this version. */
class ToleranceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode envelope(DetailType type) throws IOException {
        return (ObjectNode) JSON.readTree(Recorded.first(type));
    }

    private static ObjectNode at(ObjectNode n, String field) {
        return (ObjectNode) n.get(field);
    }

    @Test
    void unknownFieldsAnywhereAreIgnored() throws IOException {
        for (DetailType type : DetailType.values()) {
            ObjectNode n = envelope(type);
            TrackerEvent before = TrackerEvents.read(n.toString());
            n.put("replay-name", "archive-1");
            ObjectNode detail = at(n, "detail");
            detail.put("schemaVersion", "1.7");
            detail.putObject("newBlock").put("x", 1);
            at(detail, "run").putArray("milestones").add("a");
            at(detail, "delivery").put("path", "eventbridge");
            if (detail.has("task")) {
                at(detail, "task").put("priority", 3);
            }
            if (detail.has("alert")) {
                at(detail, "alert").put("runbook", "https://example.com");
            }
            TrackerEvent after = TrackerEvents.read(n.toString());
            assertThat(after.header().schemaVersion()).isEqualTo("1.7");
            assertThat(after)
                    .as(type.wireName())
                    .usingRecursiveComparison()
                    .ignoringFields("header.schemaVersion")
                    .isEqualTo(before);
        }
    }

    @Test
    void anUnknownDetailTypeIsAnUnknownEventWithItsHeaderRunAndDetail() throws IOException {
        ObjectNode n = envelope(DetailType.TASK_STARTED);
        n.put("detail-type", "task.retried");
        at(n, "detail").put("type", "task.retried");
        at(n, "detail").put("backoffSeconds", 30);
        Envelope envelope = TrackerEvents.readEnvelope(n.toString());
        assertThat(envelope.detailType()).isEqualTo("task.retried");
        UnknownEvent unknown = (UnknownEvent) envelope.detail();
        assertThat(unknown.detailType()).isEqualTo("task.retried");
        assertThat(unknown.runId()).isEqualTo(n.at("/detail/runId").asText());
        assertThat(unknown.sequence()).isEqualTo(n.at("/detail/sequence").asLong());
        assertThat(unknown.run().status()).isEqualTo(RunStatus.IN_PROGRESS);
        assertThat(JSON.readTree(unknown.detailJson()).get("backoffSeconds").asInt())
                .isEqualTo(30);
        assertThat(DetailType.find("task.retried")).isEmpty();
    }

    @Test
    void unknownEnumeratedValuesReadAsUnknownAndCustomTypesKeepTheirText() throws IOException {
        ObjectNode n = envelope(DetailType.TASK_FAILED);
        at(at(n, "detail"), "task").put("status", "ABANDONED").put("type", "DRAIN_NODES");
        at(at(n, "detail"), "run").put("status", "ON_HOLD");
        at(at(n, "detail"), "delivery").put("previousType", "task.retried");
        TaskEvent.TaskFailed failed = (TaskEvent.TaskFailed) TrackerEvents.read(n.toString());
        assertThat(failed.task().status()).isEqualTo(TaskStatus.UNKNOWN);
        assertThat(failed.task().type()).isEqualTo(TaskType.CUSTOM);
        assertThat(failed.task().typeName()).isEqualTo("DRAIN_NODES");
        assertThat(failed.run().status()).isEqualTo(RunStatus.UNKNOWN);
        assertThat(failed.header().delivery().previousType()).isEqualTo("task.retried");
        assertThat(failed.header().delivery().previousDetailType()).isEmpty();

        ObjectNode a = envelope(DetailType.ALERT_RAISED);
        at(at(a, "detail"), "alert").put("severity", "HIGH");
        assertThat(((AlertEvent.AlertRaised) TrackerEvents.read(a.toString()))
                        .alert()
                        .severity())
                .isEqualTo(Severity.UNKNOWN);
    }

    @Test
    void enumsReadEveryWireValueAndNothingElse() {
        for (RunStatus s : RunStatus.values()) {
            assertThat(RunStatus.fromWire(s.name())).isEqualTo(s);
        }
        for (TaskStatus s : TaskStatus.values()) {
            assertThat(TaskStatus.fromWire(s.name())).isEqualTo(s);
        }
        for (Severity s : Severity.values()) {
            assertThat(Severity.fromWire(s.name())).isEqualTo(s);
        }
        for (TaskType t : TaskType.values()) {
            assertThat(TaskType.fromWire(t.name())).isEqualTo(t);
        }
        assertThat(Severity.fromWire("warning"))
                .as("case-sensitive, as EventBridge rules are")
                .isEqualTo(Severity.UNKNOWN);
        assertThat(TaskStatus.fromWire(null)).isEqualTo(TaskStatus.UNKNOWN);
        for (DetailType t : DetailType.values()) {
            assertThat(DetailType.find(t.wireName())).contains(t);
        }
        assertThat(DetailType.find(null)).isEmpty();
        assertThat(DetailType.TASK_FAILED.originalFields())
                .containsExactly("upgrade_id", "cluster_name", "task_id", "task_name", "error_message");
        assertThat(DetailType.TASK_USAGE.isOriginal()).isFalse();
    }

    @Test
    void optionalBlocksMayBeAbsentOrNull() throws IOException {
        ObjectNode n = envelope(DetailType.TASK_FAILED);
        ObjectNode detail = at(n, "detail");
        detail.remove("delivery");
        detail.putNull("clusterName");
        at(detail, "task").remove("details");
        at(detail, "run").remove("eta");
        TaskEvent.TaskFailed failed = (TaskEvent.TaskFailed) TrackerEvents.read(n.toString());
        assertThat(failed.header().delivery()).isNull();
        assertThat(failed.header().clusterName()).isNull();
        assertThat(failed.task().details()).isEmpty();
        assertThat(failed.run().eta()).isNull();
    }

    @Test
    void recordsAreImmutable() throws IOException {
        ObjectNode n = envelope(DetailType.TASK_COMPLETED);
        at(at(n, "detail"), "task")
                .putObject("details")
                .put("checks", 4)
                .putArray("nodes")
                .add("a");
        TaskEvent.TaskCompleted done = (TaskEvent.TaskCompleted) TrackerEvents.read(n.toString());
        Map<String, Object> details = done.task().details();
        assertThat(details).containsEntry("checks", 4);
        assertThatThrownBy(() -> details.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> nodes = (List<Object>) details.get("nodes");
        assertThatThrownBy(() -> nodes.add("b")).isInstanceOf(UnsupportedOperationException.class);
        var started = (RunEvent.UpgradeStarted) TrackerEvents.read(Recorded.first(DetailType.UPGRADE_STARTED));
        assertThatThrownBy(() -> started.attributes().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void readsFromManyThreadsAtOnceAgree() throws Exception {
        List<String> lines = Recorded.envelopes();
        List<TrackerEvent> expected = lines.stream().map(TrackerEvents::read).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<TrackerEvent>>> jobs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                jobs.add(() -> lines.stream().map(TrackerEvents::read).toList());
            }
            for (Future<List<TrackerEvent>> f : pool.invokeAll(jobs)) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

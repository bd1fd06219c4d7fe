package dev.progresstracker.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of bad input fails with a {@link TrackerEventException} that names what was wrong. */
class BadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode envelope(DetailType type) throws IOException {
        return (ObjectNode) JSON.readTree(Recorded.first(type));
    }

    /** The recorded task.failed envelope with {@code change} applied, read; the exception it fails with. */
    private static TrackerEventException failure(Consumer<ObjectNode> change) throws IOException {
        ObjectNode n = envelope(DetailType.TASK_FAILED);
        change.accept(n);
        return expectFailure(n.toString());
    }

    private static TrackerEventException expectFailure(String json) {
        try {
            TrackerEvents.read(json);
        } catch (TrackerEventException e) {
            return e;
        }
        throw new AssertionError("read without an error: " + json);
    }

    private static ObjectNode detail(ObjectNode envelope) {
        return (ObjectNode) envelope.get("detail");
    }

    @ParameterizedTest
    @ValueSource(strings = {"schemaVersion", "eventId", "runId", "sequence", "time", "type", "run", "task"})
    void aMissingRequiredDetailFieldIsNamed(String field) throws IOException {
        TrackerEventException e = failure(n -> detail(n).remove(field));
        assertThat(e).hasMessage("required field 'detail." + field + "' is missing");
        assertThat(e.field()).isEqualTo("detail." + field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"taskId", "name", "type", "weight", "status", "percent", "attempt"})
    void aMissingRequiredTaskFieldIsNamedWithItsPath(String field) throws IOException {
        TrackerEventException e = failure(n -> ((ObjectNode) detail(n).get("task")).remove(field));
        assertThat(e).hasMessage("required field 'detail.task." + field + "' is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "percent"})
    void aMissingRequiredRunFieldIsNamedWithItsPath(String field) throws IOException {
        TrackerEventException e = failure(n -> ((ObjectNode) detail(n).get("run")).remove(field));
        assertThat(e).hasMessage("required field 'detail.run." + field + "' is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alertId", "rule", "severity", "message"})
    void aMissingRequiredAlertFieldIsNamedWithItsPath(String field) throws IOException {
        ObjectNode n = envelope(DetailType.ALERT_RAISED);
        ((ObjectNode) detail(n).get("alert")).remove(field);
        assertThat(expectFailure(n.toString())).hasMessage("required field 'detail.alert." + field + "' is missing");
    }

    @Test
    void aNullRequiredFieldIsMissing() throws IOException {
        assertThat(failure(n -> detail(n).putNull("runId"))).hasMessage("required field 'detail.runId' is missing");
    }

    @Test
    void aFieldOfTheWrongKindIsNamedWithWhatItWas() throws IOException {
        assertThat(failure(n -> detail(n).put("sequence", "15")))
                .hasMessage("field 'detail.sequence' must be an integer, was \"15\"");
        assertThat(failure(n -> detail(n).put("sequence", 1.5)))
                .hasMessage("field 'detail.sequence' must be an integer, was 1.5");
        assertThat(failure(n -> detail(n).put("sequence", 0)))
                .hasMessage("field 'detail.sequence' must be at least 1, was 0");
        assertThat(failure(n -> detail(n).put("eventId", "not-a-uuid")))
                .hasMessage("field 'detail.eventId' must be a UUID, was \"not-a-uuid\"");
        assertThat(failure(n -> detail(n).put("time", "yesterday")))
                .hasMessage(
                        "field 'detail.time' must be an ISO-8601 time such as 2026-11-23T10:00:00Z, was \"yesterday\"");
        assertThat(failure(n -> ((ObjectNode) detail(n).get("task")).put("percent", "40")))
                .hasMessage("field 'detail.task.percent' must be a number, was \"40\"");
        assertThat(failure(n -> ((ObjectNode) detail(n).get("task")).put("attempt", -1)))
                .hasMessage("field 'detail.task.attempt' must be between 0 and 2147483647, was -1");
        assertThat(failure(n -> detail(n).put("run", "IN_PROGRESS")))
                .hasMessage("field 'detail.run' must be an object, was \"IN_PROGRESS\"");
        assertThat(failure(n -> detail(n).put("truncated", "yes")))
                .hasMessage("field 'detail.truncated' must be true or false, was \"yes\"");
        assertThat(failure(n -> ((ObjectNode) detail(n).get("delivery")).remove("previous")))
                .hasMessage("required field 'detail.delivery.previous' is missing");
        assertThat(failure(n ->
                        ((ObjectNode) detail(n).get("task")).putArray("status").add("FAILED")))
                .hasMessage("field 'detail.task.status' must be a string, was [\"FAILED\"]");
    }

    @Test
    void aLongWrongValueIsShownCut() throws IOException {
        TrackerEventException e = failure(n -> detail(n).put("sequence", "9".repeat(500)));
        assertThat(e.getMessage()).hasSizeLessThan(140).endsWith("…");
    }

    @Test
    void badEnvelopeFieldsAreNamed() throws IOException {
        for (String field : new String[] {"id", "source", "time", "detail"}) {
            assertThat(failure(n -> n.remove(field))).hasMessage("required field '" + field + "' is missing");
        }
        assertThat(failure(n -> n.put("resources", "arn")))
                .hasMessage("field 'resources' must be an array of strings, was \"arn\"");
        assertThat(failure(n -> n.put("detail-type", 7))).hasMessage("field 'detail-type' must be a string, was 7");
    }

    @Test
    void aDetailTypeThatContradictsTheDetailIsRejected() throws IOException {
        TrackerEventException e = failure(n -> n.put("detail-type", "task.completed"));
        assertThat(e).hasMessage("detail-type 'task.completed' does not match the detail's type 'task.failed'");
        assertThat(e.field()).isEqualTo("detail.type");
        String detail = envelope(DetailType.TASK_FAILED).get("detail").toString();
        assertThatThrownBy(() -> TrackerEvents.read("task.started", detail))
                .isInstanceOf(TrackerEventException.class)
                .hasMessage("detail-type 'task.started' does not match the detail's type 'task.failed'");
        String whole = envelope(DetailType.TASK_FAILED).toString();
        assertThatThrownBy(() -> TrackerEvents.read("task.started", whole))
                .hasMessage("detail-type 'task.started' does not match the envelope's 'task.failed'");
    }

    @Test
    void aBareDetailIsNotAnEnvelope() throws IOException {
        String detail = envelope(DetailType.TASK_FAILED).get("detail").toString();
        assertThatThrownBy(() -> TrackerEvents.readEnvelope(detail))
                .isInstanceOf(TrackerEventException.class)
                .hasMessage("required field 'detail-type' is missing");
    }

    @Test
    void notJsonNotAnObjectOrNothingIsSaidSo() {
        assertThat(expectFailure("{\"detail-type\": "))
                .hasMessageStartingWith("event is not valid JSON: ")
                .hasMessageContaining("line 1");
        assertThat(expectFailure("{} {}"))
                .hasMessageStartingWith("event is not valid JSON: ")
                .hasMessageContaining("Trailing token");
        assertThat(expectFailure("")).hasMessage("event JSON is empty");
        assertThat(expectFailure("  \n")).hasMessage("event JSON is empty");
        assertThat(expectFailure("[1, 2]")).hasMessage("event must be a JSON object, was array [1,2]");
        assertThat(expectFailure("\"task.failed\""))
                .hasMessage("event must be a JSON object, was string \"task.failed\"");
        assertThat(expectFailure("{}")).hasMessage("required field 'type' is missing");
        assertThatThrownBy(() -> TrackerEvents.read((String) null))
                .isInstanceOf(TrackerEventException.class)
                .hasMessage("event JSON must not be null");
        assertThatThrownBy(() -> TrackerEvents.readEnvelope("null"))
                .hasMessage("EventBridge envelope must be a JSON object, was null");
    }

    @Test
    void aFailingStreamIsReportedAndNotClosed() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> TrackerEvents.read(broken))
                .isInstanceOf(TrackerEventException.class)
                .hasMessage("event JSON could not be read: connection reset");
    }

    @Test
    void aStreamIsReadButNotClosed() throws IOException {
        boolean[] closed = {false};
        byte[] bytes = Recorded.first(DetailType.TASK_ADDED).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        InputStream in = new ByteArrayInputStream(bytes) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        assertThat(TrackerEvents.read(in)).isInstanceOf(TaskEvent.TaskAdded.class);
        assertThat(closed[0]).isFalse();
    }

    @Test
    void theRecordedEnvelopeItselfReads() throws IOException {
        JsonNode ok = envelope(DetailType.TASK_FAILED);
        assertThat(TrackerEvents.read(ok.toString())).isInstanceOf(TaskEvent.TaskFailed.class);
    }
}

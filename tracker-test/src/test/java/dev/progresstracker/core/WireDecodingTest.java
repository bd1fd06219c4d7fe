package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.test.SampleRuns;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wire format's one decoder, through each of its entry points (text, bytes, a positioned parser,
 * a tree): write then read is the identity for every event type and for a run state, and hostile
 * documents (wrong types, missing, unknown and duplicate fields, huge numbers) either read or fail
 * with an {@link IllegalArgumentException} that names the field, never with anything else.
 */
class WireDecodingTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static List<ProgressEvent> events;
    private static RunState finalState;

    @BeforeAll
    static void sampleRuns() {
        events = new ArrayList<>(SampleRuns.upgrade("wire"));
        RunProjection projection = new RunProjection("wire", RunProjection.Mode.CONTIGUOUS);
        events.forEach(projection::apply);
        finalState = projection.snapshot();
        events.addAll(SampleRuns.failure("wire-failure"));
        events.addAll(SampleRuns.usage("wire-usage"));
    }

    @Test
    void everyEventTypeRoundTripsThroughEveryEntryPoint() throws IOException {
        Set<EventType> seen = EnumSet.noneOf(EventType.class);
        for (ProgressEvent e : events) {
            String json = WireFormat.toJson(e);
            assertThat(WireFormat.fromJson(json)).as(json).isEqualTo(e);
            assertThat(WireFormat.fromJson(json.getBytes(StandardCharsets.UTF_8)))
                    .as(json)
                    .isEqualTo(e);
            assertThat(WireFormat.readEvent(WireFormat.reader().readTree(json)))
                    .as(json)
                    .isEqualTo(e);
            assertThat(WireFormat.fromJson(WireFormat.toJson(e, true)))
                    .as("with the original's fields")
                    .isEqualTo(e);
            try (JsonParser p = WireFormat.reader().createParser("[" + json + ",1]")) {
                p.nextToken();
                p.nextToken();
                assertThat(WireFormat.readEvent(p)).as(json).isEqualTo(e);
                assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
                assertThat(p.nextToken())
                        .as("the tokens after the event are the caller's")
                        .isEqualTo(JsonToken.VALUE_NUMBER_INT);
            }
            assertThat(WireFormat.toJson(WireFormat.fromJson(json))).isEqualTo(json);
            seen.add(e.type());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(EventType.class));
    }

    @Test
    void runStateRoundTripsThroughEveryEntryPoint() throws IOException {
        assertThat(finalState.tasks()).isNotEmpty();
        assertThat(finalState.info().eta()).isNotNull();
        String json = WireFormat.toJson(finalState);
        assertThat(WireFormat.readRunState(json)).isEqualTo(finalState);
        assertThat(WireFormat.readRunState(WireFormat.reader().readTree(json))).isEqualTo(finalState);
        try (JsonParser p = WireFormat.reader().createParser(json)) {
            assertThat(WireFormat.readRunState(p)).isEqualTo(finalState);
        }
        assertThat(WireFormat.toJson(WireFormat.readRunState(json))).isEqualTo(json);
    }

    @Test
    void everyDamagedEventReadsOrFailsNamingAField() throws IOException {
        int cases = 0;
        Set<EventType> covered = EnumSet.noneOf(EventType.class);
        for (ProgressEvent e : events) {
            if (covered.add(e.type())) {
                ObjectNode doc = (ObjectNode) WireFormat.reader().readTree(WireFormat.toJson(e));
                for (JsonNode damaged : mutations(doc)) {
                    readsOrNamesAField(damaged, WireFormat::fromJson, WireFormat::readEvent);
                    cases++;
                }
            }
        }
        assertThat(covered).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(EventType.class));
        assertThat(cases).isGreaterThan(2_000);
    }

    @Test
    void everyDamagedRunStateReadsOrFailsNamingAField() throws IOException {
        ObjectNode doc = (ObjectNode) WireFormat.reader().readTree(WireFormat.toJson(finalState));
        int cases = 0;
        for (JsonNode damaged : mutations(doc)) {
            readsOrNamesAField(damaged, WireFormat::readRunState, WireFormat::readRunState);
            cases++;
        }
        assertThat(cases).isGreaterThan(1_000);
    }

    @Test
    void hostileValuesAreRefusedWithTheFieldAndTheValue() throws IOException {
        ObjectNode progress = event(EventType.TASK_PROGRESS);
        Map<String, String> expected = Map.ofEntries(
                Map.entry(
                        "/sequence=\"one\"",
                        "event field 'sequence' must be an integer from 1 to 9223372036854775807, got \"one\""),
                Map.entry(
                        "/sequence=0",
                        "event field 'sequence' must be an integer from 1 to 9223372036854775807, got 0"),
                Map.entry(
                        "/sequence=123456789012345678901234567890",
                        "event field 'sequence' must be an integer from 1 to 9223372036854775807, got 123456789012345678901234567890"),
                Map.entry(
                        "/sequence=2.5",
                        "event field 'sequence' must be an integer from 1 to 9223372036854775807, got 2.5"),
                Map.entry(
                        "/task/attempt=1e300",
                        "task field 'attempt' must be an integer from 0 to 2147483647, got 1.0E300"),
                Map.entry("/task/attempt=-1", "task field 'attempt' must be an integer from 0 to 2147483647, got -1"),
                Map.entry("/task/percent=1e400", "task field 'percent' must be a finite number, got Infinity"),
                Map.entry("/task/percent=\"half\"", "task field 'percent' must be a number, got STRING"),
                Map.entry("/task/weight=[1]", "task field 'weight' must be a number, got ARRAY"),
                Map.entry("/task/name=7", "task field 'name' must be a string, got NUMBER"),
                Map.entry("/task/status=\"DONE-ISH\"", "field 'task.status' has unknown value 'DONE-ISH'"),
                Map.entry(
                        "/task/startedAt=\"yesterday\"",
                        "task field 'startedAt' is not an ISO-8601 instant: \"yesterday\""),
                Map.entry(
                        "/run/eta/seconds=99999999999999999999",
                        "eta field 'seconds' must be an integer from 0 to 9223372036854775807, got 99999999999999999999"),
                Map.entry(
                        "/run/eta/confidence=2",
                        "run field 'eta' is not a valid ETA: ETA confidence must be within 0..1: 2.0"),
                Map.entry("/run/status=null", "run field 'status' is missing"),
                Map.entry("/task=\"drain\"", "event field 'task' must be an object"),
                Map.entry("/type=\"task.exploded\"", "event field 'type': unknown event type 'task.exploded'"),
                Map.entry("/eventId=42", "event field 'eventId' must be a string, got NUMBER"));
        for (Map.Entry<String, String> c : expected.entrySet()) {
            String json = set(progress, c.getKey());
            assertThatThrownBy(() -> WireFormat.fromJson(json))
                    .as(c.getKey())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(c.getValue());
        }
        String hugeId = "x".repeat(100_000);
        assertThatThrownBy(() -> WireFormat.fromJson(set(progress, "/eventId=\"" + hugeId + "\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("event field 'eventId' is not a UUID: \"xxx")
                .message()
                .hasSizeLessThan(200);
        assertThatThrownBy(() -> WireFormat.fromJson(set(progress, "/task/type=\"no spaces!\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("task field 'type': task type 'NO SPACES!' is not valid");
    }

    @Test
    void missingFieldsAreNamedAndOptionalOnesDefault() throws IOException {
        ObjectNode progress = event(EventType.TASK_PROGRESS);
        for (String required : List.of(
                "/type",
                "/eventId",
                "/runId",
                "/sequence",
                "/time",
                "/task/taskId",
                "/task/name",
                "/task/type",
                "/task/status",
                "/run/status",
                "/run/eta/seconds",
                "/run/eta/method")) {
            ObjectNode doc = progress.deepCopy();
            int slash = required.lastIndexOf('/');
            String field = required.substring(slash + 1);
            ((ObjectNode) doc.at(required.substring(0, slash))).remove(field);
            assertThatThrownBy(() -> WireFormat.fromJson(doc.toString()))
                    .as(required)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("field '" + field + "' is missing");
        }
        ObjectNode bare = progress.deepCopy();
        ObjectNode task = (ObjectNode) bare.get("task");
        task.remove(List.of("weight", "percent", "attempt", "details", "message", "startedAt", "parentTaskId"));
        TaskView read = ((dev.progresstracker.core.event.TaskEvent) WireFormat.fromJson(bare.toString())).task();
        assertThat(read.weight()).isEqualTo(1.0);
        assertThat(read.percent()).isZero();
        assertThat(read.attempt()).isZero();
        assertThat(read.details()).isEmpty();
        assertThat(read.startedAt()).isNull();
    }

    @Test
    void unknownAndDuplicateFieldsAndOddShapes() throws IOException {
        ProgressEvent e = withEta(EventType.TASK_PROGRESS);
        ObjectNode doc = event(EventType.TASK_PROGRESS);
        doc.put("fromTheFuture", 42);
        doc.putArray("list").add(F.objectNode().put("deep", true));
        ((ObjectNode) doc.get("task")).putObject("newBlock").putArray("x").add(1);
        ((ObjectNode) doc.at("/run/eta")).put("model", "v2");
        assertThat(WireFormat.fromJson(doc.toString()))
                .as("unknown fields at every level are ignored")
                .isEqualTo(e);
        String good = WireFormat.toJson(e);
        String body = good.substring(1, good.length() - 1);
        assertThat(WireFormat.fromJson("{\"sequence\":\"bad\"," + body + "}"))
                .as("the last duplicate wins")
                .isEqualTo(e);
        assertThat(WireFormat.fromJson("{" + body + ",\"sequence\":99}").sequence())
                .isEqualTo(99);
        for (String notAnObject : List.of("[]", "5", "\"x\"", "null")) {
            assertThatThrownBy(() -> WireFormat.fromJson(notAnObject))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("event must be a JSON object");
        }
        assertThatThrownBy(() -> WireFormat.readEvent((JsonNode) null)).hasMessage("event must be a JSON object");
        assertThatThrownBy(() -> WireFormat.readRunState(F.arrayNode())).hasMessage("run state must be a JSON object");
    }

    @Test
    void textThatIsNotOneJsonValueIsRefusedByEveryTextEntryPoint() {
        String good = WireFormat.toJson(events.get(0));
        for (String bad : List.of("", "   ", "{", "{\"type\":}", "{} {}", "{\"a\":1,}", good + " {}", good + "x")) {
            assertThatThrownBy(() -> WireFormat.fromJson(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("event is not valid JSON: ");
            assertThatThrownBy(() -> WireFormat.fromJson(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("event is not valid JSON: ");
            assertThatThrownBy(() -> WireFormat.readRunState(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("run state is not valid JSON: ");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The first event of {@code type} whose run carries an ETA, as a tree. */
    private static ObjectNode event(EventType type) throws IOException {
        return (ObjectNode) WireFormat.reader().readTree(WireFormat.toJson(withEta(type)));
    }

    private static ProgressEvent withEta(EventType type) {
        return events.stream()
                .filter(x -> x.type() == type && x.run().eta() != null)
                .findFirst()
                .orElseThrow();
    }

    /** {@code doc} as text with {@code "/pointer=raw JSON"} set; the raw text is kept as written (a number like 1e400). */
    private static String set(ObjectNode doc, String assignment) {
        int eq = assignment.indexOf('=');
        String pointer = assignment.substring(0, eq);
        int slash = pointer.lastIndexOf('/');
        ObjectNode copy = doc.deepCopy();
        String mark = "@@raw@@";
        ((ObjectNode) copy.at(pointer.substring(0, slash))).put(pointer.substring(slash + 1), mark);
        return copy.toString().replace("\"" + mark + "\"", assignment.substring(eq + 1));
    }

    /**
     * Read as text and as a tree: the same value, or the same {@link IllegalArgumentException} naming a
     * field ({@code field '…'}) or the whole document; anything else (a NullPointerException, a
     * ClassCastException, an ArithmeticException) fails the test.
     */
    private static <T> void readsOrNamesAField(JsonNode damaged, Function<String, T> text, Function<JsonNode, T> tree) {
        String json = damaged.toString();
        Object byText;
        try {
            byText = text.apply(json);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as(json).containsAnyOf("field '", "must be a JSON object");
            assertThatThrownBy(() -> tree.apply(damaged))
                    .as(json)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(e.getMessage());
            return;
        }
        assertThat(tree.apply(damaged)).as(json).isEqualTo(byText);
    }

    /** Every field of {@code doc}, at every depth: removed, or replaced by values of every JSON type. */
    private static List<JsonNode> mutations(ObjectNode doc) {
        List<String> pointers = new ArrayList<>();
        fieldPointers(doc, "", pointers);
        List<JsonNode> out = new ArrayList<>();
        for (String pointer : pointers) {
            int slash = pointer.lastIndexOf('/');
            String parent = pointer.substring(0, slash);
            String name = pointer.substring(slash + 1);
            ObjectNode removed = doc.deepCopy();
            ((ObjectNode) removed.at(parent)).remove(name);
            out.add(removed);
            for (JsonNode r : REPLACEMENTS) {
                ObjectNode replaced = doc.deepCopy();
                ((ObjectNode) replaced.at(parent)).set(name, r);
                out.add(replaced);
            }
        }
        return out;
    }

    private static void fieldPointers(JsonNode node, String at, List<String> out) {
        if (node instanceof ObjectNode o) {
            o.properties().forEach(p -> {
                out.add(at + "/" + p.getKey());
                fieldPointers(p.getValue(), at + "/" + p.getKey(), out);
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                fieldPointers(a.get(i), at + "/" + i, out);
            }
        }
    }

    private static final List<JsonNode> REPLACEMENTS = List.of(
            F.nullNode(),
            F.textNode("x"),
            F.textNode(""),
            F.numberNode(5),
            F.numberNode(-2L << 40),
            F.numberNode(0),
            F.numberNode(1.5),
            F.numberNode(1e300),
            F.numberNode(new BigInteger("123456789012345678901234567890")),
            F.booleanNode(true),
            F.objectNode(),
            F.arrayNode().add(1),
            F.textNode("task.progress"),
            F.textNode("alert.raised"),
            F.textNode("IN_PROGRESS"),
            F.textNode("UPGRADE_STEP"),
            F.textNode("2026-11-23T10:00:00Z"),
            F.textNode("2026-11-23t10:00:00.5Z"),
            F.textNode("2026-02-29T10:00:00Z"),
            F.textNode("2028-02-29T23:59:59.123456789Z"),
            F.textNode("2026-11-23T24:00:00Z"),
            F.textNode("2026-11-23T10:00:00+01:00"),
            F.textNode("+12026-11-23T10:00:00Z"),
            F.textNode("0f8fad5b-d9cb-469f-a165-70867728950e"),
            F.numberNode(101),
            F.numberNode(-1),
            F.textNode("x".repeat(10_000)));
}

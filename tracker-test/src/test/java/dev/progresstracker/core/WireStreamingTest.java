package dev.progresstracker.core;

import com.fasterxml.jackson.core.JsonParser;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The streaming readers ({@code WireFormat.readEvent(JsonParser)} and friends, and {@code fromJson},
 * which uses them) against the tree readers: same results on every event type, and for thousands
 * of damaged documents the same outcome — the same value, or an {@link IllegalArgumentException}
 * with the same message.
 */
class WireStreamingTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static List<ProgressEvent> events;
    private static RunState finalState;

    @BeforeAll
    static void sampleRuns() {
        events = new ArrayList<>(SampleRuns.upgrade("stream"));
        RunProjection projection = new RunProjection("stream", RunProjection.Mode.CONTIGUOUS);
        events.forEach(projection::apply);
        finalState = projection.snapshot();
        events.addAll(SampleRuns.failure("stream-failure"));
        events.addAll(SampleRuns.usage("stream-usage"));
    }

    @Test
    void everyEventTypeReadsTheSameByTreeAndByStream() throws IOException {
        Set<EventType> seen = EnumSet.noneOf(EventType.class);
        for (ProgressEvent e : events) {
            String json = WireFormat.toJson(e);
            ProgressEvent byTree = WireFormat.readEvent(WireFormat.mapper().readTree(json));
            ProgressEvent byStream;
            try (JsonParser p = WireFormat.mapper().getFactory().createParser(json)) {
                byStream = WireFormat.readEvent(p);
                assertThat(p.currentToken()).isEqualTo(com.fasterxml.jackson.core.JsonToken.END_OBJECT);
            }
            assertThat(byTree).as(json).isEqualTo(e);
            assertThat(byStream).as(json).isEqualTo(e);
            assertThat(WireFormat.fromJson(json)).isEqualTo(e);
            assertThat(WireFormat.fromJson(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(e);
            assertThat(WireFormat.toJson(byStream)).isEqualTo(json);
            seen.add(e.type());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(EventType.class));
    }

    @Test
    void runStateReadsTheSameByTreeAndByStream() throws IOException {
        assertThat(finalState.tasks()).isNotEmpty();
        String json = WireFormat.toJson(finalState);
        assertThat(streamRunState(json)).isEqualTo(finalState);
        assertThat(WireFormat.readRunState(json)).isEqualTo(finalState);
    }

    @Test
    void damagedEventsFailTheSameWayByTreeAndByStream() throws IOException {
        int cases = 0;
        Set<EventType> covered = EnumSet.noneOf(EventType.class);
        for (ProgressEvent e : events) {
            if (!covered.add(e.type())) {
                continue; // one event per type keeps this under a few seconds
            }
            ObjectNode doc = (ObjectNode) WireFormat.mapper().readTree(WireFormat.toJson(e));
            for (JsonNode damaged : mutations(doc)) {
                sameOutcome(damaged.toString(), this::eventByTree, this::eventByStream);
                cases++;
            }
        }
        assertThat(covered).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(EventType.class));
        assertThat(cases).isGreaterThan(2_000);
    }

    @Test
    void damagedRunStatesFailTheSameWayByTreeAndByStream() throws IOException {
        ObjectNode doc = (ObjectNode) WireFormat.mapper().readTree(WireFormat.toJson(finalState));
        int cases = 0;
        for (JsonNode damaged : mutations(doc)) {
            sameOutcome(damaged.toString(), json -> WireFormat.readRunState(WireFormat.mapper().readTree(json)),
                    WireStreamingTest::streamRunState);
            cases++;
        }
        assertThat(cases).isGreaterThan(1_000);
    }

    @Test
    void duplicateFieldsAndOddShapesReadAsInATree() throws IOException {
        String good = WireFormat.toJson(events.get(0));
        String body = good.substring(1, good.length() - 1);
        List<String> docs = List.of(
                "{" + body + ",\"sequence\":99}",                                   // last duplicate wins
                "{\"sequence\":\"bad\"," + body + "}",                               // ... also over a bad one
                "{" + body + ",\"type\":\"nope\"}",
                "{" + body + ",\"task\":{\"taskId\":1}}",
                "{" + body + ",\"task\":null}",
                "{" + body + ",\"task\":[1,2]}",
                "{" + body + ",\"run\":\"x\"}",
                "{" + body + ",\"run\":{\"status\":\"IN_PROGRESS\",\"eta\":5}}",
                "{" + body + ",\"run\":{\"status\":\"IN_PROGRESS\",\"eta\":{\"seconds\":1}}}",
                "{\"type\":\"nope\",\"eventId\":\"nope\",\"task\":{}}",              // first failing check reported
                "{}", "[]", "5", "\"x\"", "null", "", "   ",
                good + " ", good + " {}", good + "x", "{" + body, good.replace("\"details\":{}", "\"details\":{\"a\":[1,2.5,null,true,{\"b\":\"c\"}],\"n\":12345678901234567890}"));
        for (String doc : docs) {
            sameOutcome(doc, this::eventByTree, this::eventByStream);
        }
    }

    @Test
    void malformedJsonIsAnIllegalArgumentByEveryEntryPoint() {
        for (String bad : List.of("{", "{\"type\":}", "{} {}", "{\"a\":1,}")) {
            assertThatThrownBy(() -> WireFormat.fromJson(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not valid JSON");
            assertThatThrownBy(() -> WireFormat.fromJson(bad.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("event is not valid JSON");
        }
    }

    // ------------------------------------------------------------------ helpers

    private interface Reader {
        Object read(String json) throws IOException;
    }

    /** Tree path: parse (failing on any syntax error or trailing token) and then check. */
    private Object eventByTree(String json) throws IOException {
        return WireFormat.readEvent(WireFormat.mapper().readTree(json));
    }

    private Object eventByStream(String json) {
        return WireFormat.fromJson(json.getBytes(StandardCharsets.UTF_8));
    }

    private static RunState streamRunState(String json) throws IOException {
        try (JsonParser p = WireFormat.mapper().getFactory().createParser(json)) {
            return WireFormat.readRunState(p);
        }
    }

    private static void sameOutcome(String json, Reader tree, Reader stream) {
        Object expected;
        String expectedError = null;
        try {
            expected = tree.read(json);
        } catch (IllegalArgumentException e) {
            expected = null;
            expectedError = e.getMessage();
        } catch (IOException e) {
            // Not JSON at all: the streaming path must refuse it too (message wording is Jackson's).
            assertThatThrownBy(() -> stream.read(json)).as(json)
                    .isInstanceOfAny(IllegalArgumentException.class, IOException.class);
            return;
        }
        Object actual;
        String actualError = null;
        try {
            actual = stream.read(json);
        } catch (IllegalArgumentException e) {
            actual = null;
            actualError = e.getMessage();
        } catch (IOException e) {
            throw new AssertionError(json + ": stream reader failed on JSON the tree reader parsed", e);
        }
        assertThat(actualError).as(json).isEqualTo(expectedError);
        assertThat(actual).as(json).isEqualTo(expected);
    }

    /** Every field of {@code doc}, at every depth: removed, nulled, or replaced by values of every JSON type. */
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
            out.add(reordered(removed));
            for (JsonNode r : REPLACEMENTS) {
                ObjectNode replaced = doc.deepCopy();
                ((ObjectNode) replaced.at(parent)).set(name, r); // an existing key keeps its place
                out.add(replaced);
            }
        }
        return out;
    }

    private static void fieldPointers(JsonNode node, String at, List<String> out) {
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(name -> {
                out.add(at + "/" + name);
                fieldPointers(o.get(name), at + "/" + name, out);
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                fieldPointers(a.get(i), at + "/" + i, out);
            }
        }
    }

    private static final List<JsonNode> REPLACEMENTS = List.of(
            F.nullNode(), F.textNode("x"), F.textNode(""), F.numberNode(5), F.numberNode(-2L << 40),
            F.numberNode(1.5), F.numberNode(new BigInteger("123456789012345678901234567890")), F.booleanNode(true),
            F.objectNode(), F.arrayNode().add(1), F.textNode("task.progress"), F.textNode("IN_PROGRESS"),
            F.textNode("UPGRADE_STEP"), F.textNode("2026-11-23T10:00:00Z"), F.textNode("2026-11-23t10:00:00.5Z"),
            F.textNode("2026-02-29T10:00:00Z"), F.textNode("2028-02-29T23:59:59.123456789Z"),
            F.textNode("2026-11-23T10:00:00.1234567890Z"), F.textNode("2026-11-23T24:00:00Z"),
            F.textNode("2026-11-23T10:00:00+01:00"), F.textNode("2026-11-23T10:00Z"), F.textNode("+12026-11-23T10:00:00Z"),
            F.textNode("0f8fad5b-d9cb-469f-a165-70867728950e"), F.numberNode(101), F.numberNode(-1));

    /** The same object with its top-level fields in reverse order (readers must not care). */
    private static JsonNode reordered(ObjectNode doc) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = doc.fields();
        it.forEachRemaining(fields::add);
        ObjectNode out = F.objectNode();
        for (int i = fields.size() - 1; i >= 0; i--) {
            out.set(fields.get(i).getKey(), fields.get(i).getValue());
        }
        return out;
    }
}

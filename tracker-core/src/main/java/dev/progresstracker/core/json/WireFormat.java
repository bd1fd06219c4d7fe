package dev.progresstracker.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.Delivery;
import dev.progresstracker.core.event.EventHeader;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.RunEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The one JSON mapping of events and run state: EventBridge {@code Detail}, WebSocket
 * {@code event} payloads, journal records and snapshots all use it. Writers omit null fields;
 * readers ignore unknown fields (forward compatible) and reject missing or malformed required
 * fields with an {@link IllegalArgumentException} that names the field. Every reader, whatever it
 * is handed (text, bytes, a positioned {@link JsonParser} or a tree), runs the same streaming decoder.
 *
 * <p>Thread-safe; stateless.
 */
public final class WireFormat {

    /** Version written into every event as {@code schemaVersion}. */
    public static final String SCHEMA_VERSION = "1.0";

    /** Never leaves this package: a shared {@code ObjectMapper} can be reconfigured by anyone holding it. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final ObjectReader TREE_READER = MAPPER.readerFor(JsonNode.class);
    private static final ObjectWriter WRITER = MAPPER.writer();

    private WireFormat() {}

    /** A plain value (map, list, boolean) as a tree, for readers in this package that take nodes. */
    static JsonNode valueToTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * An immutable reader of JSON trees with the wire format's settings: {@code reader().readTree(json)}
     * fails on trailing tokens; {@code createParser(…)} for streaming. Thread-safe; derive variants
     * with its {@code with…}/{@code without…} methods (they return new readers).
     */
    public static ObjectReader reader() {
        return TREE_READER;
    }

    /**
     * An immutable writer with the wire format's settings: {@code writeValueAsString(tree)}, or
     * {@code createGenerator(out)} for streaming. Thread-safe.
     */
    public static ObjectWriter writer() {
        return WRITER;
    }

    // ------------------------------------------------------------------ events → JSON

    /** The wire JSON of {@code event}, one line. */
    public static String toJson(ProgressEvent event) {
        return write(g -> writeEvent(g, event));
    }

    /**
     * The wire JSON of {@code event}, with the original tracker's snake_case fields when
     * {@code originalFields} is true ({@link OriginalFields}: the EventBridge {@code Detail} of the seven
     * original detail types). Readers ignore those fields.
     */
    public static String toJson(ProgressEvent event, boolean originalFields) {
        return write(g -> writeEvent(g, event, originalFields));
    }

    private interface Writing {
        void to(JsonGenerator g) throws IOException;
    }

    private static String write(Writing writing) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writing.to(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the wire JSON of {@code event} as one object to {@code g}. */
    public static void writeEvent(JsonGenerator g, ProgressEvent event) throws IOException {
        writeEvent(g, event, false);
    }

    /** {@link #writeEvent(JsonGenerator, ProgressEvent)}, plus the original's fields if asked ({@link #toJson(ProgressEvent, boolean)}). */
    public static void writeEvent(JsonGenerator g, ProgressEvent event, boolean originalFields) throws IOException {
        EventHeader h = event.header();
        g.writeStartObject();
        g.writeStringField("schemaVersion", SCHEMA_VERSION);
        g.writeStringField("eventId", h.eventId().toString());
        g.writeStringField("runId", h.runId());
        g.writeNumberField("sequence", h.sequence());
        g.writeStringField("time", h.time().toString());
        g.writeStringField("type", event.type().wireName());
        writeOptional(g, "clusterName", h.clusterName());
        writeOptional(g, "planId", h.planId());
        if (event instanceof TaskEvent te) {
            g.writeFieldName("task");
            writeTask(g, te.task());
        } else if (event instanceof AlertEvent ae) {
            g.writeFieldName("alert");
            writeAlert(g, ae.alert());
        } else if (event instanceof RunEvent.UpgradeStarted us) {
            if (!us.attributes().isEmpty()) {
                g.writeFieldName("attributes");
                writeStringMap(g, us.attributes());
            }
        } else if (event instanceof RunEvent.UpgradeFailed uf) {
            writeOptional(g, "message", uf.message());
        } else if (event instanceof RunEvent.UpgradeCancelled uc) {
            writeOptional(g, "reason", uc.reason());
        } else if (event instanceof RunEvent.PhaseChanged pc) {
            writeOptional(g, "previousPhase", pc.previousPhase());
        }
        g.writeFieldName("run");
        writeRun(g, event.run());
        if (originalFields) {
            OriginalFields.write(g, event);
        }
        if (h.delivery() != null) {
            // Last on purpose: a sink may re-stamp an already written event by replacing its tail.
            g.writeFieldName("delivery");
            writeDelivery(g, h.delivery());
        }
        g.writeEndObject();
    }

    /** {@code {"previous":n,"previousType":"…","superseded":k}} ({@code previousType} only when known). */
    public static void writeDelivery(JsonGenerator g, Delivery d) throws IOException {
        g.writeStartObject();
        g.writeNumberField("previous", d.previous());
        if (d.previousType() != null) {
            g.writeStringField("previousType", d.previousType().wireName());
        }
        g.writeNumberField("superseded", d.superseded());
        g.writeEndObject();
    }

    public static void writeTask(JsonGenerator g, TaskView t) throws IOException {
        g.writeStartObject();
        g.writeStringField("taskId", t.taskId());
        g.writeStringField("name", t.name());
        g.writeStringField("type", t.type().name());
        writeOptional(g, "parentTaskId", t.parentTaskId());
        g.writeNumberField("weight", t.weight());
        g.writeStringField("status", WireValues.of(t.status()).name());
        g.writeNumberField("percent", t.percent());
        writeOptional(g, "message", t.message());
        g.writeFieldName("details");
        MAPPER.writeValue(g, t.details());
        writeOptional(g, "startedAt", t.startedAt());
        writeOptional(g, "finishedAt", t.finishedAt());
        g.writeNumberField("attempt", t.attempt());
        MeasureJson.writeTaskMeasures(g, t);
        g.writeEndObject();
    }

    public static void writeRun(JsonGenerator g, RunView r) throws IOException {
        g.writeStartObject();
        g.writeStringField("status", WireValues.of(r.status()).name());
        writeOptional(g, "phase", r.phase());
        g.writeNumberField("percent", r.percent());
        if (r.eta() != null) {
            g.writeFieldName("eta");
            writeEta(g, r.eta());
        }
        writeOptional(g, "startedAt", r.startedAt());
        writeOptional(g, "finishedAt", r.finishedAt());
        g.writeEndObject();
    }

    public static void writeEta(JsonGenerator g, Eta eta) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seconds", eta.seconds());
        g.writeNumberField("low", eta.low());
        g.writeNumberField("high", eta.high());
        g.writeNumberField("confidence", eta.confidence());
        g.writeStringField("method", eta.method());
        MeasureJson.writeEtaMeasures(g, eta);
        g.writeEndObject();
    }

    public static void writeAlert(JsonGenerator g, Alert a) throws IOException {
        g.writeStartObject();
        g.writeStringField("alertId", a.alertId());
        g.writeStringField("rule", a.rule());
        g.writeStringField("severity", WireValues.of(a.severity()).name());
        g.writeStringField("message", a.message());
        writeOptional(g, "taskId", a.taskId());
        g.writeEndObject();
    }

    private static void writeStringMap(JsonGenerator g, Map<String, String> m) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, String> e : m.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeOptional(JsonGenerator g, String field, Object value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value.toString());
        }
    }

    // ------------------------------------------------------------------ run state

    /** JSON of a whole run state: {@code {"run":{…info…},"tasks":[…],"alerts":[…]}}. */
    public static void writeRunState(JsonGenerator g, RunState state) throws IOException {
        g.writeStartObject();
        g.writeFieldName("run");
        writeRunInfo(g, state.info());
        g.writeArrayFieldStart("tasks");
        for (TaskView t : state.tasks()) {
            writeTask(g, t);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("alerts");
        for (Alert a : state.activeAlerts()) {
            writeAlert(g, a);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** JSON of a whole run state, one line. */
    public static String toJson(RunState state) {
        return write(g -> writeRunState(g, state));
    }

    public static void writeRunInfo(JsonGenerator g, RunInfo r) throws IOException {
        g.writeStartObject();
        g.writeStringField("runId", r.runId());
        writeOptional(g, "planId", r.planId());
        writeOptional(g, "clusterName", r.clusterName());
        g.writeFieldName("attributes");
        writeStringMap(g, r.attributes());
        g.writeStringField("status", WireValues.of(r.status()).name());
        writeOptional(g, "phase", r.phase());
        g.writeNumberField("percent", r.percent());
        if (r.eta() != null) {
            g.writeFieldName("eta");
            writeEta(g, r.eta());
        }
        writeOptional(g, "startedAt", r.startedAt());
        writeOptional(g, "finishedAt", r.finishedAt());
        g.writeNumberField("lastSequence", r.lastSequence());
        writeOptional(g, "updatedAt", r.updatedAt());
        g.writeEndObject();
    }

    // ------------------------------------------------------------------ JSON → events and state

    /*
     * One decoder: WireStreamReader collects each object's fields from a JsonParser and WireFields, ViewFields and StateFields
     * checks and builds them. Every entry point below hands it a parser: over text, over bytes, or
     * over a tree the caller already has (Jackson's tree-traversing parser).
     */

    /**
     * Parses one event document; {@link IllegalArgumentException} naming the field that is missing or
     * malformed, or saying the text is not valid JSON (trailing tokens included).
     */
    public static ProgressEvent fromJson(String json) {
        return WireDocuments.readDocument(
                "event",
                () -> FACTORY.createParser(json),
                p -> WireStreamReader.object(p, WireFields.EventFields::new));
    }

    /** {@link #fromJson(String)} from UTF-8 bytes. */
    public static ProgressEvent fromJson(byte[] json) {
        return WireDocuments.readDocument(
                "event",
                () -> FACTORY.createParser(json),
                p -> WireStreamReader.object(p, WireFields.EventFields::new));
    }

    /** A whole run state as {@link #toJson(RunState)} writes it; errors as {@link #fromJson(String)}. */
    public static RunState readRunState(String json) {
        return WireDocuments.readDocument(
                "run state",
                () -> FACTORY.createParser(json),
                p -> WireStreamReader.object(p, StateFields.RunStateFields::new));
    }

    /**
     * Reads one event from {@code p}, positioned on its {@code START_OBJECT} (or just before it), and
     * leaves {@code p} on the event's {@code END_OBJECT}; tokens after it are not looked at. Builds no
     * tree. Field errors as {@link #fromJson(String)}.
     *
     * @throws IOException if the JSON itself is malformed
     */
    public static ProgressEvent readEvent(JsonParser p) throws IOException {
        return WireStreamReader.object(p, WireFields.EventFields::new).build();
    }

    /** The {@code task} object of an event; parser handling as {@link #readEvent(JsonParser)}. */
    public static TaskView readTask(JsonParser p) throws IOException {
        return WireStreamReader.object(p, ViewFields.TaskFields::new).build();
    }

    /** The {@code run} object of an event; parser handling as {@link #readEvent(JsonParser)}. */
    public static RunView readRun(JsonParser p) throws IOException {
        return WireStreamReader.object(p, ViewFields.RunFields::new).build();
    }

    /** The {@code alert} object of an event; parser handling as {@link #readEvent(JsonParser)}. */
    public static Alert readAlert(JsonParser p) throws IOException {
        return WireStreamReader.object(p, WireFields.AlertFields::new).build();
    }

    /** The {@code run} object of a run state; parser handling as {@link #readEvent(JsonParser)}. */
    public static RunInfo readRunInfo(JsonParser p) throws IOException {
        return WireStreamReader.object(p, StateFields.RunInfoFields::new).build();
    }

    /**
     * A whole run state, one task at a time, so a run with a million tasks never becomes one tree.
     * Parser handling as {@link #readEvent(JsonParser)}.
     */
    public static RunState readRunState(JsonParser p) throws IOException {
        return WireStreamReader.object(p, StateFields.RunStateFields::new).build();
    }

    /** An event the caller already holds as a tree (a WebSocket message's {@code event}, an EventBridge {@code detail}). */
    public static ProgressEvent readEvent(JsonNode n) {
        return WireDocuments.fromTree(n, WireFormat::readEvent);
    }

    /** A run state held as a tree; as {@link #readRunState(JsonParser)}. */
    public static RunState readRunState(JsonNode n) {
        return WireDocuments.fromTree(n, WireFormat::readRunState);
    }

    /** The {@code run} object of a run state held as a tree; as {@link #readRunInfo(JsonParser)}. */
    public static RunInfo readRunInfo(JsonNode n) {
        return WireDocuments.fromTree(n, WireFormat::readRunInfo);
    }
}

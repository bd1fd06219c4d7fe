package dev.progresstracker.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.Delivery;
import dev.progresstracker.core.event.EventHeader;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.RunEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one JSON mapping of events and run state: EventBridge {@code Detail}, WebSocket
 * {@code event} payloads, journal records and snapshots all use it. Writers omit null fields;
 * readers ignore unknown fields (forward compatible) and reject missing or malformed required
 * fields with an {@link IllegalArgumentException} that names the field.
 *
 * <p>Thread-safe; stateless.
 */
public final class WireFormat {

    /** Version written into every event as {@code schemaVersion}. */
    public static final String SCHEMA_VERSION = "1.0";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private WireFormat() {
    }

    /** A shared, configured mapper (unknown properties ignored). Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
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

    /** Reads an event's {@code delivery} object; null when absent. */
    static Delivery readDelivery(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("event field 'delivery' must be an object, got " + n);
        }
        return delivery(n.get("previous"), n.get("previousType"), n.get("superseded"));
    }

    static Delivery delivery(JsonNode previous, JsonNode previousType, JsonNode superseded) {
        if (previous == null || !previous.isIntegralNumber() || !previous.canConvertToLong()) {
            throw new IllegalArgumentException("event field 'delivery.previous' must be an integer, got " + previous);
        }
        if (superseded != null && (!superseded.isIntegralNumber() || !superseded.canConvertToLong())) {
            throw new IllegalArgumentException("event field 'delivery.superseded' must be an integer, got " + superseded);
        }
        EventType type = null;
        if (previousType != null && !previousType.isNull()) {
            try {
                type = EventType.fromWireName(previousType.asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("event field 'delivery.previousType': " + e.getMessage(), e);
            }
        }
        return new Delivery(previous.asLong(), type, superseded == null ? 0 : superseded.asLong());
    }

    public static void writeTask(JsonGenerator g, TaskView t) throws IOException {
        g.writeStartObject();
        g.writeStringField("taskId", t.taskId());
        g.writeStringField("name", t.name());
        g.writeStringField("type", t.type().name());
        writeOptional(g, "parentTaskId", t.parentTaskId());
        g.writeNumberField("weight", t.weight());
        g.writeStringField("status", t.status().name());
        g.writeNumberField("percent", t.percent());
        writeOptional(g, "message", t.message());
        g.writeFieldName("details");
        MAPPER.writeValue(g, t.details());
        writeOptional(g, "startedAt", t.startedAt());
        writeOptional(g, "finishedAt", t.finishedAt());
        g.writeNumberField("attempt", t.attempt());
        g.writeEndObject();
    }

    public static void writeRun(JsonGenerator g, RunView r) throws IOException {
        g.writeStartObject();
        g.writeStringField("status", r.status().name());
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
        g.writeEndObject();
    }

    public static void writeAlert(JsonGenerator g, Alert a) throws IOException {
        g.writeStartObject();
        g.writeStringField("alertId", a.alertId());
        g.writeStringField("rule", a.rule());
        g.writeStringField("severity", a.severity().name());
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

    // ------------------------------------------------------------------ JSON → events

    /**
     * Parses wire JSON; {@link IllegalArgumentException} naming what is wrong. Streams (no tree);
     * same results and messages as {@link #readEvent(JsonNode)} on the parsed tree.
     */
    public static ProgressEvent fromJson(String json) {
        WireFields.EventFields fields;
        try (JsonParser p = FACTORY.createParser(json)) {
            fields = WireStreamReader.collectEvent(p);
            WireStreamReader.requireEnd(p);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fields.build();
    }

    /** Parses wire JSON from UTF-8 bytes (streaming, as {@link #fromJson(String)}). */
    public static ProgressEvent fromJson(byte[] json) {
        WireFields.EventFields fields;
        try (JsonParser p = FACTORY.createParser(json)) {
            fields = WireStreamReader.collectEvent(p);
            WireStreamReader.requireEnd(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("event is not valid JSON: " + e.getMessage(), e);
        }
        return fields.build();
    }

    // ------------------------------------------------------------------ streaming readers

    /**
     * Reads one event from {@code p}, positioned on its {@code START_OBJECT} (or just before it), and
     * leaves {@code p} on the event's {@code END_OBJECT}; tokens after it are not looked at. Builds no
     * tree; results and {@link IllegalArgumentException}s equal those of {@link #readEvent(JsonNode)}.
     *
     * @throws IOException if the JSON itself is malformed
     */
    public static ProgressEvent readEvent(JsonParser p) throws IOException {
        return WireStreamReader.readEvent(p);
    }

    /** Streaming {@link #readTask(JsonNode)}; parser handling as {@link #readEvent(JsonParser)}. */
    public static TaskView readTask(JsonParser p) throws IOException {
        return WireStreamReader.readTask(p);
    }

    /** Streaming {@link #readRun(JsonNode)}; parser handling as {@link #readEvent(JsonParser)}. */
    public static RunView readRun(JsonParser p) throws IOException {
        return WireStreamReader.readRun(p);
    }

    /** Streaming {@link #readAlert(JsonNode)}; parser handling as {@link #readEvent(JsonParser)}. */
    public static Alert readAlert(JsonParser p) throws IOException {
        return WireStreamReader.readAlert(p);
    }

    /** Streaming {@link #readRunInfo(JsonNode)}; parser handling as {@link #readEvent(JsonParser)}. */
    public static RunInfo readRunInfo(JsonParser p) throws IOException {
        return WireStreamReader.readRunInfo(p);
    }

    /**
     * Streaming {@link #readRunState(JsonNode)}: one task at a time, so a run with a million tasks never
     * becomes one tree. Parser handling as {@link #readEvent(JsonParser)}.
     */
    public static RunState readRunState(JsonParser p) throws IOException {
        return WireStreamReader.readRunState(p);
    }

    /** Reads an event from a parsed tree. */
    public static ProgressEvent readEvent(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("event must be a JSON object");
        }
        EventType type;
        try {
            type = EventType.fromWireName(text(n, "type", "event"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event field 'type': " + e.getMessage(), e);
        }
        UUID eventId;
        try {
            eventId = UUID.fromString(text(n, "eventId", "event"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event field 'eventId' is not a UUID: " + n.get("eventId"), e);
        }
        JsonNode seq = n.get("sequence");
        if (seq == null || !seq.canConvertToLong() || !seq.isIntegralNumber()) {
            throw new IllegalArgumentException("event field 'sequence' must be an integer, got " + seq);
        }
        EventHeader header = new EventHeader(eventId, text(n, "runId", "event"), seq.asLong(),
                instant(n, "time", "event", true), optText(n, "clusterName"), optText(n, "planId"),
                readDelivery(n.get("delivery")));
        RunView run = readRun(object(n, "run", "event"));
        switch (type) {
            case UPGRADE_STARTED:
                return new RunEvent.UpgradeStarted(header, run, readStringMap(n.get("attributes")));
            case UPGRADE_COMPLETED:
                return new RunEvent.UpgradeCompleted(header, run);
            case UPGRADE_FAILED:
                return new RunEvent.UpgradeFailed(header, run, optText(n, "message"));
            case UPGRADE_CANCELLED:
                return new RunEvent.UpgradeCancelled(header, run, optText(n, "reason"));
            case PHASE_CHANGED:
                return new RunEvent.PhaseChanged(header, run, optText(n, "previousPhase"));
            case ALERT_RAISED:
                return new AlertEvent.AlertRaised(header, run, readAlert(object(n, "alert", "event")));
            case ALERT_CLEARED:
                return new AlertEvent.AlertCleared(header, run, readAlert(object(n, "alert", "event")));
            default:
                return TaskEvent.of(type, header, run, readTask(object(n, "task", "event")));
        }
    }

    public static TaskView readTask(JsonNode n) {
        return new TaskView(
                text(n, "taskId", "task"),
                text(n, "name", "task"),
                TaskType.of(text(n, "type", "task")),
                optText(n, "parentTaskId"),
                number(n, "weight", "task", 1.0),
                enumValue(TaskStatus.class, text(n, "status", "task"), "task.status"),
                number(n, "percent", "task", 0.0),
                optText(n, "message"),
                readDetails(n.get("details")),
                instant(n, "startedAt", "task", false),
                instant(n, "finishedAt", "task", false),
                (int) number(n, "attempt", "task", 0));
    }

    public static RunView readRun(JsonNode n) {
        JsonNode eta = n.get("eta");
        return new RunView(
                enumValue(RunStatus.class, text(n, "status", "run"), "run.status"),
                optText(n, "phase"),
                number(n, "percent", "run", 0.0),
                eta == null || eta.isNull() ? null : readEta(eta),
                instant(n, "startedAt", "run", false),
                instant(n, "finishedAt", "run", false));
    }

    public static Eta readEta(JsonNode n) {
        return new Eta((long) number(n, "seconds", "eta", Double.NaN), (long) number(n, "low", "eta", Double.NaN),
                (long) number(n, "high", "eta", Double.NaN), number(n, "confidence", "eta", Double.NaN),
                text(n, "method", "eta"));
    }

    public static Alert readAlert(JsonNode n) {
        return new Alert(text(n, "alertId", "alert"), text(n, "rule", "alert"),
                enumValue(Alert.Severity.class, text(n, "severity", "alert"), "alert.severity"),
                optText(n, "message"), optText(n, "taskId"));
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
        g.writeStringField("status", r.status().name());
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

    public static RunState readRunState(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("run state must be a JSON object");
        }
        RunInfo info = readRunInfo(object(n, "run", "state"));
        List<TaskView> tasks = new ArrayList<>();
        JsonNode ts = n.get("tasks");
        if (ts != null && ts.isArray()) {
            for (JsonNode t : ts) {
                tasks.add(readTask(t));
            }
        }
        List<Alert> alerts = new ArrayList<>();
        JsonNode as = n.get("alerts");
        if (as != null && as.isArray()) {
            for (JsonNode a : as) {
                alerts.add(readAlert(a));
            }
        }
        return new RunState(info, tasks, alerts);
    }

    public static RunState readRunState(String json) {
        return readRunState(parse(json));
    }

    public static RunInfo readRunInfo(JsonNode n) {
        JsonNode eta = n.get("eta");
        return new RunInfo(text(n, "runId", "run"), optText(n, "planId"), optText(n, "clusterName"),
                readStringMap(n.get("attributes")),
                enumValue(RunStatus.class, text(n, "status", "run"), "run.status"),
                optText(n, "phase"), number(n, "percent", "run", 0.0),
                eta == null || eta.isNull() ? null : readEta(eta),
                instant(n, "startedAt", "run", false), instant(n, "finishedAt", "run", false),
                (long) number(n, "lastSequence", "run", 0), instant(n, "updatedAt", "run", false));
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(where + " field '" + field + "' is missing");
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + " field '" + field + "' must be a string, got " + v.getNodeType());
        }
        return v.asText();
    }

    private static String optText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static double number(JsonNode n, String field, String where, double dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (Double.isNaN(dflt)) {
                throw new IllegalArgumentException(where + " field '" + field + "' is missing");
            }
            return dflt;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(where + " field '" + field + "' must be a number, got " + v.getNodeType());
        }
        return v.asDouble();
    }

    private static Instant instant(JsonNode n, String field, String where, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + " field '" + field + "' is missing");
            }
            return null;
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + " field '" + field + "' is not an ISO-8601 instant: " + v, e);
        }
    }

    private static JsonNode object(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException(where + " field '" + field + "' must be an object");
        }
        return v;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + field + "' has unknown value '" + value + "'", e);
        }
    }

    private static Map<String, String> readStringMap(JsonNode n) {
        if (n == null || !n.isObject()) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return Collections.unmodifiableMap(m);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readDetails(JsonNode n) {
        if (n == null || !n.isObject() || n.isEmpty()) {
            return Map.of();
        }
        return JsonValues.immutableCopy(MAPPER.convertValue(n, Map.class), "details");
    }
}

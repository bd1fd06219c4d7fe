package dev.progresstracker.events.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.progresstracker.events.Envelope;
import dev.progresstracker.events.TrackerEvent;
import dev.progresstracker.events.TrackerEventException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsing and dispatch behind {@code TrackerEvents}: text, bytes or a stream become one tree (trailing
 * tokens rejected), an object with {@code detail-type} is an envelope, any other object a bare detail.
 * Stateless and thread-safe.
 */
public final class EventReading {

    /** The EventBridge envelope field that tells an envelope from a bare detail. */
    public static final String DETAIL_TYPE = "detail-type";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();
    private static final ObjectReader TREES = MAPPER.readerFor(JsonNode.class);
    private static final DetailReader DETAILS = new DetailReader(MAPPER);

    private EventReading() {}

    /** Parses {@code json} (a String, byte[] or InputStream) into one tree. */
    public static JsonNode parse(Object json) {
        if (json == null) {
            throw new TrackerEventException("event JSON must not be null", null, null);
        }
        try {
            JsonNode n = json instanceof String s
                    ? TREES.readTree(s)
                    : json instanceof byte[] b ? TREES.readTree(b) : TREES.readTree((InputStream) json);
            if (n == null || n.isMissingNode()) {
                throw new TrackerEventException("event JSON is empty", null, null);
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new TrackerEventException(
                    "event is not valid JSON: " + e.getOriginalMessage() + location(e), null, e);
        } catch (IOException e) {
            throw new TrackerEventException("event JSON could not be read: " + e.getMessage(), null, e);
        }
    }

    /** An envelope's detail, or a bare detail; {@code detailType} null unless the caller knows it. */
    public static TrackerEvent event(JsonNode root, String detailType) {
        JsonObject o = JsonObject.root(root, "event");
        if (o.has(DETAIL_TYPE)) {
            return envelope(o, detailType).detail();
        }
        return DETAILS.read(o, detailType);
    }

    /** The envelope in {@code root}, which must be one. */
    public static Envelope envelope(JsonNode root) {
        JsonObject o = JsonObject.root(root, "EventBridge envelope");
        if (!o.has(DETAIL_TYPE)) {
            throw o.missing(DETAIL_TYPE);
        }
        return envelope(o, null);
    }

    private static Envelope envelope(JsonObject o, String expectedType) {
        String detailType = o.text(DETAIL_TYPE);
        if (expectedType != null && !expectedType.equals(detailType)) {
            throw new TrackerEventException(
                    "detail-type '" + expectedType + "' does not match the envelope's '" + detailType + "'",
                    DETAIL_TYPE,
                    null);
        }
        TrackerEvent detail = DETAILS.read(o.object("detail"), detailType);
        return new Envelope(
                o.optionalText("version"),
                o.text("id"),
                detailType,
                o.text("source"),
                o.optionalText("account"),
                o.instant("time"),
                o.optionalText("region"),
                resources(o),
                detail);
    }

    private static List<String> resources(JsonObject o) {
        JsonNode r = o.node().get("resources");
        List<String> out = new ArrayList<>();
        if (r == null || r.isNull()) {
            return out;
        }
        if (!r.isArray()) {
            throw o.wrong("resources", "an array of strings", r);
        }
        for (JsonNode v : r) {
            if (!v.isTextual()) {
                throw o.wrong("resources", "an array of strings", r);
            }
            out.add(v.textValue());
        }
        return out;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }
}

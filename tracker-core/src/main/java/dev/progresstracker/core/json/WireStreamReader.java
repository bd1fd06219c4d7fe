package dev.progresstracker.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.core.json.WireFields.AlertFields;
import dev.progresstracker.core.json.WireFields.EventFields;
import dev.progresstracker.core.json.WireFields.RunFields;
import dev.progresstracker.core.json.WireFields.RunInfoFields;
import dev.progresstracker.core.json.WireFields.RunStateFields;
import dev.progresstracker.core.json.WireFields.TaskFields;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the wire JSON straight from a {@link JsonParser}, without a {@link JsonNode} tree per
 * object: the cost that dominates journal replay and snapshot loading. Results and
 * {@link IllegalArgumentException} messages equal those of the tree readers in {@link WireFormat}:
 * each object is first collected (last duplicate field wins, as in a tree), then checked in the
 * tree readers' order; a nested object's error is kept and raised where the tree reader would
 * raise it. Values of an unexpected JSON type are kept as small trees so messages quote them
 * exactly as before (that path is rare and may be slow).
 *
 * <p>Stateless; thread-safe.
 */
final class WireStreamReader {

    /** Reads one value of a longer stream: trailing tokens belong to the caller. */
    private static final ObjectReader TREE = WireFormat.mapper().readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private WireStreamReader() {
    }

    // ------------------------------------------------------------------ public entry points (via WireFormat)

    static ProgressEvent readEvent(JsonParser p) throws IOException {
        return collectEvent(p).build();
    }

    static TaskView readTask(JsonParser p) throws IOException {
        return object(p, TaskFields::new).build();
    }

    static RunView readRun(JsonParser p) throws IOException {
        return object(p, RunFields::new).build();
    }

    static Alert readAlert(JsonParser p) throws IOException {
        return object(p, AlertFields::new).build();
    }

    static RunInfo readRunInfo(JsonParser p) throws IOException {
        return object(p, RunInfoFields::new).build();
    }

    static RunState readRunState(JsonParser p) throws IOException {
        return collectRunState(p).build();
    }

    /**
     * Reads a whole document holding one event: syntax errors and trailing tokens are reported
     * before field checks, as when the document is parsed into a tree first.
     */
    static EventFields collectEvent(JsonParser p) throws IOException {
        JsonToken t = start(p);
        if (t != JsonToken.START_OBJECT) {
            if (t != null) {
                p.skipChildren();
            }
            return EventFields.notAnObject();
        }
        EventFields f = new EventFields();
        f.read(p);
        return f;
    }

    static RunStateFields collectRunState(JsonParser p) throws IOException {
        JsonToken t = start(p);
        RunStateFields f = new RunStateFields();
        if (t != JsonToken.START_OBJECT) {
            if (t != null) {
                p.skipChildren();
            }
            f.notAnObject = true;
            return f;
        }
        f.read(p);
        return f;
    }

    /** Fails like a tree parse would if anything but whitespace follows the value. */
    static void requireEnd(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t != null) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "Trailing token (of type " + t
                    + ") found after value: not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
        }
    }

    // ------------------------------------------------------------------ collecting

    private static JsonToken start(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return t == null ? p.nextToken() : t;
    }

    /** An object being read: {@link #field} consumes one field's value. */
    abstract static class Fields<T> {
        /** Consumes the value of {@code name} (parser on its first token). */
        abstract void field(String name, JsonToken t, JsonParser p) throws IOException;

        /** Checks and builds, in the tree reader's order. */
        abstract T build();

        final void read(JsonParser p) throws IOException {
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                field(name, p.nextToken(), p);
            }
            if (t != JsonToken.END_OBJECT) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "expected a field name or '}', got " + t);
            }
        }
    }

    interface FieldsFactory<T> {
        Fields<T> create();
    }

    /** Reads an object (or, for any other value, its tree) so that {@code build()} behaves as the tree reader. */
    static <T> Fields<T> object(JsonParser p, FieldsFactory<T> factory) throws IOException {
        JsonToken t = start(p);
        Fields<T> f = factory.create();
        if (t == JsonToken.START_OBJECT) {
            f.read(p);
        } else if (t != null) {
            // A tree reader on a non-object sees every field missing: replay that with an empty object.
            p.skipChildren();
        }
        return f;
    }

    /** A nested object, read now and built (or failing) when the tree reader would get to it. */
    static final class Nested<T> {
        private final T value;
        private final RuntimeException error;
        /** The value when it is not an object (kept for tree-exact messages), else null. */
        final JsonNode other;

        private Nested(T value, RuntimeException error, JsonNode other) {
            this.value = value;
            this.error = error;
            this.other = other;
        }

        boolean isObject() {
            return other == null;
        }

        T get() {
            if (error != null) {
                throw error;
            }
            return value;
        }
    }

    /** Null for JSON null; a {@link Nested} otherwise. */
    static <T> Nested<T> nested(JsonToken t, JsonParser p, FieldsFactory<T> factory) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            return new Nested<>(null, null, TREE.readValue(p));
        }
        Fields<T> f = factory.create();
        f.read(p);
        try {
            return new Nested<>(f.build(), null, null);
        } catch (RuntimeException e) {
            return new Nested<>(null, e, null);
        }
    }

    /** The value at {@code t} as a tree (for small objects read rarely, such as an event's {@code delivery}). */
    static com.fasterxml.jackson.databind.JsonNode tree(JsonToken t, JsonParser p) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : TREE.readValue(p);
    }

    /** A scalar as read: null (JSON null), String, Number; any other value as its tree. */
    static Object value(JsonToken t, JsonParser p) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return smallDouble(p);
            default:
                return TREE.readValue(p);
        }
    }

    private static final Double ZERO = 0.0;
    private static final Double ONE = 1.0;
    private static final Double HUNDRED = 100.0;

    /**
     * Percents and weights are mostly {@code 0.0}, {@code 1.0} or {@code 100.0}: those are recognised
     * from the token's characters (exact values), skipping the general decimal conversion.
     */
    private static Object smallDouble(JsonParser p) throws IOException {
        int len = p.getTextLength();
        if (len == 3 || len == 5) {
            char[] c = p.getTextCharacters();
            int o = p.getTextOffset();
            if (len == 3 && c[o + 1] == '.' && c[o + 2] == '0') {
                if (c[o] == '0') {
                    return ZERO;
                }
                if (c[o] == '1') {
                    return ONE;
                }
            } else if (len == 5 && c[o] == '1' && c[o + 1] == '0' && c[o + 2] == '0' && c[o + 3] == '.'
                    && c[o + 4] == '0') {
                return HUNDRED;
            }
        }
        return p.getNumberValue();
    }

    // ------------------------------------------------------------------ checks (same messages as the tree readers)

    /** The tree node a raw value stands for (null stays null). */
    static JsonNode node(Object v) {
        if (v == null || v instanceof JsonNode) {
            return (JsonNode) v;
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof BigInteger b) {
            return NODES.numberNode(b);
        }
        if (v instanceof java.math.BigDecimal d) {
            return NODES.numberNode(d);
        }
        return NODES.numberNode(((Number) v).doubleValue());
    }

    static String text(Object v, String field, String where) {
        if (v instanceof String s) {
            return s;
        }
        if (v == null) {
            throw new IllegalArgumentException(where + " field '" + field + "' is missing");
        }
        throw new IllegalArgumentException(where + " field '" + field + "' must be a string, got " + node(v).getNodeType());
    }

    static String optText(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        return node(v).asText();
    }

    static double number(Object v, String field, String where, double dflt) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v == null) {
            if (Double.isNaN(dflt)) {
                throw new IllegalArgumentException(where + " field '" + field + "' is missing");
            }
            return dflt;
        }
        throw new IllegalArgumentException(where + " field '" + field + "' must be a number, got " + node(v).getNodeType());
    }

    static java.time.Instant instant(Object v, String field, String where, boolean required) {
        if (v == null) {
            if (required) {
                throw new IllegalArgumentException(where + " field '" + field + "' is missing");
            }
            return null;
        }
        String s = optText(v);
        java.time.Instant fast = Instants.parseCanonical(s);
        if (fast != null) {
            return fast;
        }
        try {
            return java.time.Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(where + " field '" + field + "' is not an ISO-8601 instant: " + node(v), e);
        }
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + field + "' has unknown value '" + value + "'", e);
        }
    }

    /** Attributes: any value becomes its text, as {@code JsonNode.asText()} gives it; a non-object is empty. */
    static Map<String, String> stringMap(JsonToken t, JsonParser p) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken vt = p.nextToken();
            m.put(key, vt == JsonToken.VALUE_STRING ? p.getText() : TREE.<JsonNode>readValue(p).asText());
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Details as plain maps, lists and scalars (what {@code convertValue(tree, Map.class)} gives), or
     * null for a non-object or an empty object; the caller makes the one immutable copy.
     */
    static Map<String, Object> rawDetails(JsonToken t, JsonParser p) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Map<String, Object> m = rawObject(p);
        return m.isEmpty() ? null : m;
    }

    private static Map<String, Object> rawObject(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            m.put(key, raw(p.nextToken(), p));
        }
        return m;
    }

    private static Object raw(JsonToken t, JsonParser p) throws IOException {
        switch (t) {
            case START_OBJECT:
                return rawObject(p);
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(raw(e, p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                return TREE.<JsonNode>readValue(p).asText();
        }
    }
}

package dev.progresstracker.core.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format's one decoder, over a {@link JsonParser} (text, bytes, or a tree via Jackson's
 * tree-traversing parser): no {@link JsonNode} tree per object, the cost that dominates journal
 * replay and snapshot loading. Each object's fields are first collected (order does not matter;
 * the last duplicate wins; unknown fields are skipped), then checked in a fixed order by
 * {@link WireFields}, so the error reported for a document does not depend on how its fields are
 * ordered; a nested object's error is kept and raised when its parent gets to that field. Values of
 * an unexpected JSON type are kept as small trees so messages can quote them (a rare, slow path).
 *
 * <p>Stateless; thread-safe.
 */
final class WireStreamReader {

    /** Reads one value of a longer stream: trailing tokens belong to the caller. */
    private static final ObjectReader TREE =
            WireFormat.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private WireStreamReader() {}

    // ------------------------------------------------------------------ documents

    /** Fails if anything but whitespace follows the value. */
    static void requireEnd(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t != null) {
            throw new JsonParseException(p, "trailing token after the value: " + t);
        }
    }

    // ------------------------------------------------------------------ collecting

    private static JsonToken start(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return t == null ? p.nextToken() : t;
    }

    /** An object being read: {@link #field} consumes one field's value. */
    abstract static class Fields<T> {
        /** Set when the value read was not an object: a document rejects that, a nested object reads as empty. */
        boolean notAnObject;

        /** Consumes the value of {@code name} (parser on its first token). */
        abstract void field(String name, JsonToken t, JsonParser p) throws IOException;

        /** Checks and builds; {@link IllegalArgumentException} naming the first bad field. */
        abstract T build();

        final void read(JsonParser p) throws IOException {
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                field(name, p.nextToken(), p);
            }
            if (t != JsonToken.END_OBJECT) {
                throw new JsonParseException(p, "expected a field name or '}', got " + t);
            }
        }
    }

    interface FieldsFactory<T> {
        Fields<T> create();
    }

    /** Reads an object; any other value is skipped and reads as an object with every field missing. */
    static <T> Fields<T> object(JsonParser p, FieldsFactory<T> factory) throws IOException {
        JsonToken t = start(p);
        Fields<T> f = factory.create();
        if (t == JsonToken.START_OBJECT) {
            f.read(p);
        } else {
            f.notAnObject = true;
            if (t != null) {
                p.skipChildren();
            }
        }
        return f;
    }

    /** A nested object, read now and built (or failing) when its parent's checks get to it. */
    static final class Nested<T> {
        private final T value;
        private final RuntimeException error;
        /** The value when it is not an object (kept for messages), else null. */
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
            } else if (len == 5
                    && c[o] == '1'
                    && c[o + 1] == '0'
                    && c[o + 2] == '0'
                    && c[o + 3] == '.'
                    && c[o + 4] == '0') {
                return HUNDRED;
            }
        }
        return p.getNumberValue();
    }

    // ------------------------------------------------------------------ checks: each message names the field

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
            throw missing(field, where);
        }
        throw new IllegalArgumentException(
                where + " field '" + field + "' must be a string, got " + node(v).getNodeType());
    }

    static String optText(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        return node(v).asText();
    }

    /** A finite number, {@code dflt} when absent; required when {@code dflt} is NaN. */
    static double number(Object v, String field, String where, double dflt) {
        if (v == null) {
            if (Double.isNaN(dflt)) {
                throw missing(field, where);
            }
            return dflt;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(
                    where + " field '" + field + "' must be a number, got " + node(v).getNodeType());
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(where + " field '" + field + "' must be a finite number, got " + d);
        }
        return d;
    }

    /** A whole number within {@code min..max}, {@code dflt} when absent; required when {@code dflt} is null. */
    static long integer(Object v, String field, String where, Long dflt, long min, long max) {
        if (v == null) {
            if (dflt == null) {
                throw missing(field, where);
            }
            return dflt;
        }
        if (v instanceof Integer || v instanceof Long) {
            long l = ((Number) v).longValue();
            if (l >= min && l <= max) {
                return l;
            }
        }
        throw new IllegalArgumentException(
                where + " field '" + field + "' must be an integer from " + min + " to " + max + ", got " + quote(v));
    }

    private static IllegalArgumentException missing(String field, String where) {
        return new IllegalArgumentException(where + " field '" + field + "' is missing");
    }

    /** A value as JSON for a message, cut short: hostile input must not make huge messages. */
    static String quote(Object v) {
        String s = String.valueOf(node(v));
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    static java.time.Instant instant(Object v, String field, String where, boolean required) {
        if (v == null) {
            if (required) {
                throw missing(field, where);
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
            throw new IllegalArgumentException(
                    where + " field '" + field + "' is not an ISO-8601 instant: " + quote(v), e);
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
            m.put(
                    key,
                    vt == JsonToken.VALUE_STRING
                            ? p.getText()
                            : TREE.<JsonNode>readValue(p).asText());
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

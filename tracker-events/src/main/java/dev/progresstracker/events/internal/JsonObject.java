package dev.progresstracker.events.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.events.TrackerEventException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Typed access to the fields of one JSON object, each failure a {@link TrackerEventException} naming
 * the field by its dotted path from the document's root. Absent and JSON {@code null} are the same:
 * "missing" for a required field, null for an optional one. Unknown fields are never looked at.
 */
public final class JsonObject {

    private static final int SHOWN_VALUE_LENGTH = 60;

    private final JsonNode node;
    private final String path;

    private JsonObject(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The document's root, which must be an object; {@code what} names it in the error otherwise. */
    public static JsonObject root(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new TrackerEventException(what + " must be a JSON object, was " + kind(node), null, null);
        }
        return new JsonObject(node, "");
    }

    public JsonNode node() {
        return node;
    }

    /** The dotted path of {@code field} in this object. */
    public String pathOf(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    public JsonObject object(String field) {
        JsonObject o = optionalObject(field);
        if (o == null) {
            throw missing(field);
        }
        return o;
    }

    public JsonObject optionalObject(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw wrong(field, "an object", v);
        }
        return new JsonObject(v, pathOf(field));
    }

    public String text(String field) {
        String s = optionalText(field);
        if (s == null) {
            throw missing(field);
        }
        return s;
    }

    public String optionalText(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrong(field, "a string", v);
        }
        return v.textValue();
    }

    public long integer(String field) {
        Long n = optionalInteger(field);
        if (n == null) {
            throw missing(field);
        }
        return n;
    }

    /** Integral JSON numbers only ({@code 3}, also {@code 3.0}); a fraction or a quoted number is wrong. */
    public Long optionalInteger(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
            throw wrong(field, "an integer", v);
        }
        return v.asLong();
    }

    public double number(String field) {
        Double n = optionalNumber(field);
        if (n == null) {
            throw missing(field);
        }
        return n;
    }

    public Double optionalNumber(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw wrong(field, "a number", v);
        }
        return v.doubleValue();
    }

    public boolean flag(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw wrong(field, "true or false", v);
        }
        return v.booleanValue();
    }

    public Instant instant(String field) {
        Instant t = optionalInstant(field);
        if (t == null) {
            throw missing(field);
        }
        return t;
    }

    /** ISO-8601 with an offset ({@code 2026-11-23T10:00:00Z}, {@code …+02:00}). */
    public Instant optionalInstant(String field) {
        String s = optionalText(field);
        if (s == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new TrackerEventException(
                    "field '" + pathOf(field) + "' must be an ISO-8601 time such as " + "2026-11-23T10:00:00Z, was "
                            + show(node.get(field)),
                    pathOf(field),
                    e);
        }
    }

    public UUID uuid(String field) {
        String s = text(field);
        try {
            UUID u = UUID.fromString(s);
            if (u.toString().equalsIgnoreCase(s)) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // reported below, with the field's name
        }
        throw new TrackerEventException(
                "field '" + pathOf(field) + "' must be a UUID, was " + show(node.get(field)), pathOf(field), null);
    }

    public TrackerEventException missing(String field) {
        return new TrackerEventException("required field '" + pathOf(field) + "' is missing", pathOf(field), null);
    }

    public TrackerEventException wrong(String field, String expected, JsonNode actual) {
        return new TrackerEventException(
                "field '" + pathOf(field) + "' must be " + expected + ", was " + show(actual), pathOf(field), null);
    }

    private JsonNode value(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static String show(JsonNode v) {
        String s = v.toString();
        return s.length() <= SHOWN_VALUE_LENGTH ? s : s.substring(0, SHOWN_VALUE_LENGTH) + "…";
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + show(node);
    }
}

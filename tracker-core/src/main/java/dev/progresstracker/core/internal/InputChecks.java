package dev.progresstracker.core.internal;

import dev.progresstracker.core.EventLimits;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The call-site checks of {@link EventLimits}: a copy of {@code details} made in one walk that also
 * counts its JSON size (no serialization), and the checks of names and messages. A failed check
 * throws {@link Rejected}, which the engine turns into an {@link IllegalArgumentException} naming
 * the run and the task. Stateless apart from one walk's counters; thread-safe.
 */
public final class InputChecks {

    private final EventLimits limits;
    private long bytes;

    private InputChecks(EventLimits limits) {
        this.limits = limits;
    }

    /**
     * A check that failed: the field path and the problem. Built without a stack trace, since the
     * engine rethrows it as an {@link IllegalArgumentException} at once.
     */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private String path;

        Rejected(String path, String problem) {
            super(problem, null, false, false);
            this.path = path;
        }

        Rejected within(String parent) {
            path = parent + path;
            return this;
        }

        String path() {
            return path;
        }
    }

    // ------------------------------------------------------------------ details

    /**
     * An unmodifiable deep copy of {@code details} within the limits, keeping key order. Doubles and
     * floats must be finite; other values must be what JSON carries (null, strings, booleans,
     * numbers, lists, string-keyed maps; enums become their name).
     */
    static Map<String, Object> copyDetails(Map<?, ?> details, EventLimits limits) {
        if (details.isEmpty()) {
            return Map.of();
        }
        InputChecks walk = new InputChecks(limits);
        try {
            return walk.copyMap(details, 1);
        } catch (Rejected r) {
            throw r.within("details");
        }
    }

    /** {@link #copyDetails} for {@link EventLimits#checkDetails}: a rejection names its path inside the details. */
    public static Map<String, Object> checkedDetails(Map<?, ?> details, EventLimits limits) {
        try {
            return copyDetails(details, limits);
        } catch (Rejected r) {
            throw new IllegalArgumentException(r.path() + " " + r.getMessage());
        }
    }

    /** The JSON size of {@code details} as {@link #copyDetails} counts it (tests compare it with Jackson). */
    static long jsonBytes(Map<?, ?> details, EventLimits limits) {
        InputChecks walk = new InputChecks(limits);
        walk.copyMap(details, 1);
        return walk.bytes;
    }

    private Map<String, Object> copyMap(Map<?, ?> map, int depth) {
        checkContainer(map.size(), depth, "keys");
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        bytes += map.isEmpty() ? 2 : 1 + map.size(); // braces and the commas between entries
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new Rejected("", "has a key that is not a string: " + e.getKey());
            }
            if (key.isEmpty() || key.length() > limits.maxKeyLength()) {
                throw new Rejected(
                        "",
                        "has a key of " + key.length() + " characters ('" + preview(key) + "'); keys must have 1.."
                                + limits.maxKeyLength() + " (maxKeyLength)");
            }
            try {
                bytes += textBytes(key, false) + 3; // quotes and colon
                copy.put(key, copyValue(e.getValue(), depth));
                checkBytes();
            } catch (Rejected r) {
                throw r.within("." + key);
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    private List<Object> copyList(Collection<?> c, int depth) {
        checkContainer(c.size(), depth, "elements");
        List<Object> list = new ArrayList<>(c.size());
        bytes += c.isEmpty() ? 2 : 1 + c.size();
        int i = 0;
        for (Object o : c) {
            try {
                list.add(copyValue(o, depth));
                checkBytes();
            } catch (Rejected r) {
                throw r.within("[" + i + "]");
            }
            i++;
        }
        return Collections.unmodifiableList(list);
    }

    private Object copyValue(Object v, int depth) {
        if (v == null) {
            bytes += 4;
            return null;
        }
        if (v instanceof String s) {
            string(s);
            return s;
        }
        if (v instanceof Boolean b) {
            bytes += b ? 4 : 5;
            return v;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            bytes += digits(((Number) v).longValue());
            return v;
        }
        if (v instanceof Double || v instanceof Float) {
            return finite(((Number) v).doubleValue());
        }
        if (v instanceof BigInteger || v instanceof BigDecimal) {
            bytes += v.toString().length();
            return v;
        }
        if (v instanceof Number n) {
            return finite(n.doubleValue());
        }
        if (v instanceof Enum<?> e) {
            string(e.name());
            return e.name();
        }
        if (v instanceof CharSequence cs) {
            String s = cs.toString();
            string(s);
            return s;
        }
        if (v instanceof Map<?, ?> m) {
            return copyMap(m, depth + 1);
        }
        if (v instanceof Collection<?> c) {
            return copyList(c, depth + 1);
        }
        throw new Rejected(
                "",
                "has a value of type " + v.getClass().getName()
                        + " that JSON cannot carry; use strings, numbers, booleans, lists or maps");
    }

    private void string(String s) {
        if (s.length() > limits.maxStringLength()) {
            throw new Rejected(
                    "",
                    "is a string of " + s.length() + " characters; at most " + limits.maxStringLength()
                            + " are allowed (maxStringLength)");
        }
        bytes += textBytes(s, true) + 2;
    }

    private double finite(double d) {
        if (!Double.isFinite(d)) {
            throw new Rejected("", "must be a finite number, got " + d);
        }
        bytes += Double.toString(d).length();
        return d;
    }

    private void checkContainer(int size, int depth, String what) {
        if (depth > limits.maxDetailsDepth()) {
            throw new Rejected("", "is nested deeper than " + limits.maxDetailsDepth() + " levels (maxDetailsDepth)");
        }
        if (size > limits.maxDetailsEntries()) {
            throw new Rejected(
                    "",
                    "has " + size + " " + what + "; at most " + limits.maxDetailsEntries()
                            + " are allowed (maxDetailsEntries)");
        }
    }

    private void checkBytes() {
        if (bytes > limits.maxDetailsBytes()) {
            throw new Rejected(
                    "", "makes details larger than " + limits.maxDetailsBytes() + " bytes as JSON (maxDetailsBytes)");
        }
    }

    private static int digits(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int n = v < 0 ? 2 : 1;
        for (long x = Math.abs(v); x >= 10; x /= 10) {
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------ text

    /**
     * UTF-8 bytes of {@code s} inside a JSON string as Jackson writes it by default (quotes not
     * counted): a character outside the BMP is written as an escaped surrogate pair, 12 bytes.
     * Rejects lone surrogates, and control characters unless {@code controls}.
     */
    static long textBytes(String s, boolean controls) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                n += c == '"' || c == '\\' ? 2 : 1;
            } else if (c < 0xA0 && Character.isISOControl(c)) {
                if (!controls) {
                    throw new Rejected("", "contains control character U+" + hex(c) + " at index " + i);
                }
                n += c == 0x7F
                        ? 1
                        : c > 0x7F
                                ? 2
                                : switch (c) {
                                    case '\b', '\t', '\n', '\f', '\r' -> 2;
                                    default -> 6;
                                };
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 12; // Jackson escapes a pair as two backslash-u sequences
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new Rejected(
                        "",
                        "contains a lone UTF-16 surrogate U+" + hex(c) + " at index " + i
                                + ", which UTF-8 cannot carry");
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Checks a name, id or phase: 1..{@code max} characters, no control characters or lone surrogates. */
    static String requireName(String value, String field, int max, String limitName) {
        if (value == null) {
            throw new Rejected(field, "must not be null");
        }
        if (value.isBlank()) {
            throw new Rejected(field, "must not be blank");
        }
        if (value.length() > max) {
            throw new Rejected(
                    field,
                    "is " + value.length() + " characters long ('" + preview(value) + "'); at most " + max
                            + " are allowed (" + limitName + ")");
        }
        try {
            textBytes(value, false);
        } catch (Rejected r) {
            throw r.within(field);
        }
        return value;
    }

    /**
     * {@code text} cut to {@code max} characters ending in "…" (never between the two halves of a
     * surrogate pair), with lone surrogates replaced by U+FFFD; null stays null.
     */
    static String clipMessage(String text, int max) {
        if (text == null) {
            return null;
        }
        String t = text;
        if (t.length() > max) {
            int end = max - 1;
            if (Character.isHighSurrogate(t.charAt(end - 1))) {
                end--;
            }
            t = t.substring(0, end) + "…";
        }
        for (int i = 0; i < t.length(); i++) {
            if (Character.isSurrogate(t.charAt(i))) {
                return replaceLoneSurrogates(t);
            }
        }
        return t;
    }

    private static String replaceLoneSurrogates(String t) {
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1))) {
                b.append(c).append(t.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    /** Checks run attributes against the count, key and value limits. */
    static void requireAttributes(Map<String, String> attributes, EventLimits limits) {
        if (attributes.size() > limits.maxAttributes()) {
            throw new Rejected(
                    "attributes",
                    "has " + attributes.size() + " entries; at most " + limits.maxAttributes()
                            + " are allowed (maxAttributes)");
        }
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            String key = e.getKey();
            if (key.length() > limits.maxKeyLength()) {
                throw new Rejected(
                        "attributes",
                        "has a key of " + key.length() + " characters ('" + preview(key) + "'); at most "
                                + limits.maxKeyLength() + " are allowed (maxKeyLength)");
            }
            requireName(key, "attributes key '" + preview(key) + "'", limits.maxKeyLength(), "maxKeyLength");
            String value = e.getValue();
            if (value.length() > limits.maxAttributeLength()) {
                throw new Rejected(
                        "attributes." + key,
                        "is " + value.length() + " characters long; at most " + limits.maxAttributeLength()
                                + " are allowed (maxAttributeLength)");
            }
            try {
                textBytes(value, false);
            } catch (Rejected r) {
                throw r.within("attributes." + key);
            }
        }
    }

    private static String preview(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}

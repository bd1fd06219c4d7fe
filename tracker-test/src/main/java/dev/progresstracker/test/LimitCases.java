package dev.progresstracker.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.progresstracker.core.EventLimits;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inputs exactly at (and one past) each {@link EventLimits} limit, for the store contract's limits
 * test and the tracker's own tests. Texts mix ASCII, two- and three-byte characters, a surrogate
 * pair, quotes and backslashes; free text (values, messages) also carries control characters and NUL.
 */
public final class LimitCases {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME_UNIT = "aé€😀\"\\z"; // 8 chars, no control characters
    private static final String TEXT_UNIT = "aé€😀\"\\\n\t" + (char) 1 + (char) 0 + (char) 0x1f; // 12 chars

    private LimitCases() {}

    /** A name, key or id of exactly {@code chars} characters without control characters. */
    public static String name(int chars) {
        return fill(NAME_UNIT, chars);
    }

    /** Free text of exactly {@code chars} characters, control characters and NUL included. */
    public static String text(int chars) {
        return fill(TEXT_UNIT, chars);
    }

    private static String fill(String unit, int chars) {
        StringBuilder b = new StringBuilder(chars);
        while (b.length() < chars) {
            b.append(unit);
        }
        b.setLength(chars);
        if (Character.isHighSurrogate(b.charAt(chars - 1))) {
            b.setCharAt(chars - 1, 'x'); // never end in half a pair
        }
        return b.toString();
    }

    /**
     * A configuration whose limits let through events of several MiB (names of up to 1 Mi
     * characters, 8 MiB of details), for tests of a sink's or store's own handling of events larger
     * than the tracker lets through by default.
     */
    public static TrackerConfig generous() {
        return TrackerConfig.builder()
                .limits(EventLimits.builder()
                        .maxNameLength(1 << 20)
                        .maxStringLength(8 << 20)
                        .maxDetailsBytes(8 << 20)
                        .build())
                .build();
    }

    /**
     * A string of exactly {@code limits.maxStringLength()} characters, free text first and ASCII
     * after, whose JSON still fits in {@code limits.maxDetailsBytes()} minus {@code reserve} bytes;
     * shorter only if no string of the full length could fit.
     */
    public static String longString(EventLimits limits, int reserve) {
        String head = text(Math.min(24, limits.maxStringLength()));
        int chars = limits.maxStringLength();
        int budget = limits.maxDetailsBytes() - reserve - (jsonBytes(head) - head.length()); // escapes cost extra
        return head + "x".repeat(Math.max(0, Math.min(chars, budget) - head.length()));
    }

    /** Compact JSON bytes of {@code value} as the wire format writes it (Jackson defaults). */
    public static int jsonBytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether two JSON texts hold the same tree (object keys in any order). */
    public static boolean sameJson(String a, String b) {
        try {
            return JSON.readTree(a).equals(JSON.readTree(b));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Details whose JSON is exactly {@code bytes} long: keys {@code k0…k9} with ASCII strings of at
     * most {@code limits.maxStringLength()} characters. Needs at most 10 such strings.
     */
    public static Map<String, Object> detailsOfBytes(int bytes, EventLimits limits) {
        int max = limits.maxStringLength();
        for (int n = 1; n <= 10; n++) {
            long room = bytes - 1L - 8L * n; // {} plus per entry "kI":"" and a comma between entries
            if (room < 0) {
                break;
            }
            if (room <= (long) n * max) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    int len = (int) Math.min(max, room);
                    room -= len;
                    m.put("k" + i, "x".repeat(len));
                }
                if (jsonBytes(m) != bytes) {
                    throw new IllegalStateException("built " + jsonBytes(m) + " bytes instead of " + bytes);
                }
                return m;
            }
        }
        throw new IllegalArgumentException(bytes + " bytes of details need more than 10 strings of " + max);
    }

    /** Maps nested {@code levels} deep (the outer map is level 1), ending in {@code {"leaf": true}}. */
    public static Map<String, Object> nested(int levels) {
        Map<String, Object> m = Map.of("leaf", true);
        for (int i = 1; i < levels; i++) {
            m = Map.of("d", m);
        }
        return m;
    }

    /** One map with {@code keys} keys {@code k0, k1, …} holding small numbers. */
    public static Map<String, Object> wide(int keys) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keys; i++) {
            m.put("k" + i, i % 10);
        }
        return m;
    }

    /** A list of {@code elements} small numbers under key {@code list}. */
    public static Map<String, Object> longList(int elements) {
        List<Object> l = new ArrayList<>(elements);
        for (int i = 0; i < elements; i++) {
            l.add(i % 10);
        }
        return Map.of("list", l);
    }

    /** {@code count} run attributes with keys of {@code keyChars} and values of {@code valueChars} characters. */
    public static Map<String, String> attributes(int count, int keyChars, int valueChars) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String prefix = "a" + i + "-";
            m.put(prefix + name(Math.max(1, keyChars - prefix.length())), name(valueChars));
        }
        return m;
    }

    /**
     * One call on {@code t} (a run with a started leaf task {@code d}) just over each limit, keyed by the
     * limit its refusal names (a trailing space tells two cases of one limit apart). For the store
     * contract; every call must throw and change nothing.
     */
    static Map<String, Runnable> overTheLimits(ProgressTracker t, EventLimits l) {
        Map<String, Runnable> overTheLimits = new LinkedHashMap<>();
        overTheLimits.put(
                "maxDetailsBytes",
                () -> t.updateTaskProgress("d", 50, null, detailsOfBytes(l.maxDetailsBytes() + 1, l)));
        overTheLimits.put(
                "maxDetailsDepth", () -> t.updateTaskProgress("d", 50, null, nested(l.maxDetailsDepth() + 1)));
        overTheLimits.put(
                "maxDetailsEntries", () -> t.updateTaskProgress("d", 50, null, wide(l.maxDetailsEntries() + 1)));
        overTheLimits.put(
                "maxDetailsEntries ", () -> t.updateTaskProgress("d", 50, null, longList(l.maxDetailsEntries() + 1)));
        overTheLimits.put(
                "maxKeyLength", () -> t.updateTaskProgress("d", 50, null, Map.of(name(l.maxKeyLength() + 1), 1)));
        overTheLimits.put(
                "maxStringLength",
                () -> t.updateTaskProgress("d", 50, null, Map.of("s", text(l.maxStringLength() + 1))));
        overTheLimits.put(
                "control character", () -> t.updateTaskProgress("d", 50, null, Map.of("a" + (char) 0 + "b", 1)));
        overTheLimits.put(
                "surrogate", () -> t.updateTaskProgress("d", 50, null, Map.of("s", "x" + (char) 0xD800 + "y")));
        overTheLimits.put("maxNameLength", () -> t.setCurrentPhase(name(l.maxNameLength() + 1)));
        overTheLimits.put(
                "maxNameLength ", () -> t.addTask("d2", name(l.maxNameLength() + 1), TaskType.UPGRADE_STEP, null));
        return overTheLimits;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c < 0x20 || c > 0x7E) {
                b.append(String.format("\\u{%X}", c));
            } else {
                b.append((char) c);
            }
        });
        return b.toString();
    }

    /**
     * Event JSON compared one by one as trees (the order of a map's keys, e.g. run attributes, is not
     * kept by every store); a mismatch shows where the two texts first differ (events are long here).
     */
    static void assertSameJson(List<String> actual, List<String> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            String a = actual.get(i);
            String e = expected.get(i);
            if (!sameJson(a, e)) {
                int at = 0;
                while (at < Math.min(a.length(), e.length()) && a.charAt(at) == e.charAt(at)) {
                    at++;
                }
                int from = Math.max(0, at - 80);
                throw new AssertionError("event " + (i + 1) + " (" + a.length() + " vs " + e.length()
                        + " characters) differs at character " + at + ":\n  stored:   …"
                        + printable(a.substring(from, Math.min(a.length(), at + 80))) + "\n  expected: …"
                        + printable(e.substring(from, Math.min(e.length(), at + 80))));
            }
        }
    }
}

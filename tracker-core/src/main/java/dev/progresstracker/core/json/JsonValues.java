package dev.progresstracker.core.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates and deep-copies free-form {@code details} read back from the wire: only values JSON can
 * carry (null, strings, booleans, finite numbers, lists and string-keyed maps of those, nested at
 * most {@value #MAX_DEPTH} levels below the top map) are accepted. The copy is unmodifiable at every
 * level and keeps key order. Deliberately more lenient than the tracker's call-site limits
 * ({@code EventLimits}, whose depth is capped at this value), so that whatever a tracker stored can
 * be read back.
 */
public final class JsonValues {

    public static final int MAX_DEPTH = 64;

    private JsonValues() {}

    /**
     * An unmodifiable deep copy of {@code map}; {@link IllegalArgumentException} naming the path of
     * the first value JSON cannot carry.
     */
    public static Map<String, Object> immutableCopy(Map<?, ?> map, String path) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return copyMap(map, path, 0);
    }

    private static Map<String, Object> copyMap(Map<?, ?> map, String path, int depth) {
        checkDepth(path, depth);
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + " has a key that is not a string: " + e.getKey());
            }
            copy.put(key, copyValue(e.getValue(), path + "." + key, depth + 1));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(Object v, String path, int depth) {
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Double d) {
            return finite(d, path);
        }
        if (v instanceof Float f) {
            return finite(f.doubleValue(), path);
        }
        if (v instanceof Integer
                || v instanceof Long
                || v instanceof Short
                || v instanceof Byte
                || v instanceof BigInteger
                || v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof Number n) {
            return finite(n.doubleValue(), path);
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        if (v instanceof Map<?, ?> m) {
            return copyMap(m, path, depth);
        }
        if (v instanceof Collection<?> c) {
            checkDepth(path, depth);
            List<Object> list = new ArrayList<>(c.size());
            int i = 0;
            for (Object o : c) {
                list.add(copyValue(o, path + "[" + i++ + "]", depth + 1));
            }
            return Collections.unmodifiableList(list);
        }
        throw new IllegalArgumentException(path + " has a value of type "
                + v.getClass().getName() + " that JSON cannot carry; use strings, numbers, booleans, lists or maps");
    }

    private static double finite(double d, String path) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(path + " must be a finite number, got " + d);
        }
        return d;
    }

    private static void checkDepth(String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + " is nested deeper than " + MAX_DEPTH + " levels");
        }
    }
}

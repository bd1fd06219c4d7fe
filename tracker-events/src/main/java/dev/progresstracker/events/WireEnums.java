package dev.progresstracker.events;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Wire value → constant of the enumerated fields, without the exception {@code valueOf} throws. */
final class WireEnums {

    private static final Map<Class<?>, Map<String, Enum<?>>> BY_CLASS = new ConcurrentHashMap<>();

    private WireEnums() {}

    /** The constant named {@code value}, or {@code fallback} when no constant (other than the fallback) is. */
    static <E extends Enum<E>> E lookup(Class<E> type, String value, E fallback) {
        if (value == null) {
            return fallback;
        }
        Enum<?> found =
                BY_CLASS.computeIfAbsent(type, t -> index(type, fallback)).get(value);
        return found == null ? fallback : type.cast(found);
    }

    /** The wire values of {@code type}: every constant's name but the fallback's. */
    static <E extends Enum<E>> EnumSet<E> known(Class<E> type, E fallback) {
        EnumSet<E> all = EnumSet.allOf(type);
        all.remove(fallback);
        return all;
    }

    private static <E extends Enum<E>> Map<String, Enum<?>> index(Class<E> type, E fallback) {
        Map<String, Enum<?>> m = new HashMap<>();
        for (E e : known(type, fallback)) {
            m.put(e.name(), e);
        }
        return m;
    }
}

package dev.progresstracker.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The parts of a {@link Setting}; a copy is changed while a modifier runs and never after. */
final class SettingProps<T> {
    record Rule<T>(Predicate<T> test, String allowed) {}

    String name;
    Kind<T> kind;
    T defaultValue;
    String env;
    String doc = "";
    String defaultText;
    T min;
    T max;
    boolean minExclusive;
    boolean maxExclusive;
    boolean zeroAllowed;
    boolean optional;
    boolean secret;
    boolean bytes;
    List<Rule<T>> rules = List.of();
    ConfigSpec<?> nested;
    String envPrefix;

    SettingProps<T> copy() {
        SettingProps<T> c = new SettingProps<>();
        c.name = name;
        c.kind = kind;
        c.defaultValue = defaultValue;
        c.env = env;
        c.doc = doc;
        c.defaultText = defaultText;
        c.min = min;
        c.max = max;
        c.minExclusive = minExclusive;
        c.maxExclusive = maxExclusive;
        c.zeroAllowed = zeroAllowed;
        c.optional = optional;
        c.secret = secret;
        c.bytes = bytes;
        c.rules = new ArrayList<>(rules);
        c.nested = nested;
        c.envPrefix = envPrefix;
        return c;
    }
}

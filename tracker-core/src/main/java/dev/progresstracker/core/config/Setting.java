package dev.progresstracker.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One property of a configuration record, declared once: its name (the record component's), type,
 * default, environment variable, allowed values and a one-line doc. Builders, {@code
 * fromEnvironment}, {@code toString} and the README tables are derived from it (see {@link
 * ConfigSpec}). Immutable and thread-safe; each modifier returns a new declaration:
 *
 * <pre>{@code
 * static final Setting<Integer> PORT = Setting.integer("port", 8765).range(0, 65_535)
 *         .env("TRACKER_WS_PORT").doc("WebSocket port, 0 for an ephemeral one");
 * }</pre>
 *
 * A bad value is refused with an {@link IllegalArgumentException} naming the property (and the
 * variable, when it came from the environment), the value and what is allowed; {@code null} where
 * none is allowed with a {@link NullPointerException} naming the property.
 *
 * @param <T> the value's type (boxed for primitives)
 */
public final class Setting<T> {
    final String name;
    final Kind<T> kind;
    final T defaultValue;
    final String env;
    final String doc;
    final String defaultText;
    final T min;
    final T max;
    final boolean minExclusive;
    final boolean maxExclusive;
    final boolean zeroAllowed;
    final boolean optional;
    final boolean secret;
    final boolean bytes;
    final List<Rule<T>> rules;
    final ConfigSpec<?> nested;
    final String envPrefix;

    private record Rule<T>(Predicate<T> test, String allowed) {
    }

    private Setting(Draft<T> d) {
        this.name = d.name;
        this.kind = d.kind;
        this.defaultValue = d.defaultValue;
        this.env = d.env;
        this.doc = d.doc;
        this.defaultText = d.defaultText;
        this.min = d.min;
        this.max = d.max;
        this.minExclusive = d.minExclusive;
        this.maxExclusive = d.maxExclusive;
        this.zeroAllowed = d.zeroAllowed;
        this.optional = d.optional;
        this.secret = d.secret;
        this.bytes = d.bytes;
        this.rules = List.copyOf(d.rules);
        this.nested = d.nested;
        this.envPrefix = d.envPrefix;
    }

    private static <T> Setting<T> of(String name, Kind<T> kind, T defaultValue) {
        Draft<T> d = new Draft<>();
        d.name = Objects.requireNonNull(name, "name");
        d.kind = kind;
        d.defaultValue = defaultValue;
        d.doc = "";
        return new Setting<>(d);
    }

    public static Setting<Integer> integer(String name, int defaultValue) {
        return of(name, Kind.INT, defaultValue);
    }

    public static Setting<Long> longInteger(String name, long defaultValue) {
        return of(name, Kind.LONG, defaultValue);
    }

    /** A finite decimal number; NaN and infinities are always refused. */
    public static Setting<Double> number(String name, double defaultValue) {
        return of(name, Kind.DOUBLE, defaultValue);
    }

    /** A boolean; from the environment {@code true/false}, {@code 1/0}, {@code yes/no}, {@code on/off}. */
    public static Setting<Boolean> flag(String name, boolean defaultValue) {
        return of(name, Kind.BOOL, defaultValue);
    }

    /** A duration; from the environment ISO-8601 ({@code PT10S}) or milliseconds. */
    public static Setting<Duration> duration(String name, Duration defaultValue) {
        return of(name, Kind.DURATION, defaultValue);
    }

    /** Text that must not be blank. */
    public static Setting<String> text(String name, String defaultValue) {
        return of(name, Kind.TEXT, defaultValue);
    }

    public static Setting<Path> path(String name, Path defaultValue) {
        return of(name, Kind.PATH, defaultValue);
    }

    /** An absolute URI with a host (an endpoint); usually {@link #optional(String)}. */
    public static Setting<URI> uri(String name, URI defaultValue) {
        return of(name, Kind.URI_KIND, defaultValue).check(u -> u.getScheme() != null && u.getHost() != null,
                "an absolute URI like http://127.0.0.1:5000");
    }

    /** A list of texts; from the environment comma-separated. Stored as an unmodifiable copy. */
    public static Setting<List<String>> list(String name, List<String> defaultValue) {
        return of(name, Kind.LIST, List.copyOf(defaultValue));
    }

    /** One of an enum's constants; from the environment by name, case-insensitive. */
    public static <E extends Enum<E>> Setting<E> choice(String name, Class<E> type, E defaultValue) {
        return of(name, Kind.of(type), defaultValue);
    }

    /** A value only code can set (an {@code SSLContext}): no environment variable, shown as "set" or "none". */
    public static <T> Setting<T> codeOnly(String name, Class<T> type, T defaultValue) {
        return of(name, Kind.codeOnly(type), defaultValue);
    }

    /**
     * A whole configuration record inside another (the journal settings of the file store). Its
     * settings keep their own checks; their environment variables get {@code envPrefix} in front.
     */
    public static <C extends Record> Setting<C> nested(String name, ConfigSpec<C> spec, String envPrefix) {
        Draft<C> d = of(name, new Kind<C>(spec.type(), "set in code", v -> {
            throw new IllegalArgumentException("set in code only");
        }, Object::toString), (C) null).draft();
        d.nested = spec;
        d.envPrefix = Objects.requireNonNull(envPrefix, "envPrefix");
        return new Setting<>(d);
    }

    /** The environment variable that overrides the default in {@code fromEnvironment}. */
    public Setting<T> env(String variable) {
        Draft<T> d = draft();
        d.env = Objects.requireNonNull(variable, "variable");
        return new Setting<>(d);
    }

    /** One line for the README table (and the reader of the declaration). */
    public Setting<T> doc(String oneLine) {
        Draft<T> d = draft();
        d.doc = Objects.requireNonNull(oneLine, "oneLine");
        return new Setting<>(d);
    }

    /** How the table shows the default when the value alone says too little ("max(4, cores)"). */
    public Setting<T> defaultText(String text) {
        Draft<T> d = draft();
        d.defaultText = text;
        return new Setting<>(d);
    }

    public Setting<T> atLeast(T min) {
        return bounds(min, false, max, maxExclusive);
    }

    /** Strictly greater than {@code min} ("positive" is {@code above(0)}). */
    public Setting<T> above(T min) {
        return bounds(min, true, max, maxExclusive);
    }

    public Setting<T> atMost(T max) {
        return bounds(min, minExclusive, max, false);
    }

    /** {@code min..max}, both included. */
    public Setting<T> range(T min, T max) {
        return bounds(min, false, max, false);
    }

    /** Zero is allowed besides the range (it means "off" or "the other default"; say which in the doc). */
    public Setting<T> orZero() {
        Draft<T> d = draft();
        d.zeroAllowed = true;
        return new Setting<>(d);
    }

    /** Null is allowed and means {@code none} (shown as the default when the default is null). */
    public Setting<T> optional(String none) {
        Draft<T> d = draft();
        d.optional = true;
        d.defaultText = defaultValue == null ? none : defaultText;
        return new Setting<>(d);
    }

    /** Never shown: {@code toString} and error messages print {@code ***}. */
    public Setting<T> secret() {
        Draft<T> d = draft();
        d.secret = true;
        return new Setting<>(d);
    }

    /** A byte count: tables show 64 KiB rather than 65536. */
    public Setting<T> bytes() {
        Draft<T> d = draft();
        d.bytes = true;
        return new Setting<>(d);
    }

    /** Texts: at most {@code n} characters. */
    public Setting<T> maxLength(int n) {
        return check(v -> v.toString().length() <= n, "at most " + n + " characters");
    }

    /** Texts matching {@code regex} in full; {@code allowed} says it in words. */
    public Setting<T> matching(String regex, String allowed) {
        Pattern p = Pattern.compile(regex);
        return check(v -> p.matcher(v.toString()).matches(), allowed);
    }

    /** Any other rule on the value alone; {@code allowed} completes "must be …". */
    public Setting<T> check(Predicate<T> rule, String allowed) {
        Draft<T> d = draft();
        d.rules.add(new Rule<>(Objects.requireNonNull(rule, "rule"), Objects.requireNonNull(allowed, "allowed")));
        return new Setting<>(d);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return kind.type;
    }

    /** The default; for a {@link #nested} setting its record's defaults. */
    public T defaultValue() {
        return nested != null ? type().cast(nested.defaults()) : defaultValue;
    }

    public Optional<String> env() {
        return Optional.ofNullable(env);
    }

    public String doc() {
        return doc;
    }

    public Optional<T> min() {
        return Optional.ofNullable(min);
    }

    public Optional<T> max() {
        return Optional.ofNullable(max);
    }

    public boolean minExclusive() {
        return minExclusive;
    }

    public boolean maxExclusive() {
        return maxExclusive;
    }

    /** Whether null is allowed (it means "none"). */
    public boolean isOptional() {
        return optional;
    }

    /** Whether zero is allowed besides the range ({@link #orZero()}). */
    public boolean isZeroAllowed() {
        return zeroAllowed;
    }

    public boolean isSecret() {
        return secret;
    }

    /** The record this setting holds, for a {@link #nested} one. */
    public Optional<ConfigSpec<?>> nestedSpec() {
        return Optional.ofNullable(nested);
    }

    /** What a value must be, in words ("within 1..10", "above 0 s"); empty when anything of the type goes. */
    public String allowed() {
        List<String> parts = new ArrayList<>();
        if (kind.type.isEnum()) {
            parts.add(kind.expected);
        }
        if (kind == Kind.TEXT) {
            parts.add("non-blank");
        }
        String range = rangeText();
        if (!range.isEmpty()) {
            parts.add(zeroAllowed ? "0 or " + range : range);
        }
        if (kind == Kind.DOUBLE && range.isEmpty()) {
            parts.add("finite");
        }
        rules.forEach(r -> parts.add(r.allowed));
        return String.join(", ", parts);
    }

    private String rangeText() {
        if (min != null && max != null && !minExclusive && !maxExclusive) {
            return "within " + show(min) + ".." + show(max);
        }
        String low = min == null ? "" : (minExclusive ? "above " : "at least ") + show(min);
        String high = max == null ? "" : (maxExclusive ? "below " : "at most ") + show(max);
        return low.isEmpty() || high.isEmpty() ? low + high : low + " and " + high;
    }

    /** The default as the README shows it. */
    public String defaultShown() {
        if (defaultText != null) {
            return defaultText;
        }
        if (nested != null) {
            return "see below";
        }
        return defaultValue == null ? "none" : show(defaultValue);
    }

    /** A value as people read it: 5 min, 64 KiB, {@code data/outbox}; secrets as {@code ***}. */
    public String show(T value) {
        if (value == null) {
            return "none";
        }
        if (secret) {
            return "***";
        }
        if (value instanceof Duration d) {
            return Texts.duration(d);
        }
        if (bytes && value instanceof Number n) {
            return Texts.bytes(n.longValue());
        }
        return kind.print(value);
    }

    /** The text an environment variable holds for {@code value}; {@link #parse(String)} reads it back. */
    public String envText(T value) {
        return kind.print(value);
    }

    /** Reads an environment variable's text (trimmed, not blank) and checks the value; messages name the variable. */
    public T parse(String text) {
        String where = (env == null ? name : env + " (" + name + ")");
        T value;
        try {
            value = optional && kind != Kind.TEXT && text.equalsIgnoreCase("off") ? null : kind.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + " must be " + kind.expected + ", got '" + shownText(text) + "'", e);
        }
        return check(value, where, "'" + shownText(text) + "'");
    }

    Setting<T> withEnv(String prefix) {
        if (prefix.isEmpty() || env == null) {
            return this;
        }
        return env(prefix + env);
    }

    private String shownText(String text) {
        return secret ? "***" : text;
    }

    /** Returns {@code value} if it is allowed; otherwise an exception naming this setting. */
    public T check(T value) {
        return check(value, name, null);
    }

    private T check(T value, String where, String given) {
        if (value == null) {
            if (optional) {
                return null;
            }
            throw new NullPointerException(where + " must not be null");
        }
        if (!allows(value)) {
            String got = secret ? "" : ", got " + (given != null ? given : kind.print(value));
            throw new IllegalArgumentException(where + " must be " + allowed() + got);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private boolean allows(T value) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return false;
        }
        if (value instanceof String s && s.isBlank()) {
            return false;
        }
        for (Rule<T> r : rules) {
            if (!r.test.test(value)) {
                return false;
            }
        }
        if (zeroAllowed && isZero(value)) {
            return true;
        }
        if (min == null && max == null) {
            return true;
        }
        Comparable<T> c = (Comparable<T>) value;
        if (min != null && (minExclusive ? c.compareTo(min) <= 0 : c.compareTo(min) < 0)) {
            return false;
        }
        return max == null || (maxExclusive ? c.compareTo(max) < 0 : c.compareTo(max) <= 0);
    }

    private static boolean isZero(Object v) {
        return v instanceof Duration d ? d.isZero() : v instanceof Number n && n.doubleValue() == 0;
    }

    private Setting<T> bounds(T newMin, boolean newMinExclusive, T newMax, boolean newMaxExclusive) {
        if (!(Comparable.class.isAssignableFrom(kind.type))) {
            throw new IllegalStateException(name + ": a " + kind.type.getSimpleName() + " has no order");
        }
        Draft<T> d = draft();
        d.min = newMin;
        d.minExclusive = newMinExclusive;
        d.max = newMax;
        d.maxExclusive = newMaxExclusive;
        return new Setting<>(d);
    }

    private Draft<T> draft() {
        Draft<T> d = new Draft<>();
        d.name = name;
        d.kind = kind;
        d.defaultValue = defaultValue;
        d.env = env;
        d.doc = doc;
        d.defaultText = defaultText;
        d.min = min;
        d.max = max;
        d.minExclusive = minExclusive;
        d.maxExclusive = maxExclusive;
        d.zeroAllowed = zeroAllowed;
        d.optional = optional;
        d.secret = secret;
        d.bytes = bytes;
        d.rules.addAll(rules);
        d.nested = nested;
        d.envPrefix = envPrefix;
        return d;
    }

    /** The mutable twin each modifier fills before the immutable copy is made. */
    private static final class Draft<T> {
        String name;
        Kind<T> kind;
        T defaultValue;
        String env;
        String doc;
        String defaultText;
        T min;
        T max;
        boolean minExclusive;
        boolean maxExclusive;
        boolean zeroAllowed;
        boolean optional;
        boolean secret;
        boolean bytes;
        final List<Rule<T>> rules = new ArrayList<>();
        ConfigSpec<?> nested;
        String envPrefix;
    }

    @Override
    public String toString() {
        return "Setting[" + name + (env == null ? "" : ", " + env) + "]";
    }
}

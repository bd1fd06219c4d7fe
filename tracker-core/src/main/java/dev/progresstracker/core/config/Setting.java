package dev.progresstracker.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
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
    private final SettingProps<T> p;

    private Setting(SettingProps<T> p) {
        this.p = p;
    }

    private static <T> Setting<T> of(String name, Kind<T> kind, T defaultValue) {
        SettingProps<T> p = new SettingProps<>();
        p.name = Objects.requireNonNull(name, "name");
        p.kind = kind;
        p.defaultValue = defaultValue;
        return new Setting<>(p);
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
        return of(name, Kind.URI_KIND, defaultValue)
                .check(u -> u.getScheme() != null && u.getHost() != null, "an absolute URI like http://127.0.0.1:5000");
    }

    /** A list of texts; from the environment comma-separated. Stored as an unmodifiable copy. */
    public static Setting<List<String>> list(String name, List<String> defaultValue) {
        return of(name, Kind.LIST, List.copyOf(defaultValue));
    }

    /** One of an enum's constants; from the environment by name, case-insensitive. */
    public static <E extends Enum<E>> Setting<E> choice(String name, Class<E> type, E defaultValue) {
        return of(name, Kind.of(type), defaultValue);
    }

    /** A value only code can set (an {@code SSLContext}): never read from the environment. */
    public static <T> Setting<T> codeOnly(String name, Class<T> type, T defaultValue) {
        return of(name, Kind.codeOnly(type), defaultValue);
    }

    /**
     * A whole configuration record inside another (the journal settings of the file store). Its
     * settings keep their own checks; their environment variables get {@code envPrefix} in front.
     */
    public static <C extends Record> Setting<C> nested(String name, ConfigSpec<C> spec, String envPrefix) {
        Objects.requireNonNull(envPrefix, "envPrefix");
        return of(name, Kind.codeOnly(spec.type()), (C) null).with(p -> {
            p.nested = spec;
            p.envPrefix = envPrefix;
        });
    }

    /** The environment variable that overrides the default in {@code fromEnvironment}. */
    public Setting<T> env(String variable) {
        Objects.requireNonNull(variable, "variable");
        return with(p -> p.env = variable);
    }

    /** One line for the README table (and the reader of the declaration). */
    public Setting<T> doc(String oneLine) {
        Objects.requireNonNull(oneLine, "oneLine");
        return with(p -> p.doc = oneLine);
    }

    /** How the table shows the default when the value alone says too little ("max(4, cores)"). */
    public Setting<T> defaultText(String text) {
        return with(p -> p.defaultText = text);
    }

    public Setting<T> atLeast(T min) {
        return bounds(min, false, p.max, p.maxExclusive);
    }

    /** Strictly greater than {@code min} ("positive" is {@code above(0)}). */
    public Setting<T> above(T min) {
        return bounds(min, true, p.max, p.maxExclusive);
    }

    public Setting<T> atMost(T max) {
        return bounds(p.min, p.minExclusive, max, false);
    }

    /** {@code min..max}, both included. */
    public Setting<T> range(T min, T max) {
        return bounds(min, false, max, false);
    }

    /** Zero is allowed besides the range (it means "off" or "the other default"; say which in the doc). */
    public Setting<T> orZero() {
        return with(p -> p.zeroAllowed = true);
    }

    /** Null is allowed and means {@code none} (shown as the default when the default is null). */
    public Setting<T> optional(String none) {
        return with(p -> {
            p.optional = true;
            p.defaultText = p.defaultValue == null ? none : p.defaultText;
        });
    }

    /** Never shown: {@code toString} prints {@code ***}, error messages leave the value out. */
    public Setting<T> secret() {
        return with(p -> p.secret = true);
    }

    /** A byte count: tables show 64 KiB rather than 65536. */
    public Setting<T> bytes() {
        return with(p -> p.bytes = true);
    }

    /** Texts: at most {@code n} characters. */
    public Setting<T> maxLength(int n) {
        return check(v -> v.toString().length() <= n, "at most " + n + " characters");
    }

    /** Texts matching {@code regex} in full; {@code allowed} says it in words. */
    public Setting<T> matching(String regex, String allowed) {
        Pattern pattern = Pattern.compile(regex);
        return check(v -> pattern.matcher(v.toString()).matches(), allowed);
    }

    /** Any other rule on the value alone; {@code allowed} completes "must be …". */
    public Setting<T> check(Predicate<T> rule, String allowed) {
        SettingProps.Rule<T> r = new SettingProps.Rule<>(
                Objects.requireNonNull(rule, "rule"), Objects.requireNonNull(allowed, "allowed"));
        return with(p -> p.rules.add(r));
    }

    public String name() {
        return p.name;
    }

    public Class<T> type() {
        return p.kind.type;
    }

    /** The default; for a {@link #nested} setting its record's defaults. */
    public T defaultValue() {
        return p.nested != null ? type().cast(p.nested.defaults()) : p.defaultValue;
    }

    public Optional<String> env() {
        return Optional.ofNullable(p.env);
    }

    public String doc() {
        return p.doc;
    }

    public Optional<T> min() {
        return Optional.ofNullable(p.min);
    }

    public Optional<T> max() {
        return Optional.ofNullable(p.max);
    }

    public boolean minExclusive() {
        return p.minExclusive;
    }

    public boolean maxExclusive() {
        return p.maxExclusive;
    }

    /** Whether zero is allowed besides the range ({@link #orZero()}). */
    public boolean isZeroAllowed() {
        return p.zeroAllowed;
    }

    /** Whether null is allowed (it means "none"). */
    public boolean isOptional() {
        return p.optional;
    }

    public boolean isSecret() {
        return p.secret;
    }

    /** The record this setting holds, for a {@link #nested} one. */
    public Optional<ConfigSpec<?>> nestedSpec() {
        return Optional.ofNullable(p.nested);
    }

    String envPrefix() {
        return p.envPrefix;
    }

    /** What a value must be, in words ("within 1..10", "above 0"); empty when anything of the type goes. */
    public String allowed() {
        List<String> parts = new ArrayList<>();
        if (p.kind.type.isEnum()) {
            parts.add(p.kind.expected);
        }
        if (p.kind == Kind.TEXT) {
            parts.add("non-blank");
        }
        String range = Texts.range(
                p.min == null ? null : show(p.min), p.minExclusive, p.max == null ? null : show(p.max), p.maxExclusive);
        if (!range.isEmpty()) {
            parts.add(p.zeroAllowed ? "0 or " + range : range);
        } else if (p.kind == Kind.DOUBLE) {
            parts.add("finite");
        }
        p.rules.forEach(r -> parts.add(r.allowed()));
        return String.join(", ", parts);
    }

    /** The default as the README shows it. */
    public String defaultShown() {
        if (p.defaultText != null) {
            return p.defaultText;
        }
        return p.nested != null ? "see below" : show(p.defaultValue);
    }

    /** A value as people read it: 5 min, 64 KiB, {@code data/outbox}; secrets as {@code ***}. */
    public String show(T value) {
        if (value == null) {
            return "none";
        } else if (p.secret) {
            return "***";
        } else if (value instanceof Duration d) {
            return Texts.duration(d);
        } else if (p.bytes && value instanceof Number n) {
            return Texts.bytes(n.longValue());
        }
        return p.kind.print(value);
    }

    /** The text an environment variable holds for {@code value}; {@link #parse(String)} reads it back. */
    public String envText(T value) {
        return p.kind.print(value);
    }

    /** Reads an environment variable's text (trimmed, not blank) and checks the value; messages name the variable. */
    public T parse(String text) {
        String where = p.env == null ? p.name : p.env + " (" + p.name + ")";
        String shownText = p.secret ? "***" : text;
        T value;
        try {
            value = p.optional && p.kind != Kind.TEXT && text.equalsIgnoreCase("off") ? null : p.kind.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + " must be " + p.kind.expected + ", got '" + shownText + "'", e);
        }
        return check(value, where, "'" + shownText + "'");
    }

    /** Returns {@code value} if it is allowed; otherwise an exception naming this setting. */
    public T check(T value) {
        return check(value, p.name, null);
    }

    /** This setting with {@code prefix} in front of its variable (a nested record's settings). */
    Setting<T> withEnvPrefix(String prefix) {
        return prefix.isEmpty() || p.env == null ? this : env(prefix + p.env);
    }

    private T check(T value, String where, String given) {
        if (value == null) {
            if (p.optional) {
                return null;
            }
            throw new NullPointerException(where + " must not be null");
        }
        if (!allows(value)) {
            String shown = value instanceof CharSequence ? "'" + value + "'" : p.kind.print(value);
            String got = p.secret ? "" : ", got " + (given != null ? given : shown);
            throw new IllegalArgumentException(where + " must be " + allowed() + got);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private boolean allows(T value) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite()) || value instanceof String s && s.isBlank()) {
            return false;
        }
        if (!p.rules.stream().allMatch(r -> r.test().test(value))) {
            return false;
        }
        if (p.zeroAllowed && Texts.isZero(value) || p.min == null && p.max == null) {
            return true;
        }
        Comparable<T> c = (Comparable<T>) value;
        if (p.min != null && (p.minExclusive ? c.compareTo(p.min) <= 0 : c.compareTo(p.min) < 0)) {
            return false;
        }
        return p.max == null || (p.maxExclusive ? c.compareTo(p.max) < 0 : c.compareTo(p.max) <= 0);
    }

    private Setting<T> bounds(T min, boolean minExclusive, T max, boolean maxExclusive) {
        if (!Comparable.class.isAssignableFrom(p.kind.type)) {
            throw new IllegalStateException(p.name + ": a " + p.kind.type.getSimpleName() + " has no order");
        }
        return with(q -> {
            q.min = min;
            q.minExclusive = minExclusive;
            q.max = max;
            q.maxExclusive = maxExclusive;
        });
    }

    private Setting<T> with(Consumer<SettingProps<T>> change) {
        SettingProps<T> copy = p.copy();
        change.accept(copy);
        return new Setting<>(copy);
    }

    @Override
    public String toString() {
        return "Setting[" + p.name + (p.env == null ? "" : ", " + p.env) + "]";
    }
}

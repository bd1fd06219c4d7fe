package dev.progresstracker.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How a setting's values are read from text and written back: one instance per Java type. The
 * parser throws {@link IllegalArgumentException}; {@link Setting} adds the names to the message.
 */
final class Kind<T> {
    static final Kind<Integer> INT = new Kind<>(Integer.class, "an integer", Integer::parseInt, String::valueOf);
    static final Kind<Long> LONG = new Kind<>(Long.class, "an integer", Long::parseLong, String::valueOf);
    static final Kind<Double> DOUBLE = new Kind<>(Double.class, "a number", Double::parseDouble, String::valueOf);
    static final Kind<Boolean> BOOL = new Kind<>(Boolean.class, "true or false", Kind::parseBool, String::valueOf);
    static final Kind<String> TEXT = new Kind<>(String.class, "text", v -> v, v -> v);
    static final Kind<Path> PATH = new Kind<>(Path.class, "a path", Path::of, Path::toString);
    static final Kind<Duration> DURATION = new Kind<>(
            Duration.class, "an ISO-8601 duration (PT10S) or milliseconds", Kind::parseDuration, Duration::toString);
    static final Kind<URI> URI_KIND =
            new Kind<>(URI.class, "a URI like http://127.0.0.1:5000", Kind::parseUri, URI::toString);

    @SuppressWarnings({"unchecked", "rawtypes"})
    static final Kind<List<String>> LIST = new Kind<>(
            (Class<List<String>>) (Class) List.class,
            "a comma-separated list",
            Kind::parseList,
            v -> String.join(",", v));

    final Class<T> type;
    final String expected;
    private final Function<String, T> parser;
    private final Function<T, String> printer;

    Kind(Class<T> type, String expected, Function<String, T> parser, Function<T, String> printer) {
        this.type = type;
        this.expected = expected;
        this.parser = parser;
        this.printer = printer;
    }

    /** The enum's constants by name, case-insensitive. */
    static <E extends Enum<E>> Kind<E> of(Class<E> type) {
        return new Kind<>(
                type,
                "one of " + Arrays.toString(type.getEnumConstants()),
                v -> Enum.valueOf(type, v.toUpperCase(Locale.ROOT)),
                Enum::name);
    }

    /** Values set in code only: never read from text. */
    static <T> Kind<T> codeOnly(Class<T> type) {
        return new Kind<>(
                type,
                "set in code",
                v -> {
                    throw new IllegalArgumentException("set in code only");
                },
                v -> "set");
    }

    T parse(String text) {
        return parser.apply(text);
    }

    String print(T value) {
        return printer.apply(value);
    }

    private static Boolean parseBool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(v);
        };
    }

    private static Duration parseDuration(String v) {
        return v.startsWith("P") || v.startsWith("p") ? Duration.parse(v) : Duration.ofMillis(Long.parseLong(v));
    }

    private static URI parseUri(String v) {
        try {
            return new URI(v);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<String> parseList(String v) {
        return Arrays.stream(v.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    }
}

package dev.progresstracker.core;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads typed settings (environment variables, system properties) with errors that name the
 * variable. Shared by every module's {@code fromEnvironment}. Blank values count as unset.
 */
public final class EnvSettings {
    private final Function<String, String> source;

    public EnvSettings(Function<String, String> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    public java.util.Optional<String> string(String name) {
        String v = source.apply(name);
        return v == null || v.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(v.trim());
    }

    public java.util.Optional<Integer> integer(String name) {
        return parsed(name, Integer::parseInt, "an integer");
    }

    /** A decimal number such as {@code 0.25}. */
    public java.util.Optional<Double> number(String name) {
        return parsed(name, Double::parseDouble, "a number");
    }

    private <T> java.util.Optional<T> parsed(String name, Function<String, T> parser, String expected) {
        return string(name).map(v -> {
            try {
                return parser.apply(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be " + expected + ", got '" + v + "'", e);
            }
        });
    }

    public java.util.Optional<Boolean> bool(String name) {
        return string(name).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
        });
    }

    public java.util.Optional<Duration> duration(String name) {
        return string(name).map(v -> {
            try {
                return v.startsWith("P") || v.startsWith("p") ? Duration.parse(v) : Duration.ofMillis(Long.parseLong(v));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + " must be an ISO-8601 duration (PT10S) or milliseconds, got '"
                        + v + "'", e);
            }
        });
    }

    /** A URI such as an endpoint override ({@code http://127.0.0.1:5000}). */
    public java.util.Optional<java.net.URI> uri(String name) {
        return string(name).map(v -> {
            try {
                return new java.net.URI(v);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(name + " must be a URI like http://127.0.0.1:5000, got '" + v + "'", e);
            }
        });
    }

    public <E extends Enum<E>> E enumValue(Class<E> type, String name, String v) {
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                    + ", got '" + v + "'", e);
        }
    }
}

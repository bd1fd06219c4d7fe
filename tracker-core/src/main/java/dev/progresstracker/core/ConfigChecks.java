package dev.progresstracker.core;

import java.time.Duration;
import java.util.Objects;

/** Checks of arguments outside the configuration records (those declare theirs as {@code Setting}s). */
public final class ConfigChecks {

    private ConfigChecks() {}

    /** Returns {@code d} if it is above zero; otherwise an exception naming {@code field}. */
    public static Duration requirePositive(String field, Duration d) {
        Objects.requireNonNull(d, () -> field + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + d);
        }
        return d;
    }
}

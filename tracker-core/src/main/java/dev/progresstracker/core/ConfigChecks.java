package dev.progresstracker.core;

import java.time.Duration;
import java.util.Objects;

/** Checks shared by every module's config records; messages name the field. */
public final class ConfigChecks {

    private ConfigChecks() {
    }

    /** Returns {@code d} if it is above zero; otherwise an exception naming {@code field}. */
    public static Duration requirePositive(String field, Duration d) {
        Objects.requireNonNull(d, () -> field + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + d);
        }
        return d;
    }

    /** Returns {@code v} if it is a finite number above zero; otherwise an exception naming {@code field}. */
    public static double requirePositive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + " must be a finite number above 0, got " + v);
        }
        return v;
    }
}

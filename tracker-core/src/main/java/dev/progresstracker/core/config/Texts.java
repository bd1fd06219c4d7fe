package dev.progresstracker.core.config;

import java.time.Duration;

/** Values as the README tables and the messages' "allowed" parts show them. */
final class Texts {
    private Texts() {}

    static String duration(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long ms = d.toMillis();
        if (d.isNegative() || d.toNanos() % 1_000_000 != 0) {
            return d.toString();
        }
        if (ms % 86_400_000 == 0) {
            long days = ms / 86_400_000;
            return days + (days == 1 ? " day" : " days");
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    static String bytes(long n) {
        if (n >= 1L << 30 && n % (1L << 30) == 0) {
            return n / (1L << 30) + " GiB";
        }
        if (n >= 1 << 20 && n % (1 << 20) == 0) {
            return n / (1 << 20) + " MiB";
        }
        if (n >= 1 << 10 && n % (1 << 10) == 0) {
            return n / (1 << 10) + " KiB";
        }
        return String.valueOf(n);
    }

    /** "within 1..10", "above 0", "at least 16 and below 64"; empty without bounds. */
    static String range(String min, boolean minExclusive, String max, boolean maxExclusive) {
        if (min != null && max != null && !minExclusive && !maxExclusive) {
            return "within " + min + ".." + max;
        }
        String low = min == null ? "" : (minExclusive ? "above " : "at least ") + min;
        String high = max == null ? "" : (maxExclusive ? "below " : "at most ") + max;
        return low.isEmpty() || high.isEmpty() ? low + high : low + " and " + high;
    }

    static boolean isZero(Object v) {
        return v instanceof Duration d ? d.isZero() : v instanceof Number n && n.doubleValue() == 0;
    }
}

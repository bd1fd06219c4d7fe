package dev.progresstracker.events;

/**
 * How urgent an alert is ({@code alert.severity}). The wire value of each constant is its name, except
 * {@link #UNKNOWN}, which stands for a value this version does not know (a newer producer's).
 */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL,
    /** Not a wire value: what a value this version does not know reads as. */
    UNKNOWN;

    /** The constant for wire value {@code value}; {@link #UNKNOWN} for any other text. */
    public static Severity fromWire(String value) {
        return WireEnums.lookup(Severity.class, value, UNKNOWN);
    }
}

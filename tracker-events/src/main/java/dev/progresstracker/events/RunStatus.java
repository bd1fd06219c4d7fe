package dev.progresstracker.events;

/**
 * Status of a run ({@code run.status}). The wire value of each constant is its name, except
 * {@link #UNKNOWN}, which stands for a value this version does not know (a newer producer's).
 */
public enum RunStatus {
    NOT_STARTED,
    IN_PROGRESS,
    COMPLETED,
    FAILED,
    CANCELLED,
    /** Not a wire value: what a value this version does not know reads as. */
    UNKNOWN;

    /** Whether the run has ended (completed, failed or cancelled). */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** The constant for wire value {@code value}; {@link #UNKNOWN} for any other text. */
    public static RunStatus fromWire(String value) {
        return WireEnums.lookup(RunStatus.class, value, UNKNOWN);
    }
}

package dev.progresstracker.events;

/**
 * Status of a task ({@code task.status}). The wire value of each constant is its name, except
 * {@link #UNKNOWN}, which stands for a value this version does not know (a newer producer's).
 */
public enum TaskStatus {
    NOT_STARTED,
    IN_PROGRESS,
    PAUSED,
    COMPLETED,
    FAILED,
    CANCELLED,
    SKIPPED,
    /** Not a wire value: what a value this version does not know reads as. */
    UNKNOWN;

    /** Whether the task has ended (completed, failed, cancelled or skipped). */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == SKIPPED;
    }

    /** The constant for wire value {@code value}; {@link #UNKNOWN} for any other text. */
    public static TaskStatus fromWire(String value) {
        return WireEnums.lookup(TaskStatus.class, value, UNKNOWN);
    }
}

package dev.progresstracker.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * Status of one task. The allowed moves are a fixed table (see {@link #canMoveTo(TaskStatus)});
 * {@code COMPLETED}, {@code CANCELLED} and {@code SKIPPED} are final. {@code FAILED → IN_PROGRESS}
 * is a retry and counts one more attempt.
 */
public enum TaskStatus {
    NOT_STARTED,
    IN_PROGRESS,
    PAUSED,
    COMPLETED,
    FAILED,
    CANCELLED,
    SKIPPED;

    private Set<TaskStatus> next;

    static {
        NOT_STARTED.next = EnumSet.of(IN_PROGRESS, SKIPPED, CANCELLED);
        IN_PROGRESS.next = EnumSet.of(PAUSED, COMPLETED, FAILED, CANCELLED);
        PAUSED.next = EnumSet.of(IN_PROGRESS, CANCELLED, FAILED);
        FAILED.next = EnumSet.of(IN_PROGRESS);
        COMPLETED.next = EnumSet.noneOf(TaskStatus.class);
        CANCELLED.next = EnumSet.noneOf(TaskStatus.class);
        SKIPPED.next = EnumSet.noneOf(TaskStatus.class);
    }

    /** Whether the transition table allows a move from this status to {@code target}. */
    public boolean canMoveTo(TaskStatus target) {
        return next.contains(target);
    }

    /** {@code true} for COMPLETED, CANCELLED and SKIPPED: no move leaves them. */
    public boolean isFinal() {
        return next.isEmpty();
    }

    /** {@code true} for statuses that count as "done" work for the roll-up: COMPLETED. */
    public boolean isSuccess() {
        return this == COMPLETED;
    }

    /**
     * Whether a task in this status still counts in its parent's weighted roll-up. Skipped and
     * cancelled work is no longer work to do, so it leaves the denominator.
     */
    public boolean countsInRollUp() {
        return this != SKIPPED && this != CANCELLED;
    }
}

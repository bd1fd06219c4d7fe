package dev.progresstracker.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * Status of a whole run (an upgrade). Allowed moves: NOT_STARTED→IN_PROGRESS|CANCELLED;
 * IN_PROGRESS→COMPLETED|FAILED|CANCELLED; FAILED→IN_PROGRESS (restart with {@code startUpgrade})|CANCELLED.
 * {@code COMPLETED} and {@code CANCELLED} are final.
 */
public enum RunStatus {
    NOT_STARTED,
    IN_PROGRESS,
    COMPLETED,
    FAILED,
    CANCELLED;

    private Set<RunStatus> next;

    static {
        NOT_STARTED.next = EnumSet.of(IN_PROGRESS, CANCELLED);
        IN_PROGRESS.next = EnumSet.of(COMPLETED, FAILED, CANCELLED);
        FAILED.next = EnumSet.of(IN_PROGRESS, CANCELLED);
        COMPLETED.next = EnumSet.noneOf(RunStatus.class);
        CANCELLED.next = EnumSet.noneOf(RunStatus.class);
    }

    /** Whether a run may move from this status to {@code target}. */
    public boolean canMoveTo(RunStatus target) {
        return next.contains(target);
    }

    /** {@code true} once the run can no longer change (COMPLETED, CANCELLED). */
    public boolean isFinal() {
        return next.isEmpty();
    }

    /** {@code true} for COMPLETED, FAILED and CANCELLED: the run is not (or no longer) running. */
    public boolean isFinished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}

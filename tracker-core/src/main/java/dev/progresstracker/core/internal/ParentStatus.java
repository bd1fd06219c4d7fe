package dev.progresstracker.core.internal;

import dev.progresstracker.core.TaskStatus;

/**
 * A parent task's status derived from its children's, applied after every child's move:
 * <ul>
 *   <li><b>running</b>: when a child is IN_PROGRESS and the parent is NOT_STARTED (its start) or
 *       FAILED (a retry: one more attempt);</li>
 *   <li>once no child is NOT_STARTED, IN_PROGRESS or PAUSED (all children settled):
 *       <b>failed</b> when a child is FAILED; else <b>cancelled</b> when a child is CANCELLED; else
 *       <b>completed</b> when a child is COMPLETED; else (all SKIPPED) <b>skipped</b>.</li>
 * </ul>
 * A move the transition table does not allow from the parent's status (e.g. out of a parent paused
 * by the caller, or out of a final status) is not made. Explicit verbs on a parent stay allowed; one
 * whose target status the parent already has (say {@code completeTask} on a parent whose children
 * all completed) is accepted and changes nothing, so callers written before derivation keep working.
 * The child's call answers with the sequence of the last event it caused (the topmost parent's).
 */
final class ParentStatus {

    private ParentStatus() {}

    /** The move {@code parent}'s children call for now, or null (none, the root, or not allowed). */
    static TaskMove derivedMove(TaskNode parent) {
        int[] c = parent.childStatus;
        if (c == null || parent.parent == null) {
            return null;
        }
        TaskMove move;
        if (c[TaskStatus.IN_PROGRESS.ordinal()] > 0) {
            move = parent.status == TaskStatus.NOT_STARTED || parent.status == TaskStatus.FAILED
                    ? TaskMove.START
                    : null;
        } else if (c[TaskStatus.NOT_STARTED.ordinal()] + c[TaskStatus.PAUSED.ordinal()] > 0) {
            move = null;
        } else if (c[TaskStatus.FAILED.ordinal()] > 0) {
            move = TaskMove.FAIL;
        } else if (c[TaskStatus.CANCELLED.ordinal()] > 0) {
            move = TaskMove.CANCEL;
        } else if (c[TaskStatus.COMPLETED.ordinal()] > 0) {
            move = TaskMove.COMPLETE;
        } else {
            move = TaskMove.SKIP;
        }
        if (move == null
                || parent.status == move.target && move != TaskMove.START
                || move.refusal(parent.status) != null) {
            return null;
        }
        return move;
    }
}

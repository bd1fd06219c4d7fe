package dev.progresstracker.core.internal;

import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.event.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The task verbs as a table: each names its target status and event, says from which statuses it
 * may be used, and changes the task's fields. {@link TaskStatus#canMoveTo} is the move table; this
 * adds the one distinction it cannot make: leaving PAUSED for IN_PROGRESS is {@link #RESUME}, every
 * other move to IN_PROGRESS is {@link #START} (a retry when coming from FAILED).
 */
enum TaskMove {
    START("start", TaskStatus.IN_PROGRESS, EventType.TASK_STARTED),
    RESUME("resume", TaskStatus.IN_PROGRESS, EventType.TASK_RESUMED),
    COMPLETE("complete", TaskStatus.COMPLETED, EventType.TASK_COMPLETED),
    FAIL("fail", TaskStatus.FAILED, EventType.TASK_FAILED),
    PAUSE("pause", TaskStatus.PAUSED, EventType.TASK_PAUSED),
    CANCEL("cancel", TaskStatus.CANCELLED, EventType.TASK_CANCELLED),
    SKIP("skip", TaskStatus.SKIPPED, EventType.TASK_SKIPPED);

    final String verb;
    final TaskStatus target;
    final EventType event;

    TaskMove(String verb, TaskStatus target, EventType event) {
        this.verb = verb;
        this.target = target;
        this.event = event;
    }

    /** Why this verb may not be used on a task in {@code from}, or null when it may. */
    String refusal(TaskStatus from) {
        if (this == RESUME && from != TaskStatus.PAUSED) {
            return "it is " + from + "; only a PAUSED task can be resumed";
        }
        if (this == START && from == TaskStatus.PAUSED) {
            return "it is " + from + "; use resumeTask for a PAUSED task";
        }
        if (!from.canMoveTo(target)) {
            return "it is " + from + " and " + from + " → " + target + " is not allowed" + allowedHint(from);
        }
        return null;
    }

    /** Changes {@code n}'s fields and status for this move at {@code now}; the caller checked {@link #refusal}. */
    void apply(RunModel model, TaskNode n, Instant now) {
        TaskStatus from = n.status;
        switch (this) {
            case START -> {
                n.attempt++;
                if (from == TaskStatus.FAILED) {
                    // A retry starts the work over; its progress is measured afresh.
                    n.finishedAt = null;
                    model.setPercent(n, 0);
                }
                if (n.startedAt == null) {
                    n.startedAt = now;
                }
            }
            case COMPLETE -> {
                if (!n.hasChildren()) {
                    model.setPercent(n, 100);
                }
                n.finishedAt = now;
            }
            case FAIL, CANCEL, SKIP -> n.finishedAt = now;
            case RESUME, PAUSE -> {}
        }
        model.setStatus(n, target);
    }

    private static String allowedHint(TaskStatus from) {
        List<TaskStatus> allowed = new ArrayList<>();
        for (TaskStatus s : TaskStatus.values()) {
            if (from.canMoveTo(s)) {
                allowed.add(s);
            }
        }
        return allowed.isEmpty() ? " (" + from + " is final)" : " (allowed: " + allowed + ")";
    }
}

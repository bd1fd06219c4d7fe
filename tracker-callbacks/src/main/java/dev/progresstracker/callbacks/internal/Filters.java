package dev.progresstracker.callbacks.internal;

import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/** The filters behind the manager's typed registration methods. */
public final class Filters {

    /** Events that move a run to a new status ({@code upgrade.phase_changed} does not). */
    private static final Set<EventType> RUN_TRANSITIONS = EnumSet.of(
            EventType.UPGRADE_STARTED,
            EventType.UPGRADE_COMPLETED,
            EventType.UPGRADE_FAILED,
            EventType.UPGRADE_CANCELLED);

    private Filters() {}

    public static Predicate<ProgressEvent> types(Set<EventType> types) {
        Objects.requireNonNull(types, "types must not be null");
        if (types.isEmpty()) {
            throw new IllegalArgumentException("types must not be empty");
        }
        for (EventType t : types) {
            Objects.requireNonNull(t, "types must not contain null");
        }
        EnumSet<EventType> set = EnumSet.copyOf(types);
        return e -> set.contains(e.type());
    }

    /**
     * A task reaching {@code status}: every task event but {@code task.progress}, whose task is in
     * that status afterwards (the same rule as {@code ProgressTracker.onStatus}).
     */
    public static Predicate<ProgressEvent> taskStatus(TaskStatus status) {
        Objects.requireNonNull(status, "status must not be null");
        return e ->
                e instanceof TaskEvent te && e.type().isLifecycle() && te.task().status() == status;
    }

    public static Predicate<ProgressEvent> taskId(String taskId) {
        requireNotBlank("taskId", taskId);
        return e -> e instanceof TaskEvent te && te.task().taskId().equals(taskId);
    }

    public static Predicate<ProgressEvent> taskType(TaskType type) {
        Objects.requireNonNull(type, "taskType must not be null");
        return e -> e instanceof TaskEvent te && te.task().type().equals(type);
    }

    /** A run moving to {@code status}: upgrade started, completed, failed or cancelled. */
    public static Predicate<ProgressEvent> runStatus(RunStatus status) {
        Objects.requireNonNull(status, "runStatus must not be null");
        return e -> RUN_TRANSITIONS.contains(e.type()) && e.run().status() == status;
    }

    public static Predicate<ProgressEvent> runId(String runId) {
        requireNotBlank("runId", runId);
        return e -> e.runId().equals(runId);
    }

    static void requireNotBlank(String field, String value) {
        Objects.requireNonNull(value, () -> field + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }
}

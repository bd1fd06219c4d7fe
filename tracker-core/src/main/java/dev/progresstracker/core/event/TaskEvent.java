package dev.progresstracker.core.event;

import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskView;

/** An event about one task; {@link #task()} is the task right after the change. */
public sealed interface TaskEvent extends ProgressEvent {

    TaskView task();

    default String taskId() {
        return task().taskId();
    }

    record TaskAdded(EventHeader header, RunView run, TaskView task) implements TaskEvent {
        @Override
        public EventType type() {
            return EventType.TASK_ADDED;
        }
    }

    record TaskStarted(EventHeader header, RunView run, TaskView task) implements TaskEvent {
        @Override
        public EventType type() {
            return EventType.TASK_STARTED;
        }
    }

    /** {@code task.progress}: the only event type a sink queue may conflate or drop. */
    record TaskProgressed(EventHeader header, RunView run, TaskView task) implements TaskEvent {
        @Override
        public EventType type() {
            return EventType.TASK_PROGRESS;
        }
    }

    record TaskCompleted(EventHeader header, RunView run, TaskView task) implements TaskEvent {
        @Override
        public EventType type() {
            return EventType.TASK_COMPLETED;
        }
    }

    /** {@code task.failed}; the failure message is {@code task().message()}. */
    record TaskFailed(EventHeader header, RunView run, TaskView task) implements TaskEvent {
        @Override
        public EventType type() {
            return EventType.TASK_FAILED;
        }
    }

    record TaskPaused(EventHeader header, RunView run, TaskView task) implements TaskEvent {
        @Override
        public EventType type() {
            return EventType.TASK_PAUSED;
        }
    }

    record TaskResumed(EventHeader header, RunView run, TaskView task) implements TaskEvent {
        @Override
        public EventType type() {
            return EventType.TASK_RESUMED;
        }
    }

    record TaskCancelled(EventHeader header, RunView run, TaskView task) implements TaskEvent {
        @Override
        public EventType type() {
            return EventType.TASK_CANCELLED;
        }
    }

    record TaskSkipped(EventHeader header, RunView run, TaskView task) implements TaskEvent {
        @Override
        public EventType type() {
            return EventType.TASK_SKIPPED;
        }
    }

    /**
     * {@code task.usage}: {@code task().usage()} holds the task's usage totals after the recorded call.
     * Conflatable like {@code task.progress}.
     */
    record TaskUsageRecorded(EventHeader header, RunView run, TaskView task) implements TaskEvent {
        @Override
        public EventType type() {
            return EventType.TASK_USAGE;
        }
    }

    /** Creates the record for {@code type}, which must be a task event type. */
    static TaskEvent of(EventType type, EventHeader header, RunView run, TaskView task) {
        return switch (type) {
            case TASK_ADDED -> new TaskAdded(header, run, task);
            case TASK_STARTED -> new TaskStarted(header, run, task);
            case TASK_PROGRESS -> new TaskProgressed(header, run, task);
            case TASK_COMPLETED -> new TaskCompleted(header, run, task);
            case TASK_FAILED -> new TaskFailed(header, run, task);
            case TASK_PAUSED -> new TaskPaused(header, run, task);
            case TASK_RESUMED -> new TaskResumed(header, run, task);
            case TASK_CANCELLED -> new TaskCancelled(header, run, task);
            case TASK_SKIPPED -> new TaskSkipped(header, run, task);
            case TASK_USAGE -> new TaskUsageRecorded(header, run, task);
            default -> throw new IllegalArgumentException(type + " is not a task event type");
        };
    }
}

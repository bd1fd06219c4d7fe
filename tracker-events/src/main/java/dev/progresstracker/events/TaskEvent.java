package dev.progresstracker.events;

/** Events of one task; each carries the whole task as it is after the event. */
public sealed interface TaskEvent extends TrackerEvent {

    /** The task as it is after the event. */
    Task task();

    /** {@code task.added}: the task was declared. */
    record TaskAdded(EventHeader header, Run run, Task task) implements TaskEvent {
        public TaskAdded {
            Parts.require(header, run, task, "task");
        }

        @Override
        public String detailType() {
            return DetailType.TASK_ADDED.wireName();
        }
    }

    /** {@code task.started}: a first start or a retry ({@code task().attempt()}). */
    record TaskStarted(EventHeader header, Run run, Task task) implements TaskEvent {
        public TaskStarted {
            Parts.require(header, run, task, "task");
        }

        @Override
        public String detailType() {
            return DetailType.TASK_STARTED.wireName();
        }
    }

    /** {@code task.progress}: may be coalesced and rate-limited per task; carries the whole task. */
    record TaskProgressed(EventHeader header, Run run, Task task) implements TaskEvent {
        public TaskProgressed {
            Parts.require(header, run, task, "task");
        }

        @Override
        public String detailType() {
            return DetailType.TASK_PROGRESS.wireName();
        }
    }

    /** {@code task.completed}. */
    record TaskCompleted(EventHeader header, Run run, Task task) implements TaskEvent {
        public TaskCompleted {
            Parts.require(header, run, task, "task");
        }

        @Override
        public String detailType() {
            return DetailType.TASK_COMPLETED.wireName();
        }
    }

    /** {@code task.failed}: {@code task().message()} says why. */
    record TaskFailed(EventHeader header, Run run, Task task) implements TaskEvent {
        public TaskFailed {
            Parts.require(header, run, task, "task");
        }

        @Override
        public String detailType() {
            return DetailType.TASK_FAILED.wireName();
        }
    }

    /** {@code task.paused}. */
    record TaskPaused(EventHeader header, Run run, Task task) implements TaskEvent {
        public TaskPaused {
            Parts.require(header, run, task, "task");
        }

        @Override
        public String detailType() {
            return DetailType.TASK_PAUSED.wireName();
        }
    }

    /** {@code task.resumed}. */
    record TaskResumed(EventHeader header, Run run, Task task) implements TaskEvent {
        public TaskResumed {
            Parts.require(header, run, task, "task");
        }

        @Override
        public String detailType() {
            return DetailType.TASK_RESUMED.wireName();
        }
    }

    /** {@code task.cancelled}. */
    record TaskCancelled(EventHeader header, Run run, Task task) implements TaskEvent {
        public TaskCancelled {
            Parts.require(header, run, task, "task");
        }

        @Override
        public String detailType() {
            return DetailType.TASK_CANCELLED.wireName();
        }
    }

    /** {@code task.skipped}. */
    record TaskSkipped(EventHeader header, Run run, Task task) implements TaskEvent {
        public TaskSkipped {
            Parts.require(header, run, task, "task");
        }

        @Override
        public String detailType() {
            return DetailType.TASK_SKIPPED.wireName();
        }
    }

    /** {@code task.usage}: {@code task().usage()} holds the task's totals; coalesced like progress. */
    record TaskUsageRecorded(EventHeader header, Run run, Task task) implements TaskEvent {
        public TaskUsageRecorded {
            Parts.require(header, run, task, "task");
        }

        @Override
        public String detailType() {
            return DetailType.TASK_USAGE.wireName();
        }
    }
}

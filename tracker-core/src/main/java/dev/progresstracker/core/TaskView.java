package dev.progresstracker.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable view of one task at one moment: what {@link ProgressTracker#task(String)} returns,
 * and the {@code task} block of every task event.
 *
 * @param parentTaskId null for a top-level task
 * @param percent      0..100; for a task with children, the weighted mean of its children
 * @param message      last message, may be null
 * @param details      free-form JSON-compatible values (strings, numbers, booleans, lists, maps)
 * @param startedAt    first start, null before
 * @param finishedAt   set on a final or failed status, null otherwise
 * @param attempt      0 before the first start, 1 on the first run, +1 per retry
 * @param stage        the step inside the task the agent reported last ({@link ProgressTracker#updateTaskStage}), null before any
 * @param stageProgress 0..100 within {@code stage}; 0 without a stage
 * @param usage        calls, rate limits, tokens, cost and quality recorded for this task ({@link TaskUsage#NONE} before any)
 */
public record TaskView(
        String taskId,
        String name,
        TaskType type,
        String parentTaskId,
        double weight,
        TaskStatus status,
        double percent,
        String message,
        Map<String, Object> details,
        Instant startedAt,
        Instant finishedAt,
        int attempt,
        String stage,
        double stageProgress,
        TaskUsage usage) {

    public TaskView {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        details = details == null ? Map.of() : details;
        usage = usage == null ? TaskUsage.NONE : usage;
    }

    /** A view without stage and usage. */
    public TaskView(
            String taskId,
            String name,
            TaskType type,
            String parentTaskId,
            double weight,
            TaskStatus status,
            double percent,
            String message,
            Map<String, Object> details,
            Instant startedAt,
            Instant finishedAt,
            int attempt) {
        this(
                taskId,
                name,
                type,
                parentTaskId,
                weight,
                status,
                percent,
                message,
                details,
                startedAt,
                finishedAt,
                attempt,
                null,
                0,
                TaskUsage.NONE);
    }
}

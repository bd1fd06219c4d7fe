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
        int attempt) {

    public TaskView {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        details = details == null ? Map.of() : details;
    }
}

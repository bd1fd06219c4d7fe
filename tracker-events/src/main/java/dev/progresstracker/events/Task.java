package dev.progresstracker.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The whole task as it is after the event ({@code task}).
 *
 * @param taskId        unique in the run
 * @param name          display name
 * @param typeName      the type as sent; {@link #type()} is its constant
 * @param parentTaskId  the parent task, or null for a top-level task
 * @param weight        share of the run's progress, above 0
 * @param status        {@link TaskStatus#UNKNOWN} for a value this version does not know
 * @param percent       0..100
 * @param message       the last message, or null
 * @param details       the agent's free-form details (JSON objects as maps, arrays as lists, numbers as
 *                      Integer/Long/BigInteger/Double); unmodifiable, empty when none or trimmed
 * @param startedAt     null before the first start
 * @param finishedAt    null until it ended
 * @param attempt       starts so far (0 before the first)
 * @param stage         the current step inside the task, or null before any
 * @param stageProgress 0..100 within {@code stage}; null when there is no stage
 * @param usage         usage totals, or null while nothing was recorded
 */
public record Task(
        String taskId,
        String name,
        String typeName,
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
        Double stageProgress,
        Usage usage) {

    public Task {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(typeName, "typeName");
        Objects.requireNonNull(status, "status");
        details = Details.freeze(details);
    }

    /** The type as a constant: {@link TaskType#CUSTOM} for an agent's own type ({@link #typeName()} holds it). */
    public TaskType type() {
        return TaskType.fromWire(typeName);
    }
}

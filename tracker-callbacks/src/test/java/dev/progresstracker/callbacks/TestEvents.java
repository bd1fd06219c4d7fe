package dev.progresstracker.callbacks;

import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.EventHeader;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/** Hand-made events (for driving the manager directly as its sink thread would) and a waiting helper. */
final class TestEvents {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final RunView RUN = new RunView(RunStatus.IN_PROGRESS, "p", 10, null, T0, null);

    private TestEvents() {}

    static ProgressEvent progress(String runId, long seq) {
        return task(EventType.TASK_PROGRESS, runId, seq, "t1", TaskStatus.IN_PROGRESS);
    }

    static ProgressEvent task(EventType type, String runId, long seq, String taskId, TaskStatus status) {
        TaskView task = new TaskView(
                taskId,
                "Task " + taskId,
                TaskType.UPGRADE_STEP,
                null,
                1,
                status,
                seq % 100,
                null,
                Map.of(),
                T0,
                null,
                1);
        return TaskEvent.of(
                type, new EventHeader(UUID.randomUUID(), runId, seq, T0.plusMillis(seq), "c", "p"), RUN, task);
    }

    /** Waits until {@code condition} holds, polling every few ms; fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Awaitility.await(what)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(2))
                .until(condition::getAsBoolean);
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(20), condition);
    }
}

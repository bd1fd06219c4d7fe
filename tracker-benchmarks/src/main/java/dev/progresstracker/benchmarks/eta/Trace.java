package dev.progresstracker.benchmarks.eta;

import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A named progress trace: rows in time order, starting with the tasks' ADDED rows. */
public record Trace(String name, List<TraceRow> rows) {
    public Trace {
        Objects.requireNonNull(name, "name");
        rows = List.copyOf(rows);
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).time().isBefore(rows.get(i - 1).time())) {
                throw new IllegalArgumentException("trace '" + name + "' goes back in time at row " + (i + 1));
            }
        }
    }

    /**
     * The trace of a run's events (in sequence order): run start and end, and every task's
     * additions, lifecycle changes and progress. Phase changes and alerts carry nothing the
     * estimators replay, so they are left out.
     */
    public static Trace fromEvents(String name, List<ProgressEvent> events) {
        List<TraceRow> rows = new ArrayList<>();
        for (ProgressEvent e : events) {
            Instant t = e.header().time();
            switch (e.type()) {
                case UPGRADE_STARTED -> rows.add(TraceRow.run(t, TraceRow.Action.RUN_STARTED));
                case UPGRADE_COMPLETED -> rows.add(TraceRow.run(t, TraceRow.Action.RUN_COMPLETED));
                case TASK_ADDED -> {
                    TaskView v = ((TaskEvent) e).task();
                    rows.add(TraceRow.added(t, v.taskId(), v.type().name(), v.weight(), v.parentTaskId()));
                }
                case TASK_PROGRESS ->
                    rows.add(TraceRow.progress(
                            t, taskId(e), ((TaskEvent) e).task().percent()));
                case TASK_STARTED -> rows.add(TraceRow.of(t, taskId(e), TraceRow.Action.STARTED));
                case TASK_COMPLETED -> rows.add(TraceRow.of(t, taskId(e), TraceRow.Action.COMPLETED));
                case TASK_FAILED -> rows.add(TraceRow.of(t, taskId(e), TraceRow.Action.FAILED));
                case TASK_PAUSED -> rows.add(TraceRow.of(t, taskId(e), TraceRow.Action.PAUSED));
                case TASK_RESUMED -> rows.add(TraceRow.of(t, taskId(e), TraceRow.Action.RESUMED));
                case TASK_SKIPPED -> rows.add(TraceRow.of(t, taskId(e), TraceRow.Action.SKIPPED));
                case TASK_CANCELLED -> rows.add(TraceRow.of(t, taskId(e), TraceRow.Action.CANCELLED));
                default -> {}
            }
        }
        return new Trace(name, rows);
    }

    private static String taskId(ProgressEvent e) {
        return ((TaskEvent) e).task().taskId();
    }
}

package dev.progresstracker.benchmarks.eta;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One line of a progress trace: at {@code time}, task {@code taskId} did {@code action}.
 * Run-level rows use task id {@value #RUN} with {@link Action#RUN_STARTED} / {@link Action#RUN_COMPLETED}.
 *
 * @param percent progress of the task for {@link Action#PROGRESS}, otherwise NaN
 * @param type    task type for {@link Action#ADDED}, otherwise null
 * @param weight  task weight for {@link Action#ADDED}, otherwise NaN
 * @param parent  parent task id for {@link Action#ADDED}, or null
 */
public record TraceRow(
        Instant time, String taskId, Action action, double percent, String type, double weight, String parent) {

    /** Task id of run-level rows. */
    public static final String RUN = "*";

    /** What happened. */
    public enum Action {
        RUN_STARTED,
        RUN_COMPLETED,
        ADDED,
        STARTED,
        PROGRESS,
        COMPLETED,
        FAILED,
        PAUSED,
        RESUMED,
        SKIPPED,
        CANCELLED
    }

    public TraceRow {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(action, "action");
    }

    public static TraceRow run(Instant time, Action action) {
        return new TraceRow(time, RUN, action, Double.NaN, null, Double.NaN, null);
    }

    public static TraceRow added(Instant time, String taskId, String type, double weight, String parent) {
        return new TraceRow(time, taskId, Action.ADDED, Double.NaN, type, weight, parent);
    }

    public static TraceRow progress(Instant time, String taskId, double percent) {
        return new TraceRow(time, taskId, Action.PROGRESS, percent, null, Double.NaN, null);
    }

    public static TraceRow of(Instant time, String taskId, Action action) {
        return new TraceRow(time, taskId, action, Double.NaN, null, Double.NaN, null);
    }

    /** The CSV header written by {@link TraceCsv}. */
    static final String HEADER = "timestamp,taskId,status,percent,type,weight,parent";

    String toCsv() {
        return time + "," + taskId + "," + action + ","
                + (Double.isNaN(percent) ? "" : String.format(Locale.ROOT, "%.1f", percent))
                + "," + (type == null ? "" : type) + ","
                + (Double.isNaN(weight) ? "" : String.format(Locale.ROOT, "%s", weight))
                + "," + (parent == null ? "" : parent);
    }
}

package dev.progresstracker.core;

/**
 * What {@link ProgressTracker#addTask(TaskSpec)} needs to know about a new task. Validated when
 * added (not here), so that the tracker can name the run in its error messages.
 *
 * @param parentTaskId null for a top-level task
 * @param weight       share in the parent's roll-up; default {@value #DEFAULT_WEIGHT}, must be finite and {@code > 0}
 */
public record TaskSpec(String taskId, String name, TaskType type, String parentTaskId, double weight) {

    public static final double DEFAULT_WEIGHT = 1.0;

    /** A top-level task of weight 1. */
    public static TaskSpec of(String taskId, String name, TaskType type) {
        return new TaskSpec(taskId, name, type, null, DEFAULT_WEIGHT);
    }

    /** A child task of weight 1. */
    public static TaskSpec child(String parentTaskId, String taskId, String name, TaskType type) {
        return new TaskSpec(taskId, name, type, parentTaskId, DEFAULT_WEIGHT);
    }

    /** This spec with another weight. */
    public TaskSpec withWeight(double newWeight) {
        return new TaskSpec(taskId, name, type, parentTaskId, newWeight);
    }
}

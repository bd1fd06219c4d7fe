package dev.progresstracker.core.internal;

import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.event.EventType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The task verbs of {@code ProgressTracker}: adding tasks, moving them ({@link TaskMove}) and
 * their progress. Each validates its inputs, then under the run's lock checks the state, changes
 * the model and emits. Thread-safe through the lock.
 */
public final class TaskVerbs {

    private final RunContext run;
    private final RunModel model;
    /** Written under the lock with release semantics, read lock-free (metrics): no fence per update. */
    private long progressUpdates;

    private static final VarHandle PROGRESS_UPDATES;

    static {
        try {
            PROGRESS_UPDATES = MethodHandles.lookup().findVarHandle(TaskVerbs.class, "progressUpdates", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    TaskVerbs(RunContext run) {
        this.run = run;
        this.model = run.model;
    }

    long progressUpdates() {
        return (long) PROGRESS_UPDATES.getAcquire(this);
    }

    public CompletableFuture<Long> addTasks(Collection<TaskSpec> specs) {
        Objects.requireNonNull(specs, "specs must not be null");
        List<TaskSpec> list = new ArrayList<>(specs.size());
        for (TaskSpec s : specs) {
            list.add(run.inputs.spec(s));
        }
        run.lock.lock();
        try {
            run.checkOpen();
            run.checkRunMutable("add tasks to");
            List<TaskSpec> ordered = run.inputs.parentsFirst(list, model::hasTask);
            run.storeGate.check();
            if (ordered.isEmpty()) {
                return run.emitter.unchanged();
            }
            CompletableFuture<Long> last = null;
            Instant now = run.clock.instant();
            for (TaskSpec s : ordered) {
                TaskNode n = model.add(s.taskId(), s.name(), s.type(), s.parentTaskId(), s.weight());
                last = run.emitter.emitTask(EventType.TASK_ADDED, n, now);
            }
            return last;
        } finally {
            run.lock.unlock();
        }
    }

    public CompletableFuture<Long> startTask(String taskId) {
        return move(taskId, TaskMove.START, null);
    }

    public CompletableFuture<Long> completeTask(String taskId) {
        return move(taskId, TaskMove.COMPLETE, null);
    }

    public CompletableFuture<Long> failTask(String taskId, String message) {
        return move(taskId, TaskMove.FAIL, message);
    }

    public CompletableFuture<Long> pauseTask(String taskId, String reason) {
        return move(taskId, TaskMove.PAUSE, reason);
    }

    public CompletableFuture<Long> resumeTask(String taskId) {
        return move(taskId, TaskMove.RESUME, null);
    }

    public CompletableFuture<Long> cancelTask(String taskId, String reason) {
        return move(taskId, TaskMove.CANCEL, reason);
    }

    public CompletableFuture<Long> skipTask(String taskId, String reason) {
        return move(taskId, TaskMove.SKIP, reason);
    }

    private CompletableFuture<Long> move(String taskId, TaskMove move, String message) {
        String text = run.inputs.clip(message);
        run.lock.lock();
        try {
            run.checkOpen();
            run.checkRunMutable(move.verb + " tasks of");
            TaskNode n = run.requireTask(taskId);
            if (n.hasChildren() && n.status == move.target && move != TaskMove.RESUME) {
                // The parent's status already follows from its children (ParentStatus): the caller agrees.
                return run.emitter.unchanged();
            }
            String refusal = move.refusal(n.status);
            if (refusal != null) {
                throw new IllegalStateException(
                        "cannot " + move.verb + " task '" + taskId + "' of run '" + model.runId + "': " + refusal);
            }
            run.storeGate.check();
            Instant now = run.clock.instant();
            if (text != null) {
                n.message = text;
            }
            move.apply(model, n, now);
            CompletableFuture<Long> ack = run.emitter.emitTask(move.event, n, now);
            for (TaskNode p = n.parent; p != null; p = p.parent) {
                TaskMove derived = ParentStatus.derivedMove(p);
                if (derived == null) {
                    break;
                }
                derived.apply(model, p, now);
                ack = run.emitter.emitTask(derived.event, p, now);
            }
            return ack;
        } finally {
            run.lock.unlock();
        }
    }

    public CompletableFuture<Long> updateTaskProgress(
            String taskId, double percent, String message, Map<String, ?> details) {
        run.inputs.percent(taskId, "percent", percent);
        Map<String, Object> copy = run.inputs.details(taskId, details);
        String text = run.inputs.clip(message);
        run.lock.lock();
        try {
            run.checkOpen();
            run.checkRunMutable("update tasks of");
            TaskNode n = run.requireTask(taskId);
            if (n.status != TaskStatus.IN_PROGRESS) {
                throw new IllegalStateException("cannot update progress of task '" + taskId + "' of run '" + model.runId
                        + "': it is " + n.status
                        + (n.status == TaskStatus.NOT_STARTED
                                ? "; call startTask first"
                                : "; only IN_PROGRESS tasks make progress"));
            }
            if (n.hasChildren()) {
                throw new IllegalStateException("cannot update progress of task '" + taskId + "' of run '" + model.runId
                        + "': it has " + n.childCount + " child task(s) and its percent is their weighted mean");
            }
            if (percent < n.ownPercent && !run.config.allowProgressRegression()) {
                throw new IllegalArgumentException(run.inputs.where(taskId) + "progress would go backwards from "
                        + n.ownPercent + " to " + percent + "; set TrackerConfig.allowProgressRegression to permit it");
            }
            run.storeGate.check();
            model.setPercent(n, percent);
            if (text != null) {
                n.message = text;
            }
            if (copy != null) {
                n.details = copy;
            }
            PROGRESS_UPDATES.setRelease(this, progressUpdates + 1);
            return emitProgress(n);
        } finally {
            run.lock.unlock();
        }
    }

    /**
     * Sets the task's current stage and the progress within it; emits {@code task.progress} like
     * {@link #updateTaskProgress} (whose rules it shares: IN_PROGRESS tasks only). The task's own
     * percent is left as it is.
     */
    public CompletableFuture<Long> updateTaskStage(String taskId, String stage, double stageProgress) {
        String name = run.inputs.name(taskId, stage, "stage");
        run.inputs.percent(taskId, "stageProgress", stageProgress);
        run.lock.lock();
        try {
            run.checkOpen();
            run.checkRunMutable("update tasks of");
            TaskNode n = run.requireTask(taskId);
            if (n.status != TaskStatus.IN_PROGRESS) {
                throw new IllegalStateException("cannot set the stage of task '" + taskId + "' of run '" + model.runId
                        + "': it is " + n.status + "; only IN_PROGRESS tasks have a current stage");
            }
            run.storeGate.check();
            n.stage = name;
            n.stageProgress = stageProgress;
            PROGRESS_UPDATES.setRelease(this, progressUpdates + 1);
            return emitProgress(n);
        } finally {
            run.lock.unlock();
        }
    }

    /** Emits {@code task.progress} for {@code n}, or only feeds the estimator in modes that emit no progress. */
    private CompletableFuture<Long> emitProgress(TaskNode n) {
        Instant now = run.clock.instant();
        if (!run.config.trackingMode().emitsProgress()) {
            run.emitter.observeSilently(EventType.TASK_PROGRESS, n, now);
            return run.emitter.unchanged();
        }
        return run.emitter.emitTask(EventType.TASK_PROGRESS, n, now);
    }
}

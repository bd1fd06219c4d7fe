package dev.progresstracker.core.state;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.RunEvent;
import dev.progresstracker.core.event.TaskEvent;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Folds events into a {@link RunState}. Because every event carries the full state of its task
 * and of the run, a projection may skip events (a conflating sink does) and still be right about
 * everything it has seen. Stores use it in {@link Mode#CONTIGUOUS} mode, where a gap is an error.
 *
 * <p>Not thread-safe: confine to one thread or guard externally.
 */
public final class RunProjection {

    /** Whether {@link #apply(ProgressEvent)} insists on gap-free sequence numbers. */
    public enum Mode {
        CONTIGUOUS,
        ALLOW_GAPS
    }

    private final String runId;
    private final Mode mode;
    private final Map<String, TaskView> tasks;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private RunInfo info;

    public RunProjection(String runId, Mode mode) {
        this(runId, mode, 0);
    }

    private RunProjection(String runId, Mode mode, int expectedTasks) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.info = new RunInfo(runId, null, null, Map.of(), RunStatus.NOT_STARTED, null, 0, null, null, null, 0, null);
        // Sized up front: growing from 16 to a million tasks rehashes twenty times during recovery.
        this.tasks = new LinkedHashMap<>(capacityFor(expectedTasks));
    }

    private static int capacityFor(int expected) {
        return expected <= 12 ? 16 : (int) Math.min(1 << 30, (long) Math.ceil(expected / 0.75));
    }

    /** A projection that starts from {@code state}; its task map is sized for the state's tasks. */
    public static RunProjection of(RunState state, Mode mode) {
        RunProjection p = new RunProjection(state.runId(), mode, state.tasks().size());
        p.info = state.info();
        for (TaskView t : state.tasks()) {
            p.tasks.put(t.taskId(), t);
        }
        for (Alert a : state.activeAlerts()) {
            p.alerts.put(a.alertId(), a);
        }
        return p;
    }

    /**
     * Applies one event. Events at or below {@link #lastSequence()} are ignored and return false
     * (replays are idempotent).
     *
     * @throws IllegalArgumentException if the event belongs to another run, or (CONTIGUOUS) skips a sequence number
     */
    public boolean apply(ProgressEvent event) {
        if (!runId.equals(event.runId())) {
            throw new IllegalArgumentException(
                    "event " + event.eventId() + " belongs to run '" + event.runId() + "', not to '" + runId + "'");
        }
        long seq = event.sequence();
        if (seq <= info.lastSequence()) {
            return false;
        }
        if (mode == Mode.CONTIGUOUS && seq != info.lastSequence() + 1) {
            throw new IllegalArgumentException(
                    "run '" + runId + "': expected sequence " + (info.lastSequence() + 1) + " but got " + seq);
        }
        Map<String, String> attributes = info.attributes();
        if (event instanceof TaskEvent te) {
            tasks.put(te.task().taskId(), te.task());
        } else if (event instanceof AlertEvent.AlertRaised ar) {
            alerts.put(ar.alert().alertId(), ar.alert());
        } else if (event instanceof AlertEvent.AlertCleared ac) {
            alerts.remove(ac.alert().alertId());
        } else if (event instanceof RunEvent.UpgradeStarted us) {
            attributes = merge(attributes, us.attributes());
        }
        var run = event.run();
        var h = event.header();
        info = new RunInfo(
                runId,
                h.planId() != null ? h.planId() : info.planId(),
                h.clusterName() != null ? h.clusterName() : info.clusterName(),
                attributes,
                run.status(),
                run.phase(),
                run.percent(),
                run.eta(),
                run.startedAt(),
                run.finishedAt(),
                seq,
                h.time());
        return true;
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        if (a.isEmpty()) {
            return b;
        }
        Map<String, String> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    public String runId() {
        return runId;
    }

    public long lastSequence() {
        return info.lastSequence();
    }

    public RunInfo info() {
        return info;
    }

    /** The task, or null. */
    public TaskView task(String taskId) {
        return tasks.get(taskId);
    }

    public int taskCount() {
        return tasks.size();
    }

    public Collection<TaskView> tasks() {
        return java.util.Collections.unmodifiableCollection(tasks.values());
    }

    /** An immutable copy of the current state; O(number of tasks). */
    public RunState snapshot() {
        // List.copyOf: RunState keeps an immutable list as it is, so the tasks are copied once, not twice.
        return new RunState(info, List.copyOf(tasks.values()), List.copyOf(alerts.values()));
    }
}

package dev.progresstracker.core.internal;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live, mutable state of one run: the task tree with incremental weighted roll-up. Not
 * thread-safe: the tracker guards it with its lock. Every operation is O(depth of the task).
 */
public final class RunModel {

    final String runId;
    String planId;
    String clusterName;
    Map<String, String> attributes;
    RunStatus status = RunStatus.NOT_STARTED;
    String phase;
    Instant startedAt;
    Instant finishedAt;
    long lastSequence;

    private final TaskNode root = new TaskNode("", "", TaskType.UPGRADE_PLAN, null, 1);
    private final Map<String, TaskNode> tasks = new HashMap<>();
    private final List<TaskNode> order = new ArrayList<>();
    private final int[] counts = new int[TaskStatus.values().length];
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    /** Summed over every task, for the ETA factors. */
    long rateLimitDelayMillis;

    private double totalWeight;
    private double unfinishedWeight;
    private int unfinished;

    public RunModel(String runId, String planId, String clusterName, Map<String, String> attributes) {
        this.runId = runId;
        this.planId = planId;
        this.clusterName = clusterName;
        this.attributes = Map.copyOf(attributes);
    }

    /** Rebuilds the model from a stored state (tasks come parent-first, as they were added). */
    public static RunModel restore(RunState state) {
        RunInfo info = state.info();
        RunModel m = new RunModel(info.runId(), info.planId(), info.clusterName(), info.attributes());
        m.status = info.status();
        m.phase = info.phase();
        m.startedAt = info.startedAt();
        m.finishedAt = info.finishedAt();
        m.lastSequence = info.lastSequence();
        for (TaskView t : state.tasks()) {
            TaskNode parent = t.parentTaskId() == null ? m.root : m.tasks.get(t.parentTaskId());
            if (parent == null) {
                throw new IllegalStateException("stored run '" + info.runId() + "' has task '" + t.taskId()
                        + "' whose parent '" + t.parentTaskId() + "' is missing or comes later");
            }
            TaskNode n = new TaskNode(t.taskId(), t.name(), t.type(), parent, t.weight());
            n.status = t.status();
            n.ownPercent = t.percent();
            n.message = t.message();
            n.details = t.details();
            n.startedAt = t.startedAt();
            n.finishedAt = t.finishedAt();
            n.attempt = t.attempt();
            n.stage = t.stage();
            n.stageProgress = t.stageProgress();
            n.setUsage(t.usage());
            m.rateLimitDelayMillis += t.usage().rateLimitDelayMillis();
            m.link(n);
        }
        for (Alert a : state.activeAlerts()) {
            m.alerts.put(a.alertId(), a);
        }
        return m;
    }

    /** On resume: takes identity fields the stored run lacks; attributes given now win. */
    public void adoptMissing(String planId, String clusterName, Map<String, String> attributes) {
        if (this.planId == null) {
            this.planId = planId;
        }
        if (this.clusterName == null) {
            this.clusterName = clusterName;
        }
        if (!attributes.isEmpty()) {
            Map<String, String> merged = new LinkedHashMap<>(this.attributes);
            merged.putAll(attributes);
            this.attributes = Map.copyOf(merged);
        }
    }

    // ------------------------------------------------------------------ tasks

    TaskNode task(String taskId) {
        return tasks.get(taskId);
    }

    boolean hasTask(String taskId) {
        return tasks.containsKey(taskId);
    }

    /** Adds a validated task (id unique, parent present or null). */
    TaskNode add(String taskId, String name, TaskType type, String parentTaskId, double weight) {
        TaskNode parent = parentTaskId == null ? root : tasks.get(parentTaskId);
        TaskNode n = new TaskNode(taskId, name, type, parent, weight);
        link(n);
        return n;
    }

    private void link(TaskNode n) {
        tasks.put(n.id, n);
        n.index = order.size();
        order.add(n);
        counts[n.status.ordinal()]++;
        n.parent.childCount++;
        if (n.parent != root) {
            if (n.parent.childStatus == null) {
                n.parent.childStatus = new int[TaskStatus.values().length];
            }
            n.parent.childStatus[n.status.ordinal()]++;
        }
        totalWeight += n.weight;
        if (!n.status.isFinal()) {
            unfinishedWeight += n.weight;
            unfinished++;
        }
        propagate(n, 0, 0);
    }

    /** Moves {@code n} to {@code target}, keeping counts and roll-up right. Caller checked the move. */
    void setStatus(TaskNode n, TaskStatus target) {
        double oldP = n.percent();
        double oldW = n.includedWeight();
        counts[n.status.ordinal()]--;
        counts[target.ordinal()]++;
        if (n.parent.childStatus != null) {
            n.parent.childStatus[n.status.ordinal()]--;
            n.parent.childStatus[target.ordinal()]++;
        }
        if (!n.status.isFinal() && target.isFinal()) {
            unfinishedWeight -= n.weight;
            unfinished--;
        }
        n.status = target;
        propagate(n, oldP, oldW);
    }

    /** Sets a leaf's own percent and rolls it up. */
    void setPercent(TaskNode n, double percent) {
        double oldP = n.percent();
        double oldW = n.includedWeight();
        n.ownPercent = percent;
        propagate(n, oldP, oldW);
    }

    private void propagate(TaskNode n, double oldP, double oldW) {
        double newP = n.percent();
        double newW = n.includedWeight();
        TaskNode p = n.parent;
        while (p != null && (newP != oldP || newW != oldW)) {
            double parentOldP = p.percent();
            p.childWeightSum += newW - oldW;
            p.childWeightedPercentSum += newW * newP - oldW * oldP;
            if (p.childWeightSum < 1e-9) {
                // Every child left the roll-up; clear floating-point residue.
                p.childWeightSum = 0;
                p.childWeightedPercentSum = 0;
            }
            oldP = parentOldP;
            newP = p.percent();
            oldW = newW = p.includedWeight();
            p = p.parent;
        }
    }

    /**
     * Declared weight per unfinished task over weight per task (see {@code EtaFactors.complexityFactor});
     * 1 when nothing is unfinished.
     */
    double complexityFactor() {
        if (unfinished == 0 || totalWeight <= 0) {
            return 1.0;
        }
        double f = (unfinishedWeight / unfinished) / (totalWeight / order.size());
        return f > 0 && Double.isFinite(f) ? f : 1.0;
    }

    TaskNode root() {
        return root;
    }

    int taskCount() {
        return order.size();
    }

    List<TaskNode> tasksInOrder() {
        return order;
    }

    Map<TaskStatus, Integer> counts() {
        Map<TaskStatus, Integer> m = new EnumMap<>(TaskStatus.class);
        for (TaskStatus s : TaskStatus.values()) {
            m.put(s, counts[s.ordinal()]);
        }
        return m;
    }

    int count(TaskStatus s) {
        return counts[s.ordinal()];
    }

    // ------------------------------------------------------------------ alerts

    Map<String, Alert> alerts() {
        return alerts;
    }

    // ------------------------------------------------------------------ run

    /** Run percent: weighted mean of top-level tasks, 100 once completed. */
    double percent() {
        return status == RunStatus.COMPLETED ? 100.0 : round(root.percent());
    }

    /** Weight of top-level work not done yet, for estimators. */
    double remainingWeight() {
        return root.childWeightSum * (100.0 - root.percent()) / 100.0;
    }

    RunView view(Eta eta) {
        return new RunView(status, phase, percent(), eta, startedAt, finishedAt);
    }

    RunState snapshot(Eta eta, Instant updatedAt) {
        List<TaskView> views = new ArrayList<>(order.size());
        for (TaskNode n : order) {
            views.add(n.view());
        }
        RunInfo info = new RunInfo(
                runId,
                planId,
                clusterName,
                attributes,
                status,
                phase,
                percent(),
                eta,
                startedAt,
                finishedAt,
                lastSequence,
                updatedAt);
        return new RunState(info, views, new ArrayList<>(alerts.values()));
    }

    /** Percent as shown on the wire and in views: rounded to 0.001. */
    static double round(double percent) {
        return Math.round(percent * 1000.0) / 1000.0;
    }
}

package dev.progresstracker.core.analytics;

import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leaf tasks of a run as "work". A leaf's size is its share of the run (its weight over its
 * live siblings' weights, times its parent's share — what it adds to the run percent); it is worth
 * that share × the mean seconds per share of its type (learnt from completed tasks; from running
 * ones, or else the all-type mean, until then; 1 before anything is known). Keeps, per type, the
 * share of live leaves and the share done, so done and remaining work cost O(types). Shares are
 * recomputed (O(tasks)) only when tasks are added, skipped or cancelled. Not thread-safe.
 */
final class WorkModel {

    private static final class Leaf {
        final TypeStat type;
        final double weight;
        final Leaf parent;
        double liveChildWeight;
        TaskStatus status = TaskStatus.NOT_STARTED;
        double size;          // share of the run, see share()
        double percent;       // 0..1
        double done;          // size × percent credited to the type
        boolean leaf = true;
        double attemptStart = Double.NaN;  // work time (see AdaptiveEstimator) the current attempt began
        boolean live = true;  // counts towards the total (not skipped / cancelled)

        Leaf(TypeStat type, double weight, Leaf parent) {
            this.type = type;
            this.weight = weight;
            this.parent = parent;
        }

        /** Share of the run: weight over live siblings, times the parent's share. O(depth). */
        double share(double topLevelWeight) {
            double s = 1;
            Leaf t = this;
            while (t != null) {
                double siblings = t.parent == null ? topLevelWeight : t.parent.liveChildWeight;
                s *= siblings > 0 ? t.weight / siblings : 0;
                t = t.parent;
            }
            return s;
        }
    }

    /** Per type: weight of live leaves, weight done, and completed durations per weight. */
    static final class TypeStat {
        final int index;
        final TaskType type;
        double totalUnits;
        double doneUnits;
        int completed;
        double secondsPerWeightSum;
        double provisional = Double.NaN;  // from running tasks while none of the type completed

        TypeStat(int index, TaskType type) {
            this.index = index;
            this.type = type;
        }
    }

    private final Map<String, Leaf> tasks = new HashMap<>();
    private final Map<String, Leaf> runningLeaves = new HashMap<>();
    private final Map<TaskType, TypeStat> types = new HashMap<>();
    private final List<TypeStat> typeList = new ArrayList<>();
    private final List<Leaf> order = new ArrayList<>();
    private double topLevelWeight;
    private boolean dirty;
    private int completedAll;
    private double secondsPerWeightAll;
    private int running;
    private int paused;

    /** Applies the task's new state at work time {@code time} (any task event, or a restored task). */
    void apply(TaskView v, double time) {
        Leaf t = tasks.get(v.taskId());
        if (t == null) {
            Leaf parent = v.parentTaskId() == null ? null : tasks.get(v.parentTaskId());
            t = new Leaf(typeStat(v.type()), v.weight(), parent);
            tasks.put(v.taskId(), t);
            order.add(t);
            addLiveWeight(t, t.weight);
            if (parent != null && parent.leaf) {
                // A parent's percent is its children's mean: only leaves are work.
                setStatus(parent, TaskStatus.NOT_STARTED);
                runningLeaves.remove(v.parentTaskId());
                parent.leaf = false;
            }
            dirty = true;
        }
        boolean live = v.status() != TaskStatus.SKIPPED && v.status() != TaskStatus.CANCELLED;
        if (t.live != live) {
            addLiveWeight(t, live ? t.weight : -t.weight);
            t.live = live;
            dirty = true;
        }
        if (!t.leaf) {
            return;
        }
        refresh();
        if (t.status != TaskStatus.COMPLETED && v.status() == TaskStatus.COMPLETED && v.startedAt() != null
                && v.finishedAt() != null && t.size > 0) {
            double perShare = seconds(Duration.between(v.startedAt(), v.finishedAt())) / t.size;
            t.type.completed++;
            t.type.secondsPerWeightSum += perShare;
            completedAll++;
            secondsPerWeightAll += perShare;
        }
        if (v.status() == TaskStatus.IN_PROGRESS && t.status != TaskStatus.IN_PROGRESS && t.status != TaskStatus.PAUSED) {
            t.attemptStart = time;
        }
        if (v.status() == TaskStatus.IN_PROGRESS) {
            runningLeaves.put(v.taskId(), t);
        } else {
            runningLeaves.remove(v.taskId());
        }
        setStatus(t, v.status());
        t.percent = v.percent() / 100.0;
        credit(t, t.live ? t.size * t.percent : 0);
    }

    private void addLiveWeight(Leaf t, double w) {
        if (t.parent == null) {
            topLevelWeight += w;
        } else {
            t.parent.liveChildWeight += w;
        }
    }

    /** Recomputes shares and per-type totals after tasks were added, skipped or cancelled. O(tasks). */
    private void refresh() {
        if (!dirty) {
            return;
        }
        dirty = false;
        for (TypeStat s : typeList) {
            s.totalUnits = 0;
            s.doneUnits = 0;
        }
        for (Leaf t : order) {
            t.size = t.leaf && t.live ? t.share(topLevelWeight) : 0;
            t.done = t.size * t.percent;
            t.type.totalUnits += t.size;
            t.type.doneUnits += t.done;
        }
    }

    private void setStatus(Leaf t, TaskStatus s) {
        running += (s == TaskStatus.IN_PROGRESS ? 1 : 0) - (t.status == TaskStatus.IN_PROGRESS ? 1 : 0);
        paused += (s == TaskStatus.PAUSED ? 1 : 0) - (t.status == TaskStatus.PAUSED ? 1 : 0);
        t.status = s;
    }

    private void credit(Leaf t, double done) {
        t.type.doneUnits += done - t.done;
        t.done = done;
    }

    private TypeStat typeStat(TaskType type) {
        return types.computeIfAbsent(type, k -> {
            TypeStat s = new TypeStat(typeList.size(), k);
            typeList.add(s);
            return s;
        });
    }

    /** Seconds per weight unit of {@code s}: its own mean, else the mean over all types, else 1. */
    double secondsPerWeight(TypeStat s) {
        if (s.completed == 0 && !Double.isNaN(s.provisional)) {
            return s.provisional;
        }
        if (s.completed > 0) {
            // Shrink towards the all-type mean while the type has few samples.
            double own = s.secondsPerWeightSum / s.completed;
            double all = secondsPerWeightAll / completedAll;
            double k = s.completed / (s.completed + 1.0);
            return k * own + (1 - k) * all;
        }
        return completedAll > 0 ? secondsPerWeightAll / completedAll : 1.0;
    }

    /** Current done units per type, indexed by type index. */
    double[] doneVector() {
        double[] v = new double[typeList.size()];
        for (TypeStat s : typeList) {
            v[s.index] = s.doneUnits;
        }
        return v;
    }

    /** Work done in {@code done} (a {@link #doneVector()}), priced at today's per-type means. */
    double work(double[] done) {
        double w = 0;
        for (int i = 0; i < done.length; i++) {
            w += done[i] * secondsPerWeight(typeList.get(i));
        }
        return w;
    }

    double doneWork() {
        double w = 0;
        for (TypeStat s : typeList) {
            w += s.doneUnits * secondsPerWeight(s);
        }
        return w;
    }

    /**
     * Work still to do at {@code now}. A running leaf's share is blended with its own pace
     * (elapsed / percent) in proportion to its percent, so a task far slower than its type's mean
     * weighs in before it completes.
     */
    double remainingWork(double now) {
        double w = 0;
        for (TypeStat s : typeList) {
            w += Math.max(0, s.totalUnits - s.doneUnits) * secondsPerWeight(s);
        }
        for (Leaf t : runningLeaves.values()) {
            double p = t.percent;
            if (p <= 0.05 || p >= 1 || Double.isNaN(t.attemptStart) || t.size <= 0) {
                continue;
            }
            double price = secondsPerWeight(t.type) * t.size;
            double own = (now - t.attemptStart) / p;
            w += (1 - p) * p * (own - price);
        }
        return Math.max(0, w);
    }

    /**
     * Prices types that have no completed task yet from their running tasks' pace (elapsed /
     * percent, once past 10 %). O(running tasks).
     */
    void updateProvisional(double now) {
        for (TypeStat s : typeList) {
            s.provisional = Double.NaN;
        }
        for (Leaf t : runningLeaves.values()) {
            double p = t.percent;
            if (t.type.completed > 0 || p < 0.1 || Double.isNaN(t.attemptStart) || t.size <= 0) {
                continue;
            }
            double perWeight = (now - t.attemptStart) / p / t.size;
            t.type.provisional = Double.isNaN(t.type.provisional) ? perWeight : (t.type.provisional + perWeight) / 2;
        }
    }

    boolean anyCompleted() {
        return completedAll > 0;
    }

    /** No leaf runs and at least one is paused: the whole run waits, its time is not work time. */
    boolean fullyPaused() {
        return running == 0 && paused > 0;
    }

    boolean anyRunning() {
        return running > 0;
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}

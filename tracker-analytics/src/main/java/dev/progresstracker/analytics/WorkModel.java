package dev.progresstracker.analytics;

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
 * ones, or else the typical type's, until then; 1 before anything is known). Keeps, per type, the
 * share of live leaves, the share done, sums over its running leaves and the rhythm of its reports
 * (for stalls, see {@link #reportCap()}), so applying a task is O(depth) and done and remaining
 * work cost O(types). Shares are recomputed (O(tasks)) lazily,
 * once after tasks were added, skipped or cancelled. Not thread-safe.
 */
final class WorkModel {

    /** Gaps a type must have shown before a longer one is a stall. */
    static final int STALL_MIN_GAPS = 5;
    /** A gap longer than this many times its type's typical gap is a stall. */
    static final double STALL_FACTOR = 4;

    /** Most of a silent leaf's size that its running time can be credited with. */
    static final double SILENT_CREDIT_CAP = 0.9;

    private final EtaPriors priors;
    private final boolean hasPriors;
    private final Map<String, WorkLeaf> tasks = new HashMap<>();
    private final Map<TaskType, WorkType> types = new HashMap<>();
    private final List<WorkType> typeList = new ArrayList<>();
    private final List<WorkLeaf> order = new ArrayList<>();
    private double topLevelWeight;
    private boolean dirty;
    private int completedAll;
    private double secondsPerWeightAll;
    private double taskSecondsAll;
    private double typicalType = Double.NaN; // cache of typicalType(), NaN when stale
    private int running;
    private int runningUnreported;
    private int paused;
    private double now;
    private double reportCap = Double.NaN;

    WorkModel() {
        this(EtaPriors.none());
    }

    WorkModel(EtaPriors priors) {
        this.priors = priors;
        this.hasPriors = !priors.isEmpty();
    }

    /** Applies a restored task (no report timing). */
    void apply(TaskView v, double time) {
        apply(v, time, Double.NaN);
    }

    /**
     * Applies the task's new state at work time {@code time} and active time {@code active} (NaN
     * for a restored task). If it reports progress of a leaf, {@link #reportCap()} tells how much of
     * the run's gap without progress it ends is normal; otherwise that is NaN.
     */
    void apply(TaskView v, double time, double active) {
        reportCap = Double.NaN;
        WorkLeaf t = tasks.get(v.taskId());
        if (t == null) {
            WorkLeaf parent = v.parentTaskId() == null ? null : tasks.get(v.parentTaskId());
            t = new WorkLeaf(typeStat(v.type()), v.weight(), parent);
            tasks.put(v.taskId(), t);
            order.add(t);
            addLiveWeight(t, t.weight);
            if (parent != null && parent.leaf) {
                // A parent's percent is its children's mean: only leaves are work.
                contribute(parent, -1);
                setStatus(parent, TaskStatus.NOT_STARTED);
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
        if (v.status() == TaskStatus.NOT_STARTED && v.percent() == 0 && t.status == TaskStatus.NOT_STARTED) {
            return; // a task being added: nothing to price yet, and the shares are refreshed lazily
        }
        refresh();
        contribute(t, -1);
        boolean report = t.live
                && (v.percent() / 100.0 > t.percent
                        || v.status() == TaskStatus.COMPLETED && t.status != TaskStatus.COMPLETED);
        if (report && !Double.isNaN(active)) {
            reportCap = report(t, active);
        }
        if (t.status != TaskStatus.COMPLETED
                && v.status() == TaskStatus.COMPLETED
                && v.startedAt() != null
                && v.finishedAt() != null
                && t.size > 0) {
            double taskSeconds = seconds(Duration.between(v.startedAt(), v.finishedAt()));
            double perShare = taskSeconds / t.size;
            taskSecondsAll += taskSeconds;
            t.type.completed++;
            t.type.secondsPerWeightSum += perShare;
            completedAll++;
            secondsPerWeightAll += perShare;
            typicalType = Double.NaN;
        }
        if (v.status() == TaskStatus.IN_PROGRESS
                && t.status != TaskStatus.IN_PROGRESS
                && t.status != TaskStatus.PAUSED) {
            t.attemptStart = time;
            t.reportedAt = active;
            t.reported = false;
        }
        setStatus(t, v.status());
        t.percent = v.percent() / 100.0;
        credit(t, t.live ? t.size * t.percent : 0);
        contribute(t, 1);
    }

    /**
     * A leaf reported progress at active time {@code active}: its gap since its previous report (or
     * its attempt's start) joins its type's statistics. Returns the stall cap for the run's gap
     * this report ends: infinite for the attempt's first report (a task may take long to say
     * anything, and a task that reports only when done is not stalled), else its type's.
     */
    private double report(WorkLeaf t, double active) {
        WorkType s = t.type;
        double cap = t.reported ? s.stallCap(STALL_FACTOR, STALL_MIN_GAPS) : Double.POSITIVE_INFINITY;
        if (!Double.isNaN(t.reportedAt) && active > t.reportedAt) {
            // A stall is not the type's rhythm: counted whole, one stall would hide every later one.
            s.addGap(Math.min(active - t.reportedAt, s.stallCap(STALL_FACTOR, STALL_MIN_GAPS)));
        }
        t.reportedAt = active;
        t.reported = true;
        return cap;
    }

    /** Adds ({@code sign} 1) or removes (-1) a leaf's terms of the running-leaf sums of its type. */
    private void contribute(WorkLeaf t, int sign) {
        if (t.status == TaskStatus.IN_PROGRESS && !t.reported) {
            runningUnreported += sign;
        }
        t.type.contribute(t, sign);
    }

    private void addLiveWeight(WorkLeaf t, double w) {
        if (t.parent == null) {
            topLevelWeight += w;
        } else {
            t.parent.liveChildWeight += w;
        }
    }

    /** Recomputes shares, per-type totals and sums after tasks were added, skipped or cancelled. O(tasks). */
    private void refresh() {
        if (!dirty) {
            return;
        }
        dirty = false;
        typicalType = Double.NaN;
        runningUnreported = 0;
        for (WorkType s : typeList) {
            s.totalUnits = 0;
            s.totalWeight = 0;
            s.doneUnits = 0;
            s.clearSums();
        }
        for (WorkLeaf t : order) {
            t.size = t.leaf && t.live ? t.share(topLevelWeight) : 0;
            t.done = t.size * t.percent;
            t.type.totalUnits += t.size;
            t.type.totalWeight += t.size > 0 ? t.weight : 0;
            t.type.doneUnits += t.done;
            if (t.leaf) {
                contribute(t, 1);
            }
        }
    }

    private void setStatus(WorkLeaf t, TaskStatus s) {
        running += (s == TaskStatus.IN_PROGRESS ? 1 : 0) - (t.status == TaskStatus.IN_PROGRESS ? 1 : 0);
        paused += (s == TaskStatus.PAUSED ? 1 : 0) - (t.status == TaskStatus.PAUSED ? 1 : 0);
        t.status = s;
    }

    private void credit(WorkLeaf t, double done) {
        t.type.doneUnits += done - t.done;
        t.done = done;
    }

    private WorkType typeStat(TaskType type) {
        return types.computeIfAbsent(type, k -> {
            WorkType s = new WorkType(typeList.size(), k);
            Double prior = priors.secondsPerWeight().get(k);
            s.prior = prior == null ? Double.NaN : prior;
            typeList.add(s);
            return s;
        });
    }

    /** The type's prior as seconds per share of the run, NaN without one. */
    private static double priorPrice(WorkType s) {
        return Double.isNaN(s.prior) || !(s.totalUnits > 0) ? Double.NaN : s.prior * s.totalWeight / s.totalUnits;
    }

    /**
     * Seconds per weight unit of {@code s}: its own mean (shrunk towards the mean task while it has
     * few samples), else the typical type's (see {@link #typicalType()}), else 1.
     */
    double secondsPerWeight(WorkType s) {
        double prior = priorPrice(s);
        if (!Double.isNaN(prior)) {
            // Earlier runs' median, worth STRENGTH tasks; the run's own completed tasks take over.
            return (s.secondsPerWeightSum + EtaPriors.STRENGTH * prior) / (s.completed + EtaPriors.STRENGTH);
        }
        if (s.completed == 0 && s.provN > 0) {
            // Mean over the type's running leaves of (now - start) / percent / size.
            return Math.max(0, (now * s.provInv - s.provA) / s.provN);
        }
        if (s.completed > 0) {
            // Shrink towards the mean task while the type has few samples.
            double own = s.secondsPerWeightSum / s.completed;
            double all = secondsPerWeightAll / completedAll;
            double k = s.completed / (s.completed + 1.0);
            return k * own + (1 - k) * all;
        }
        return priced() ? typicalType() : 1.0;
    }

    /**
     * The price of a type never seen: the geometric mean of the seen types' means. It is a guess at a
     * type, not a task, so each type counts once (many quick checks must not make an unseen kind of
     * step look quick), and type means differ by factors, so the mean is taken in log space (one slow
     * type must not price every unseen type like itself). O(types), cached until a task completes.
     */
    private double typicalType() {
        if (Double.isNaN(typicalType)) {
            double logs = 0;
            int n = 0;
            for (WorkType t : typeList) {
                double price = t.completed > 0 ? t.secondsPerWeightSum / t.completed : priorPrice(t);
                if (price > 0) {
                    logs += Math.log(price);
                    n++;
                }
            }
            typicalType = n > 0 ? Math.exp(logs / n) : completedAll > 0 ? secondsPerWeightAll / completedAll : 1.0;
        }
        return typicalType;
    }

    /**
     * Share of the run credited to the type's running leaves that have not reported progress: the
     * time they ran, at the type's price, up to {@value #SILENT_CREDIT_CAP} of their size — so a task
     * that reports only when done is not priced as if it had not started, and one running past its
     * price still has some work left. Capped over the type's sum, not per leaf (O(1); exact when such
     * leaves start together, as batches do).
     */
    private double credit(WorkType s, double price) {
        if (s.silentN == 0 || !(price > 0)) {
            return 0;
        }
        return Math.min(Math.max(0, s.silentN * now - s.silentStart) / price, SILENT_CREDIT_CAP * s.silentSize);
    }

    /** Current done units per type, indexed by type index. */
    double[] doneVector() {
        refresh();
        double[] v = new double[typeList.size()];
        for (WorkType s : typeList) {
            v[s.index] = s.doneUnits + credit(s, secondsPerWeight(s));
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
        refresh();
        double w = 0;
        for (WorkType s : typeList) {
            double price = secondsPerWeight(s);
            w += (s.doneUnits + credit(s, price)) * price;
        }
        return w;
    }

    /**
     * Work still to do at work time {@code now}. A running leaf's share is blended with its own
     * pace (elapsed / percent) in proportion to its percent, so a task far slower than its type's
     * mean weighs in before it completes: {@code (1-p)·p·(own - price)} per leaf, summed per type.
     */
    double remainingWork(double now) {
        refresh();
        double w = 0;
        for (WorkType s : typeList) {
            double price = secondsPerWeight(s);
            w += Math.max(0, s.totalUnits - s.doneUnits - credit(s, price)) * price;
            w += now * s.paceW - s.paceWA - s.paceWPS * price;
        }
        return Math.max(0, w);
    }

    /**
     * Sets the work time at which types without a completed task are priced from their running
     * tasks' pace (elapsed / percent, once past 10 %). O(1).
     */
    void at(double now) {
        this.now = now;
    }

    /** Mean duration of the run's completed leaf tasks (wall clock, start to finish); 0 before one completed. */
    double meanTaskSeconds() {
        return completedAll == 0 ? 0 : taskSecondsAll / completedAll;
    }

    /** See {@link #apply(TaskView, double, double)}. */
    double reportCap() {
        return reportCap;
    }

    /**
     * How long the run may now go without progress before the excess is a stall: infinite while a
     * running task has not reported in its attempt (or none runs), else the largest cap of the types
     * running. O(types).
     */
    double ongoingStallCap() {
        if (runningUnreported > 0) {
            return Double.POSITIVE_INFINITY;
        }
        double cap = 0;
        for (WorkType s : typeList) {
            if (s.runningReported > 0) {
                cap = Math.max(cap, s.stallCap(STALL_FACTOR, STALL_MIN_GAPS));
            }
        }
        return cap > 0 ? cap : Double.POSITIVE_INFINITY;
    }

    /** True once work can be priced from evidence: a task completed, or the run has priors. */
    boolean priced() {
        return completedAll > 0 || hasPriors;
    }

    /** No leaf runs and at least one is paused: the whole run waits, its time is not work time. */
    boolean fullyPaused() {
        return running == 0 && paused > 0;
    }

    /** Seconds from {@code a} to {@code b}, without allocating. */
    static double seconds(java.time.Instant a, java.time.Instant b) {
        return (b.getEpochSecond() - a.getEpochSecond()) + (b.getNano() - a.getNano()) / 1e9;
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}

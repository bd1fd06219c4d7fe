package dev.progresstracker.analytics;

import dev.progresstracker.core.TaskStatus;

/** One task of a {@link WorkModel}: its share of the run and where it stands. Not thread-safe. */
final class WorkLeaf {
    final WorkType type;
    final double weight;
    final WorkLeaf parent;
    double liveChildWeight;
    TaskStatus status = TaskStatus.NOT_STARTED;
    double size; // share of the run, see share()
    double percent; // 0..1
    double done; // size × percent credited to the type
    boolean leaf = true;
    double attemptStart = Double.NaN; // work time (see AdaptiveEstimator) the current attempt began
    double reportedAt = Double.NaN; // active time of the attempt's start or newest report
    boolean reported; // reported progress in the current attempt
    boolean live = true; // counts towards the total (not skipped / cancelled)

    WorkLeaf(WorkType type, double weight, WorkLeaf parent) {
        this.type = type;
        this.weight = weight;
        this.parent = parent;
    }

    /** Share of the run: weight over live siblings, times the parent's share. O(depth). */
    double share(double topLevelWeight) {
        double s = 1;
        WorkLeaf t = this;
        while (t != null) {
            double siblings = t.parent == null ? topLevelWeight : t.parent.liveChildWeight;
            s *= siblings > 0 ? t.weight / siblings : 0;
            t = t.parent;
        }
        return s;
    }

    /** Running, past 5 %: its own pace is blended into the remaining work. */
    boolean paced() {
        return status == TaskStatus.IN_PROGRESS
                && percent > 0.05
                && percent < 1
                && !Double.isNaN(attemptStart)
                && size > 0;
    }

    /** Running at 0 % (e.g. a task that reports only when done): its time so far is credited, see {@link #credit}. */
    boolean silent() {
        return status == TaskStatus.IN_PROGRESS && percent == 0 && !Double.isNaN(attemptStart) && size > 0;
    }

    /** Running, past 10 %: prices its type while none of the type completed. */
    boolean provisional() {
        return status == TaskStatus.IN_PROGRESS && percent >= 0.1 && !Double.isNaN(attemptStart) && size > 0;
    }
}

package dev.progresstracker.core.internal;

import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.TaskView;
import java.time.Instant;
import java.util.Map;

/**
 * Mutable task inside a {@link RunModel}; guarded by the tracker's lock. Keeps the sums of its
 * children so that its percent is O(1) and an update costs O(depth).
 */
final class TaskNode {
    final String id;
    final String name;
    final TaskType type;
    final TaskNode parent;
    final double weight;
    final int depth;

    TaskStatus status = TaskStatus.NOT_STARTED;
    double ownPercent;
    String message;
    Map<String, Object> details = Map.of();
    Instant startedAt;
    Instant finishedAt;
    int attempt;
    String stage;
    double stageProgress;
    /** Replaced (not mutated) on every usage call, so that views share it and progress allocates nothing for it. */
    TaskUsage usage = TaskUsage.NONE;
    /**
     * The counters behind {@link #usage}, on the node itself: a usage call adds to them and takes a new
     * snapshot, so it reads nothing but the node it already looked up (the previous snapshot, allocated
     * long ago, would be a cache miss per call on a large run).
     */
    long apiCalls;

    long apiCallsFailed;
    long apiLatencyMillis;
    long rateLimitHits;
    long rateLimitDelayMillis;
    long tokensIn;
    long tokensOut;
    double cost;
    String currency;
    Double quality;

    /** Position in the order tasks were added (0-based); lets per-task side tables be arrays. */
    int index;

    int childCount;
    /** Children per status (by ordinal), for the parent's derived status; null until the first child. */
    int[] childStatus;

    double childWeightSum;
    double childWeightedPercentSum;

    TaskNode(String id, String name, TaskType type, TaskNode parent, double weight) {
        this.id = id;
        this.name = name;
        this.type = type;
        this.parent = parent;
        this.weight = weight;
        this.depth = parent == null ? 0 : parent.depth + 1;
    }

    /** Effective percent: the weighted mean of counted children, or the task's own percent. */
    double percent() {
        if (childWeightSum > 0) {
            double p = childWeightedPercentSum / childWeightSum;
            return p < 0 ? 0 : (p > 100 ? 100 : p);
        }
        return ownPercent;
    }

    /** Weight this node contributes to its parent's roll-up (0 when skipped or cancelled). */
    double includedWeight() {
        return status.countsInRollUp() ? weight : 0;
    }

    /** Makes {@code u} the task's usage: the snapshot and the counters behind it. */
    void setUsage(TaskUsage u) {
        apiCalls = u.apiCalls();
        apiCallsFailed = u.apiCallsFailed();
        apiLatencyMillis = u.apiLatencyMillis();
        rateLimitHits = u.rateLimitHits();
        rateLimitDelayMillis = u.rateLimitDelayMillis();
        tokensIn = u.tokensIn();
        tokensOut = u.tokensOut();
        cost = u.cost();
        // Reference fields only when they change: every reference store into a long-lived node costs a GC
        // write barrier (a card to refine), and currency and quality rarely change.
        if (currency != u.currency()) {
            currency = u.currency();
        }
        if (quality != u.quality()) {
            quality = u.quality();
        }
        usage = u;
    }

    boolean hasChildren() {
        return childCount > 0;
    }

    TaskView view() {
        return new TaskView(
                id,
                name,
                type,
                parent == null || parent.parent == null ? null : parent.id,
                weight,
                status,
                RunModel.round(percent()),
                message,
                details,
                startedAt,
                finishedAt,
                attempt,
                stage,
                stageProgress,
                usage);
    }
}

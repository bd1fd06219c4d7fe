package dev.progresstracker.core;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Usage summed over a set of tasks: a task and its descendants ({@link ProgressTracker#usage(String)}),
 * the tasks of one {@link TaskType} or the whole run ({@link RunUsage}). Immutable. Computed by
 * {@link #of} (and {@link RunUsage#of}), which every roll-up uses: the tracker's, the export's.
 *
 * @param tasks           tasks summed, parents included
 * @param completedTasks  of those, tasks without children that are COMPLETED (parents would count their work twice)
 * @param retries         attempts beyond the first of tasks without children, summed ({@code attempt - 1} per
 *                        task that ran; a parent's attempts follow its children's and would count them twice)
 * @param currency        the pricing's currency, null while nothing was priced
 * @param quality         mean quality of the tasks that have one, weighted by task weight ({@link TaskView#weight()});
 *                        empty when none has
 */
public record UsageTotals(
        int tasks,
        int completedTasks,
        long apiCalls,
        long apiCallsFailed,
        long rateLimitHits,
        Duration rateLimitDelay,
        long tokensIn,
        long tokensOut,
        double cost,
        String currency,
        long retries,
        OptionalDouble quality) {

    /**
     * The usage of {@code tasks} (a run's, or a task and its descendants: a task counts as a parent when
     * another task of the collection names it as its parent).
     */
    public static UsageTotals of(Collection<TaskView> tasks) {
        Set<String> parents = parentsOf(tasks);
        UsageSum sum = new UsageSum();
        for (TaskView t : tasks) {
            sum.add(t, !parents.contains(t.taskId()));
        }
        return sum.totals();
    }

    static Set<String> parentsOf(Collection<TaskView> tasks) {
        Set<String> parents = new HashSet<>();
        for (TaskView t : tasks) {
            if (t.parentTaskId() != null) {
                parents.add(t.parentTaskId());
            }
        }
        return parents;
    }

    public long apiCallsSucceeded() {
        return apiCalls - apiCallsFailed;
    }

    /** Successful calls over all calls; empty before the first call. */
    public OptionalDouble successRate() {
        return apiCalls == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) apiCallsSucceeded() / apiCalls);
    }

    /** Estimated cost per completed task; empty before the first completion. */
    public OptionalDouble costPerCompletedTask() {
        return completedTasks == 0 ? OptionalDouble.empty() : OptionalDouble.of(cost / completedTasks);
    }

    /** Input plus output tokens per completed task; empty before the first completion. */
    public OptionalDouble tokensPerCompletedTask() {
        return completedTasks == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of((double) (tokensIn + tokensOut) / completedTasks);
    }
}

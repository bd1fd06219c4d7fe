package dev.progresstracker.core;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * Usage summed over a set of tasks: a task and its descendants ({@link ProgressTracker#usage(String)}),
 * the tasks of one {@link TaskType} or the whole run ({@link RunUsage}). Immutable.
 *
 * @param tasks           tasks summed
 * @param completedTasks  of those, tasks without children that are COMPLETED (parents would count their work twice)
 * @param retries         attempts beyond the first, summed ({@code attempt - 1} per task that ran)
 * @param currency        the pricing's currency, null while nothing was priced
 * @param quality         mean quality of the tasks that have one, weighted by task weight; empty when none has
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
        return completedTasks == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) (tokensIn + tokensOut) / completedTasks);
    }
}

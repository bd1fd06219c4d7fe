package dev.progresstracker.core;

import java.util.Map;

/**
 * A run's usage rolled up, as returned by {@link ProgressTracker#usage()}: over every task, and per
 * task type (each task counted under its own type only). Immutable.
 */
public record RunUsage(UsageTotals run, Map<TaskType, UsageTotals> byType) {

    public RunUsage {
        byType = Map.copyOf(byType);
    }
}

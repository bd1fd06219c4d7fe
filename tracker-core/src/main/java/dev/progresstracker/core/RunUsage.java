package dev.progresstracker.core;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A run's usage rolled up, as returned by {@link ProgressTracker#usage()} and exported by the
 * analytics' {@code RunExport}: over every task, and per task type (each task counted under its own
 * type only; types in the order their first task was added). Immutable.
 */
public record RunUsage(UsageTotals run, Map<TaskType, UsageTotals> byType) {

    public RunUsage {
        Objects.requireNonNull(run, "run usage must not be null");
        Objects.requireNonNull(byType, "usage by type must not be null");
        byType = Collections.unmodifiableMap(new LinkedHashMap<>(byType));
    }

    /** The usage of a run's {@code tasks} (its task views, for example a stored run's state); see {@link UsageTotals}. */
    public static RunUsage of(Collection<TaskView> tasks) {
        Set<String> parents = UsageTotals.parentsOf(tasks);
        UsageSum all = new UsageSum();
        Map<TaskType, UsageSum> byType = new LinkedHashMap<>();
        for (TaskView t : tasks) {
            boolean leaf = !parents.contains(t.taskId());
            all.add(t, leaf);
            byType.computeIfAbsent(t.type(), k -> new UsageSum()).add(t, leaf);
        }
        Map<TaskType, UsageTotals> totals = new LinkedHashMap<>();
        byType.forEach((type, sum) -> totals.put(type, sum.totals()));
        return new RunUsage(all.totals(), totals);
    }
}

package dev.progresstracker.analytics;

import dev.progresstracker.core.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One figure of a run set against the same figure over earlier runs, e.g. "this run's UPGRADE_STEP
 * tasks take 1.80× as long as in the last 5 runs (54s vs 30s median)". {@link #of} lists, for every
 * task type and phase both sides have: the median duration of completed leaf tasks (per type) or
 * of the phase, the failure rate, the cost per completed task and the mean quality (per type).
 * Figures with no value on either side are left out. Immutable.
 *
 * @param scope        {@code type} or {@code phase}
 * @param name         the task type or phase name
 * @param measure      {@code medianSeconds}, {@code failureRate}, {@code costPerCompletedTask} or {@code quality}
 * @param current      this run's value
 * @param baseline     the earlier runs' value (durations: the median over their tasks or phases)
 * @param baselineRuns how many earlier runs the baseline covers
 */
public record RunComparison(
        String scope, String name, String measure, double current, double baseline, int baselineRuns) {

    public RunComparison {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(measure, "measure");
    }

    /** current / baseline; NaN when the baseline is 0. */
    public double ratio() {
        return baseline == 0 ? Double.NaN : current / baseline;
    }

    /** The comparisons of {@code run} (usually {@link RunHistory#ofRun}) with {@code earlier} (e.g. {@link RunHistory#latest}). */
    public static List<RunComparison> of(RunHistory run, RunHistory earlier) {
        Objects.requireNonNull(run, "run must not be null");
        Objects.requireNonNull(earlier, "earlier must not be null");
        int n = earlier.runs().size();
        List<RunComparison> out = new ArrayList<>();
        for (Map.Entry<TaskType, RunHistory.TypeHistory> e : run.types().entrySet()) {
            RunHistory.TypeHistory before = earlier.types().get(e.getKey());
            if (before == null) {
                continue;
            }
            RunHistory.TypeHistory now = e.getValue();
            String type = e.getKey().name();
            add(
                    out,
                    "type",
                    type,
                    "medianSeconds",
                    now.seconds().median(),
                    before.seconds().median(),
                    n);
            add(out, "type", type, "failureRate", now.failureRate(), before.failureRate(), n);
            add(
                    out,
                    "type",
                    type,
                    "costPerCompletedTask",
                    now.costPerCompletedTask(),
                    before.costPerCompletedTask(),
                    n);
            add(out, "type", type, "quality", now.quality(), before.quality(), n);
        }
        run.phases().forEach((phase, d) -> {
            RunHistory.DurationStats before = earlier.phases().get(phase);
            if (before != null) {
                add(out, "phase", phase, "medianSeconds", d.median(), before.median(), n);
            }
        });
        return List.copyOf(out);
    }

    private static void add(
            List<RunComparison> out, String scope, String name, String measure, double now, double before, int n) {
        if (Double.isFinite(now) && Double.isFinite(before)) {
            out.add(new RunComparison(scope, name, measure, now, before, n));
        }
    }

    /** One line of plain English. */
    public String describe() {
        String runs = baselineRuns == 1 ? "the last run" : "the last " + baselineRuns + " runs";
        String what = "phase".equals(scope) ? "phase " + name : name + " tasks";
        String times = Double.isNaN(ratio()) ? "" : String.format(Locale.ROOT, " (%.2f×)", ratio());
        return switch (measure) {
            case "medianSeconds" ->
                String.format(
                        Locale.ROOT,
                        "this run's %s take %.2f× as long as in %s (%s vs %s median)",
                        what,
                        ratio(),
                        runs,
                        Insights.human(current),
                        Insights.human(baseline));
            case "failureRate" ->
                String.format(
                        Locale.ROOT,
                        "%s failed %.0f %% of attempts, %.0f %% in %s",
                        what,
                        100 * current,
                        100 * baseline,
                        runs);
            case "costPerCompletedTask" ->
                String.format(
                        Locale.ROOT,
                        "%s cost %.4f per completed task, %.4f in %s%s",
                        what,
                        current,
                        baseline,
                        runs,
                        times);
            default -> String.format(Locale.ROOT, "%s mean quality %.2f, %.2f in %s", what, current, baseline, runs);
        };
    }
}

package dev.progresstracker.analytics;

import dev.progresstracker.core.ProgressSummary;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a run's figures for consistency and returns the problems found (an empty list for a
 * consistent run). A tracker's own state passes; a run read from a damaged or hand-edited store,
 * or a sink's reconstruction, may not. Checks, each a {@link Problem#code()}:
 * <ul>
 *   <li>{@code duplicate-task}: two tasks with one id;</li>
 *   <li>{@code percent-range}: the run's or a task's percent, or a stage's progress, outside 0..100 or not finite;</li>
 *   <li>{@code finished-before-started}: a task's or the run's finish before its start;</li>
 *   <li>{@code finish-missing}: a COMPLETED or FAILED task without a finish time;</li>
 *   <li>{@code attempt}: a task that ran (any status but NOT_STARTED, SKIPPED, CANCELLED) with attempt 0, or a negative attempt;</li>
 *   <li>{@code usage}: failed calls above calls, negative counters or cost, cost without a currency, quality outside 0..1
 *       (the records refuse most of these; the check is for states built around them);</li>
 *   <li>{@code unknown-parent}: a parent id no task has;</li>
 *   <li>{@code parent-status}: a final parent with a running or paused child, or a COMPLETED parent with a child
 *       neither COMPLETED nor SKIPPED (core's derivation never produces either);</li>
 *   <li>{@code parent-percent}: a parent's percent more than 0.01 from its children's weighted mean (children
 *       counting in the roll-up only);</li>
 *   <li>{@code counts}: a summary's per-status counts not adding up to its total, or not matching the tasks.</li>
 * </ul>
 * Stateless, thread-safe; O(tasks).
 */
public final class RunValidation {

    /** One inconsistency: a stable code (above), the task concerned (null for the run) and what was found. */
    public record Problem(String code, String taskId, String message) {
        public Problem {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    private static final double PERCENT_TOLERANCE = 0.01;

    private RunValidation() {}

    /** The problems of a stored or snapshotted run. */
    public static List<Problem> check(RunState state) {
        Objects.requireNonNull(state, "state must not be null");
        List<Problem> out = new ArrayList<>();
        RunInfo info = state.info();
        percent(out, null, "run percent", info.percent());
        if (info.startedAt() != null
                && info.finishedAt() != null
                && info.finishedAt().isBefore(info.startedAt())) {
            out.add(new Problem(
                    "finished-before-started",
                    null,
                    "the run finished at " + info.finishedAt() + ", before it started at " + info.startedAt()));
        }
        tasks(out, state.tasks());
        return List.copyOf(out);
    }

    /** The problems of a run's state plus those of a summary taken of it (counts against the tasks). */
    public static List<Problem> check(RunState state, ProgressSummary summary) {
        List<Problem> out = new ArrayList<>(check(state));
        int sum = summary.taskCounts().values().stream()
                .mapToInt(Integer::intValue)
                .sum();
        if (sum != summary.totalTasks()) {
            out.add(new Problem(
                    "counts",
                    null,
                    "task counts per status add up to " + sum + ", not the total " + summary.totalTasks()));
        }
        Map<TaskStatus, Integer> actual = new EnumMap<>(TaskStatus.class);
        state.tasks().forEach(t -> actual.merge(t.status(), 1, Integer::sum));
        for (TaskStatus s : TaskStatus.values()) {
            int claimed = summary.taskCounts().getOrDefault(s, 0);
            int found = actual.getOrDefault(s, 0);
            if (claimed != found) {
                out.add(new Problem(
                        "counts", null, "the summary counts " + claimed + " " + s + " tasks, the run has " + found));
            }
        }
        return List.copyOf(out);
    }

    private static void tasks(List<Problem> out, List<TaskView> tasks) {
        Map<String, TaskView> byId = new LinkedHashMap<>();
        Map<String, List<TaskView>> children = new LinkedHashMap<>();
        for (TaskView t : tasks) {
            if (byId.putIfAbsent(t.taskId(), t) != null) {
                out.add(new Problem("duplicate-task", t.taskId(), "task " + t.taskId() + " appears more than once"));
            }
            if (t.parentTaskId() != null) {
                children.computeIfAbsent(t.parentTaskId(), k -> new ArrayList<>())
                        .add(t);
            }
        }
        for (TaskView t : tasks) {
            task(out, t);
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, List<TaskView>> e : children.entrySet()) {
            TaskView parent = byId.get(e.getKey());
            if (parent == null) {
                for (TaskView c : e.getValue()) {
                    out.add(new Problem(
                            "unknown-parent",
                            c.taskId(),
                            "task " + c.taskId() + " names parent " + e.getKey() + ", which is not in the run"));
                }
            } else if (seen.add(parent.taskId())) {
                parent(out, parent, e.getValue());
            }
        }
    }

    private static void task(List<Problem> out, TaskView t) {
        String id = t.taskId();
        percent(out, id, "task " + id + " percent", t.percent());
        percent(out, id, "task " + id + " stage progress", t.stageProgress());
        if (t.startedAt() != null && t.finishedAt() != null && t.finishedAt().isBefore(t.startedAt())) {
            out.add(new Problem(
                    "finished-before-started",
                    id,
                    "task " + id + " finished at " + t.finishedAt() + ", before it started at " + t.startedAt()));
        }
        if ((t.status() == TaskStatus.COMPLETED || t.status() == TaskStatus.FAILED) && t.finishedAt() == null) {
            out.add(new Problem("finish-missing", id, "task " + id + " is " + t.status() + " without a finish time"));
        }
        boolean ran = t.status() != TaskStatus.NOT_STARTED
                && t.status() != TaskStatus.SKIPPED
                && t.status() != TaskStatus.CANCELLED;
        if (t.attempt() < 0 || ran && t.attempt() == 0) {
            out.add(new Problem("attempt", id, "task " + id + " is " + t.status() + " at attempt " + t.attempt()));
        }
        var u = t.usage();
        if (u.apiCalls() < 0
                || u.apiCallsFailed() < 0
                || u.apiCallsFailed() > u.apiCalls()
                || u.rateLimitHits() < 0
                || u.rateLimitDelayMillis() < 0
                || u.tokensIn() < 0
                || u.tokensOut() < 0
                || !(u.cost() >= 0)) {
            out.add(new Problem("usage", id, "task " + id + " has negative or inconsistent usage counters: " + u));
        }
        if (u.cost() > 0 && u.currency() == null) {
            out.add(new Problem("usage", id, "task " + id + " has a cost of " + u.cost() + " without a currency"));
        }
        if (u.quality() != null && !(u.quality() >= 0 && u.quality() <= 1)) {
            out.add(new Problem("usage", id, "task " + id + " has quality " + u.quality() + ", outside 0..1"));
        }
    }

    private static void parent(List<Problem> out, TaskView p, List<TaskView> kids) {
        String id = p.taskId();
        for (TaskView c : kids) {
            boolean active = c.status() == TaskStatus.IN_PROGRESS || c.status() == TaskStatus.PAUSED;
            if (p.status().isFinal() && active) {
                out.add(new Problem(
                        "parent-status",
                        id,
                        "parent " + id + " is " + p.status() + " while its child " + c.taskId() + " is " + c.status()));
            } else if (p.status() == TaskStatus.COMPLETED
                    && c.status() != TaskStatus.COMPLETED
                    && c.status() != TaskStatus.SKIPPED) {
                out.add(new Problem(
                        "parent-status",
                        id,
                        "parent " + id + " is COMPLETED while its child " + c.taskId() + " is " + c.status()));
            }
        }
        double weight = 0;
        double sum = 0;
        for (TaskView c : kids) {
            if (c.status().countsInRollUp()) {
                weight += c.weight();
                sum += c.weight() * c.percent();
            }
        }
        if (weight > 0 && Math.abs(sum / weight - p.percent()) > PERCENT_TOLERANCE) {
            out.add(new Problem(
                    "parent-percent",
                    id,
                    String.format(
                            Locale.ROOT,
                            "parent %s is at %.2f %%, its children's weighted mean is %.2f %%",
                            id,
                            p.percent(),
                            sum / weight)));
        }
    }

    private static void percent(List<Problem> out, String taskId, String what, double v) {
        if (!(v >= 0 && v <= 100)) {
            out.add(new Problem("percent-range", taskId, what + " is " + v + ", outside 0..100"));
        }
    }
}

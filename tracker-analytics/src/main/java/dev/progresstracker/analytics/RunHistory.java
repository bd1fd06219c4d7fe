package dev.progresstracker.analytics;

import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.RunEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the completed runs of a store took: durations per task type, per phase and per plan, and
 * failures and retries per task type; {@link #priors()} turns them into an estimator's
 * {@link EtaPriors}. Read once ({@link #of(ProgressStore)} loads every completed run, O(stored
 * tasks + phase events)); immutable and thread-safe afterwards. New per-type or per-run figures
 * belong in {@link TypeHistory} or a new accessor, so callers keep compiling.
 */
public final class RunHistory {

    /** Durations in seconds over some tasks or runs. */
    public record DurationStats(int count, double median, double p90, double mean) {
        static DurationStats of(List<Double> seconds) {
            if (seconds.isEmpty()) {
                return new DurationStats(0, Double.NaN, Double.NaN, Double.NaN);
            }
            double[] s =
                    seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double mean = 0;
            for (double v : s) {
                mean += v / s.length;
            }
            return new DurationStats(s.length, quantile(s, 0.5), quantile(s, 0.9), mean);
        }

        private static double quantile(double[] sorted, double q) {
            double pos = q * (sorted.length - 1);
            int i = (int) Math.floor(pos);
            return i + 1 < sorted.length ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
        }
    }

    /**
     * One task type over the runs read: durations of its completed leaf tasks (first start to
     * finish, retries included), the same per unit of weight, and how often its tasks failed.
     *
     * @param tasks    leaf tasks of the type that were started
     * @param failures attempts that failed (a retried task failed once per retry; a task left failed once more)
     * @param retries  attempts after the first
     * @param completed leaf tasks of the type that completed
     * @param cost     estimated cost recorded by the type's leaf tasks (their {@code usage}), summed
     * @param quality  mean quality score of the type's leaf tasks that have one; NaN when none has
     */
    public record TypeHistory(
            TaskType type,
            DurationStats seconds,
            DurationStats secondsPerWeight,
            int tasks,
            int failures,
            int retries,
            int completed,
            double cost,
            double quality) {
        /** Estimated cost per completed task; NaN before any completed. */
        public double costPerCompletedTask() {
            return completed == 0 ? Double.NaN : cost / completed;
        }

        /** Failed attempts per attempt, 0..1. */
        public double failureRate() {
            return tasks + retries == 0 ? 0 : failures / (double) (tasks + retries);
        }

        public double retriesPerTask() {
            return tasks == 0 ? 0 : retries / (double) tasks;
        }
    }

    private final List<RunInfo> runs;
    private final Map<TaskType, TypeHistory> types;
    private final Map<String, DurationStats> phases;
    private final Map<String, DurationStats> plans;

    private RunHistory(
            List<RunInfo> runs,
            Map<TaskType, TypeHistory> types,
            Map<String, DurationStats> phases,
            Map<String, DurationStats> plans) {
        this.runs = List.copyOf(runs);
        this.types = Map.copyOf(types);
        this.phases = Map.copyOf(phases);
        this.plans = Map.copyOf(plans);
    }

    /** The completed runs of {@code store}. */
    public static RunHistory of(ProgressStore store) {
        return read(store, null, Integer.MAX_VALUE, null);
    }

    /**
     * The newest {@code lastRuns} completed runs of {@code store} (by finish time) other than
     * {@code excludedRunId}, of plan {@code planId} when it is not null: the baseline a run is
     * compared with ({@link RunComparison}).
     */
    public static RunHistory latest(ProgressStore store, String planId, int lastRuns, String excludedRunId) {
        if (lastRuns < 1) {
            throw new IllegalArgumentException("lastRuns must be at least 1, got " + lastRuns);
        }
        return read(store, planId, lastRuns, excludedRunId);
    }

    /** The figures of one run as it is (finished or not), phases included: the side of a comparison being judged. */
    public static RunHistory ofRun(RunState run, List<ProgressEvent> events) {
        Builder b = new Builder();
        b.add(run, events);
        return b.build();
    }

    /** The completed runs of {@code store} with plan {@code planId}. */
    public static RunHistory of(ProgressStore store, String planId) {
        return read(store, Objects.requireNonNull(planId, "planId must not be null"), Integer.MAX_VALUE, null);
    }

    private static RunHistory read(ProgressStore store, String planId, int limit, String excluded) {
        Objects.requireNonNull(store, "store must not be null");
        Builder b = new Builder();
        List<RunInfo> completed = new ArrayList<>();
        for (RunInfo info : store.listRuns()) {
            if (info.status() == RunStatus.COMPLETED
                    && (planId == null || planId.equals(info.planId()))
                    && !info.runId().equals(excluded)) {
                completed.add(info);
            }
        }
        completed.sort(
                java.util.Comparator.comparing((RunInfo r) -> r.finishedAt() == null ? Instant.MIN : r.finishedAt())
                        .reversed());
        for (RunInfo info : completed.subList(0, Math.min(limit, completed.size()))) {
            Optional<RunState> run = store.loadRun(info.runId());
            if (run.isPresent()) {
                List<ProgressEvent> events = store.eventsSince(
                                info.runId(), 0, (int) Math.min(Integer.MAX_VALUE, info.lastSequence()))
                        .orElse(List.of());
                b.add(run.get(), events);
            }
        }
        return b.build();
    }

    /** The history of {@code runs} (completed ones count; others are ignored), without phases. */
    public static RunHistory of(List<RunState> runs) {
        Builder b = new Builder();
        runs.stream().filter(r -> r.info().status() == RunStatus.COMPLETED).forEach(r -> b.add(r, List.of()));
        return b.build();
    }

    /** The runs read, newest update first. */
    public List<RunInfo> runs() {
        return runs;
    }

    public Map<TaskType, TypeHistory> types() {
        return types;
    }

    public Optional<TypeHistory> type(TaskType type) {
        return Optional.ofNullable(types.get(type));
    }

    /** Time from a phase's start to the next phase or the run's end, per phase name (runs whose events are still stored). */
    public Map<String, DurationStats> phases() {
        return phases;
    }

    /** Run durations (start to finish) per plan id; runs without a plan under {@code ""}. */
    public Map<String, DurationStats> plans() {
        return plans;
    }

    /** Per-type priors for an {@link AdaptiveEstimator}: each type's median seconds per weight. */
    public EtaPriors priors() {
        Map<TaskType, Double> spw = new HashMap<>();
        types.forEach((type, h) -> {
            double m = h.secondsPerWeight().median();
            if (m > 0) {
                spw.put(type, m);
            }
        });
        return new EtaPriors(spw, runs.size());
    }

    @Override
    public String toString() {
        return "RunHistory[" + runs.size() + " runs, " + types.size() + " task types]";
    }

    private static final class Builder {
        private final List<RunInfo> runs = new ArrayList<>();
        private final Map<TaskType, List<Double>> seconds = new LinkedHashMap<>();
        private final Map<TaskType, List<Double>> perWeight = new HashMap<>();
        private final Map<TaskType, int[]> counts =
                new HashMap<>(); // tasks, failures, retries, completed, quality scores
        private final Map<TaskType, double[]> usage = new HashMap<>(); // cost, quality sum
        private final Map<String, List<Double>> phases = new LinkedHashMap<>();
        private final Map<String, List<Double>> plans = new LinkedHashMap<>();

        void add(RunState run, List<ProgressEvent> events) {
            runs.add(run.info());
            Set<String> parents = new HashSet<>();
            run.tasks().forEach(t -> {
                if (t.parentTaskId() != null) {
                    parents.add(t.parentTaskId());
                }
            });
            for (TaskView t : run.tasks()) {
                if (parents.contains(t.taskId()) || t.attempt() == 0) {
                    continue;
                }
                int[] c = counts.computeIfAbsent(t.type(), k -> new int[5]);
                c[0]++;
                c[1] += t.attempt() - 1 + (t.status() == TaskStatus.FAILED ? 1 : 0);
                c[2] += t.attempt() - 1;
                c[3] += t.status() == TaskStatus.COMPLETED ? 1 : 0;
                double[] u = usage.computeIfAbsent(t.type(), k -> new double[2]);
                u[0] += t.usage().cost();
                if (t.usage().quality() != null) {
                    c[4]++;
                    u[1] += t.usage().quality();
                }
                if (t.status() == TaskStatus.COMPLETED && t.startedAt() != null && t.finishedAt() != null) {
                    double s = seconds(t.startedAt(), t.finishedAt());
                    seconds.computeIfAbsent(t.type(), k -> new ArrayList<>()).add(s);
                    if (t.weight() > 0) {
                        perWeight
                                .computeIfAbsent(t.type(), k -> new ArrayList<>())
                                .add(s / t.weight());
                    }
                }
            }
            RunInfo info = run.info();
            if (info.startedAt() != null && info.finishedAt() != null) {
                plans.computeIfAbsent(info.planId() == null ? "" : info.planId(), k -> new ArrayList<>())
                        .add(seconds(info.startedAt(), info.finishedAt()));
            }
            addPhases(events, info.finishedAt());
        }

        private void addPhases(List<ProgressEvent> events, Instant end) {
            String phase = null;
            Instant since = null;
            for (ProgressEvent e : events) {
                if (e.type() == EventType.UPGRADE_STARTED || e.type() == EventType.PHASE_CHANGED) {
                    String next = ((RunEvent) e).run().phase();
                    if (phase != null && since != null) {
                        phases.computeIfAbsent(phase, k -> new ArrayList<>())
                                .add(seconds(since, e.header().time()));
                    }
                    phase = next;
                    since = e.header().time();
                }
            }
            if (phase != null && end != null) {
                phases.computeIfAbsent(phase, k -> new ArrayList<>()).add(seconds(since, end));
            }
        }

        RunHistory build() {
            Map<TaskType, TypeHistory> types = new LinkedHashMap<>();
            counts.forEach((type, c) -> types.put(
                    type,
                    new TypeHistory(
                            type,
                            DurationStats.of(seconds.getOrDefault(type, List.of())),
                            DurationStats.of(perWeight.getOrDefault(type, List.of())),
                            c[0],
                            c[1],
                            c[2],
                            c[3],
                            usage.get(type)[0],
                            c[4] == 0 ? Double.NaN : usage.get(type)[1] / c[4])));
            Map<String, DurationStats> phaseStats = new LinkedHashMap<>();
            phases.forEach((k, v) -> phaseStats.put(k, DurationStats.of(v)));
            Map<String, DurationStats> planStats = new LinkedHashMap<>();
            plans.forEach((k, v) -> planStats.put(k, DurationStats.of(v)));
            return new RunHistory(runs, types, phaseStats, planStats);
        }

        private static double seconds(Instant a, Instant b) {
            return Duration.between(a, b).toNanos() / 1e9;
        }
    }
}

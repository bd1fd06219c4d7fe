package dev.progresstracker.analytics;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.TaskStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The analytics alert rules of one run, with thresholds from {@link AnalyticsConfig}. Given the
 * run's analytics, its ETA and the time, {@link #evaluate} returns every alert that should be
 * active now; the tracker raises the new ones and clears the ones no longer returned (alerts of
 * other rules, e.g. raised by the caller, are left alone). Rules:
 * <ul>
 *   <li>{@value #STALLED_TASK}: a running (not paused) task without progress for {@code stallTimeout};</li>
 *   <li>{@value #SLOW_PROCESSING}: a running task over {@code slowTaskFactor} × its type's median duration
 *       and over {@code slowTaskMinDuration};</li>
 *   <li>{@value #HIGH_ERROR_RATE}: failed / finished attempts above {@code maxErrorRate} (after {@code minAttempts});
 *       cleared again at or below 80 % of the threshold;</li>
 *   <li>{@value #LOW_THROUGHPUT}: fewer than {@code minTasksPerMinute} over the throughput window (off when 0),
 *       judged once the run has lasted a full window;</li>
 *   <li>{@value #ETA_DEVIATION}: projected run duration (elapsed + ETA) more than {@code etaDeviationPercent}
 *       above the first projection made with confidence ≥ 0.3 after 10 % progress; cleared below half that excess;</li>
 *   <li>{@value #RATE_LIMITING}: more than {@code maxRateLimitsPerMinute} rate-limit hits per minute over the
 *       throughput window (judged once the run has lasted one bucket), with a recommendation: smaller batches
 *       (what {@link BatchSizeAdvisor} does once the throttled batches' failures are recorded) or a longer pause;</li>
 *   <li>{@value #QUALITY_DEGRADATION}: once {@code qualityWindow} scores were set, the run's mean quality or the
 *       newest window's is below {@code minQuality}, or the newest window fell more than {@code qualityDrop}
 *       below the window before it;</li>
 *   <li>{@value #COST_OVER_BUDGET}: the run's estimated cost above {@code costBudget} (critical);</li>
 *   <li>{@value #RESOURCE_PRESSURE}: the agent JVM's heap after GC above {@code maxHeapAfterGc} or its process
 *       CPU above {@code maxProcessCpu}, from a {@link ResourceProbe}; asked on run-level evaluations only
 *       (the timer, {@code evaluateAlerts()}, run events), never per task event.</li>
 * </ul>
 * Thresholds of 0 turn the usage rules off.
 * A finished run has no active rule alerts. Stateful (hysteresis, ETA baseline); not thread-safe.
 */
public final class AlertRules {

    public static final String STALLED_TASK = "stalled-task";
    public static final String SLOW_PROCESSING = "slow-processing";
    public static final String HIGH_ERROR_RATE = "high-error-rate";
    public static final String LOW_THROUGHPUT = "low-throughput";
    public static final String ETA_DEVIATION = "eta-deviation";
    public static final String RATE_LIMITING = "rate-limiting";
    public static final String QUALITY_DEGRADATION = "quality-degradation";
    public static final String COST_OVER_BUDGET = "cost-over-budget";
    public static final String RESOURCE_PRESSURE = "resource-pressure";

    /** Every rule name this class manages. */
    public static final Set<String> RULES = Set.of(
            STALLED_TASK,
            SLOW_PROCESSING,
            HIGH_ERROR_RATE,
            LOW_THROUGHPUT,
            ETA_DEVIATION,
            RATE_LIMITING,
            QUALITY_DEGRADATION,
            COST_OVER_BUDGET,
            RESOURCE_PRESSURE);

    private static final double BASELINE_CONFIDENCE = 0.3;
    private static final double BASELINE_PERCENT = 10;

    private final AnalyticsConfig config;
    private final ResourceProbe probe;
    private boolean errorRateHigh;
    private boolean etaDeviating;
    private double baselineSeconds = Double.NaN;

    /** Rules without a resource probe (the resource-pressure rule stays silent). */
    public AlertRules(AnalyticsConfig config) {
        this(config, ResourceProbe.none());
    }

    public AlertRules(AnalyticsConfig config, ResourceProbe probe) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.probe = Objects.requireNonNull(probe, "probe must not be null");
    }

    /**
     * The alerts that should be active at {@code now}, keyed by alert id. An alert already in
     * {@code active} is returned as it is (its message is not rebuilt on every event).
     *
     * @param percent run percent
     * @param eta     current ETA, or null
     * @param active  alerts active now, by id
     */
    public Map<String, Alert> evaluate(
            RunAnalytics a, double percent, Eta eta, Instant now, Map<String, Alert> active) {
        return evaluate(a, percent, eta, now, active, null);
    }

    /**
     * Same, but with {@code onlyTaskId} non-null the per-task rules look at that task alone (what the
     * tracker does after each event, keeping the hot path O(1)); the timer and
     * {@code evaluateAlerts()} look at every running task. The caller then only clears run-level
     * alerts and alerts of {@code onlyTaskId}.
     */
    public Map<String, Alert> evaluate(
            RunAnalytics a, double percent, Eta eta, Instant now, Map<String, Alert> active, String onlyTaskId) {
        Map<String, Alert> out = new LinkedHashMap<>();
        if (a.finished() || a.started() == null) {
            return out;
        }
        Iterable<RunAnalytics.TaskInfo> tasks = onlyTaskId == null ? a.running() : a.runningTask(onlyTaskId);
        for (RunAnalytics.TaskInfo t : tasks) {
            if (t.status != TaskStatus.IN_PROGRESS) {
                continue;
            }
            double quiet = t.lastProgress == null ? 0 : RunAnalytics.seconds(t.lastProgress, now);
            if (quiet >= config.stallTimeout().toNanos() / 1e9 && !keep(out, active, t.stalledId())) {
                put(
                        out,
                        new Alert(
                                t.stalledId(),
                                STALLED_TASK,
                                Alert.Severity.WARNING,
                                "task " + t.taskId + " has made no progress for " + Insights.human(quiet),
                                t.taskId));
            }
            double median = a.medianSeconds(t.type);
            double running = t.attemptStart == null ? 0 : RunAnalytics.seconds(t.attemptStart, now);
            if (median > 0
                    && running > config.slowTaskFactor() * median
                    && running >= config.slowTaskMinDuration().toNanos() / 1e9
                    && !keep(out, active, t.slowId())) {
                put(
                        out,
                        new Alert(
                                t.slowId(),
                                SLOW_PROCESSING,
                                Alert.Severity.WARNING,
                                String.format(
                                        Locale.ROOT,
                                        "task %s has run %s, %.1f× the median %s task (%s)",
                                        t.taskId,
                                        Insights.human(running),
                                        running / median,
                                        t.type,
                                        Insights.human(median)),
                                t.taskId));
            }
        }
        long attempts = a.completed() + a.failedAttempts();
        if (attempts >= config.minAttempts()) {
            double rate = a.errorRate();
            errorRateHigh = errorRateHigh ? rate > 0.8 * config.maxErrorRate() : rate > config.maxErrorRate();
            if (errorRateHigh && !keep(out, active, HIGH_ERROR_RATE)) {
                put(
                        out,
                        new Alert(
                                HIGH_ERROR_RATE,
                                HIGH_ERROR_RATE,
                                Alert.Severity.CRITICAL,
                                String.format(
                                        Locale.ROOT,
                                        "%.0f %% of %d finished attempts failed (threshold %.0f %%)",
                                        100 * rate,
                                        attempts,
                                        100 * config.maxErrorRate()),
                                null));
            }
        }
        double elapsed = RunAnalytics.seconds(a.started(), now);
        double windowSeconds =
                config.throughputWindow() * config.throughputBucket().toNanos() / 1e9;
        if (config.minTasksPerMinute() > 0 && elapsed >= windowSeconds) {
            double tpm = a.tasksPerMinute(now);
            if (tpm < config.minTasksPerMinute() && !keep(out, active, LOW_THROUGHPUT)) {
                put(
                        out,
                        new Alert(
                                LOW_THROUGHPUT,
                                LOW_THROUGHPUT,
                                Alert.Severity.WARNING,
                                String.format(
                                        Locale.ROOT, "%.2f tasks/min, below %.2f", tpm, config.minTasksPerMinute()),
                                null));
            }
        }
        etaDeviation(out, percent, eta, elapsed, active);
        UsageRules.evaluate(config, a, now, elapsed, active, out);
        if (onlyTaskId == null) {
            UsageRules.resources(config, probe, active, out);
        } else {
            keep(out, active, RESOURCE_PRESSURE);
        }
        return out;
    }

    private void etaDeviation(
            Map<String, Alert> out, double percent, Eta eta, double elapsed, Map<String, Alert> active) {
        if (eta == null) {
            return;
        }
        double projected = elapsed + eta.seconds();
        if (Double.isNaN(baselineSeconds)) {
            if (percent >= BASELINE_PERCENT && eta.confidence() >= BASELINE_CONFIDENCE) {
                baselineSeconds = projected;
            }
            return;
        }
        double excess = 100 * (projected - baselineSeconds) / baselineSeconds;
        etaDeviating = etaDeviating ? excess > config.etaDeviationPercent() / 2 : excess > config.etaDeviationPercent();
        if (etaDeviating && !keep(out, active, ETA_DEVIATION)) {
            put(
                    out,
                    new Alert(
                            ETA_DEVIATION,
                            ETA_DEVIATION,
                            Alert.Severity.WARNING,
                            String.format(
                                    Locale.ROOT,
                                    "projected duration %s is %.0f %% above the first projection %s",
                                    Insights.human(projected),
                                    excess,
                                    Insights.human(baselineSeconds)),
                            null));
        }
    }

    /** Forgets the ETA baseline and hysteresis (after a restart the projection starts over). */
    public void reset() {
        errorRateHigh = false;
        etaDeviating = false;
        baselineSeconds = Double.NaN;
    }

    /** Ids the rules can raise for the run and for {@code taskId} (null: run-level only). */
    public static List<String> idsInScope(String taskId) {
        return taskId == null
                ? RUN_IDS
                : List.of(
                        HIGH_ERROR_RATE,
                        LOW_THROUGHPUT,
                        ETA_DEVIATION,
                        RATE_LIMITING,
                        QUALITY_DEGRADATION,
                        COST_OVER_BUDGET,
                        RESOURCE_PRESSURE,
                        STALLED_TASK + ":" + taskId,
                        SLOW_PROCESSING + ":" + taskId);
    }

    /**
     * Same as {@link #idsInScope(String)} for a task {@code a} has seen, from a list kept with the
     * task (no allocation per event); falls back to building it for an unknown task.
     */
    public static List<String> idsInScope(RunAnalytics a, String taskId) {
        if (taskId == null) {
            return RUN_IDS;
        }
        RunAnalytics.TaskInfo t = a.task(taskId);
        if (t == null) {
            return idsInScope(taskId);
        }
        if (t.alertIds == null) {
            t.alertIds = idsInScope(taskId);
        }
        return t.alertIds;
    }

    private static final List<String> RUN_IDS = List.of(
            HIGH_ERROR_RATE,
            LOW_THROUGHPUT,
            ETA_DEVIATION,
            RATE_LIMITING,
            QUALITY_DEGRADATION,
            COST_OVER_BUDGET,
            RESOURCE_PRESSURE);

    /** Keeps an active alert as it is; true if it was active. */
    static boolean keep(Map<String, Alert> out, Map<String, Alert> active, String id) {
        Alert a = active.get(id);
        if (a != null) {
            out.put(id, a);
        }
        return a != null;
    }

    static void put(Map<String, Alert> out, Alert a) {
        out.put(a.alertId(), a);
    }
}

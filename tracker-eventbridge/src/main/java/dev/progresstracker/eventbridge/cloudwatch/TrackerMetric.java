package dev.progresstracker.eventbridge.cloudwatch;

import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The metrics the tracker publishes: one stable list, named for CloudWatch ({@link #cloudWatchName()},
 * with a unit and the statistic to graph and alarm on) and for Prometheus ({@link #prometheusName()}).
 * The README's metrics table, the dashboard and the alarms in {@code deploy/} are checked against it.
 *
 * <p>Dimensions of a run metric: {@code ClusterName} and {@code PlanId} (one series per plan of a
 * cluster; "none" when unset), plus a second series with {@code RunId} when
 * {@link CloudWatchConfig#includeRunId()}. {@link #byPhase()} metrics also get a series with
 * {@code Phase}; {@link #ALERTS_ACTIVE} always carries {@code Severity}, {@link #ESTIMATED_COST} the
 * pricing's {@code Currency} (a series per currency). Usage counters ({@link #isUsageCounter()}) count
 * the increase of each task's usage totals, which every task event carries. The EventBridge metrics
 * ({@link #isProcessMetric()}) carry {@code ClusterName} only.
 *
 * <p>A counter ({@link Kind#COUNTER}) is published as the count since the previous publish (graph
 * it with {@code Sum}); a gauge as its current value. Adding a counter fed by events is one
 * constant: name, unit, Prometheus name, help text and what one event adds.
 */
public enum TrackerMetric {
    RUN_PERCENT("RunPercent", Unit.PERCENT, Kind.GAUGE, "tracker_run_percent", "Run completion, 0..100"),
    ETA_SECONDS(
            "EtaSeconds",
            Unit.SECONDS,
            Kind.GAUGE,
            "tracker_eta_seconds",
            "Estimated seconds until the run completes; absent while no estimate exists"),
    ETA_SLIP_PERCENT(
            "EtaSlipPercent",
            Unit.PERCENT,
            Kind.GAUGE,
            "tracker_eta_slip_percent",
            "How far the projected run duration (elapsed + ETA) lies above the first projection made after 10 % progress"),
    SECONDS_SINCE_PROGRESS(
            "SecondsSinceProgress",
            Unit.SECONDS,
            Kind.GAUGE,
            "tracker_last_progress_age_seconds",
            "Seconds since the run's last task event; published only while the run is in progress"),
    TASKS_COMPLETED(
            "TasksCompleted",
            Unit.COUNT,
            Kind.COUNTER,
            "tracker_tasks_completed_total",
            "Tasks completed",
            e -> e.type() == EventType.TASK_COMPLETED ? 1 : 0),
    TASKS_FAILED(
            "TasksFailed",
            Unit.COUNT,
            Kind.COUNTER,
            "tracker_tasks_failed_total",
            "Task attempts that failed",
            e -> e.type() == EventType.TASK_FAILED ? 1 : 0),
    TASKS_RETRIED(
            "TasksRetried",
            Unit.COUNT,
            Kind.COUNTER,
            "tracker_tasks_retried_total",
            "Tasks started again after a failure",
            e -> e.type() == EventType.TASK_STARTED && ((TaskEvent) e).task().attempt() > 1 ? 1 : 0),
    UPGRADES_COMPLETED(
            "UpgradesCompleted",
            Unit.COUNT,
            Kind.COUNTER,
            "tracker_upgrades_completed_total",
            "Runs completed",
            e -> e.type() == EventType.UPGRADE_COMPLETED ? 1 : 0),
    UPGRADES_FAILED(
            "UpgradesFailed",
            Unit.COUNT,
            Kind.COUNTER,
            "tracker_upgrades_failed_total",
            "Runs failed",
            e -> e.type() == EventType.UPGRADE_FAILED ? 1 : 0),
    API_CALLS(
            "ApiCalls",
            Unit.COUNT,
            Kind.COUNTER,
            "tracker_api_calls_total",
            "External API calls made by the run's tasks (recordApiCall), successful or not",
            null,
            TaskUsage::apiCalls),
    API_CALLS_FAILED(
            "ApiCallsFailed",
            Unit.COUNT,
            Kind.COUNTER,
            "tracker_api_calls_failed_total",
            "External API calls that failed (a part of ApiCalls)",
            null,
            TaskUsage::apiCallsFailed),
    RATE_LIMIT_HITS(
            "RateLimitHits",
            Unit.COUNT,
            Kind.COUNTER,
            "tracker_rate_limit_hits_total",
            "Times a task was throttled (recordRateLimit)",
            null,
            TaskUsage::rateLimitHits),
    RATE_LIMIT_DELAY(
            "RateLimitDelay",
            Unit.SECONDS,
            Kind.COUNTER,
            "tracker_rate_limit_delay_seconds_total",
            "Time tasks waited because of throttling",
            null,
            (TaskUsage u) -> u.rateLimitDelayMillis() / 1000.0),
    TOKENS_IN(
            "TokensIn",
            Unit.COUNT,
            Kind.COUNTER,
            "tracker_tokens_in_total",
            "Model input tokens (recordUsage)",
            null,
            TaskUsage::tokensIn),
    TOKENS_OUT(
            "TokensOut",
            Unit.COUNT,
            Kind.COUNTER,
            "tracker_tokens_out_total",
            "Model output tokens (recordUsage)",
            null,
            TaskUsage::tokensOut),
    ESTIMATED_COST(
            "EstimatedCost",
            Unit.NONE,
            Kind.COUNTER,
            "tracker_estimated_cost_total",
            "Estimated cost of the tokens at the tracker's pricing, in the currency named by the Currency dimension",
            null,
            TaskUsage::cost),
    QUALITY_SCORE(
            "QualityScore",
            Unit.NONE,
            Kind.GAUGE,
            "tracker_quality_score",
            "Mean quality score (0..1) of the scored tasks of the plan's latest run that scored any, weighted by task weight"),
    STALLED_TASKS(
            "StalledTasks",
            Unit.COUNT,
            Kind.GAUGE,
            "tracker_stalled_tasks",
            "Running tasks with an active stalled-task alert"),
    ALERTS_ACTIVE(
            "AlertsActive",
            Unit.COUNT,
            Kind.GAUGE,
            "tracker_alerts_active",
            "Active alerts, by Severity (INFO, WARNING, CRITICAL)"),
    PUBLISH_LAG_P99(
            "PublishLagP99",
            Unit.MILLISECONDS,
            Kind.GAUGE,
            "tracker_eventbridge_publish_lag_p99_seconds",
            "99th percentile of the time from receipt by the EventBridge sink to acceptance, over about two minutes"),
    OUTBOX_DEPTH(
            "OutboxDepth",
            Unit.COUNT,
            Kind.GAUGE,
            "tracker_eventbridge_outbox_depth",
            "Events in the EventBridge sink's durable outbox, waiting to be published");

    /** Dimension names (CloudWatch) and their Prometheus labels. */
    public static final String CLUSTER_NAME = "ClusterName";

    public static final String PLAN_ID = "PlanId";
    public static final String RUN_ID = "RunId";
    public static final String PHASE = "Phase";
    public static final String SEVERITY = "Severity";
    public static final String CURRENCY = "Currency";

    /** What a usage counter counts of a task's usage totals. */
    @FunctionalInterface
    interface UsageCount {
        double of(TaskUsage usage);
    }

    /** Counter or gauge. */
    public enum Kind {
        COUNTER,
        GAUGE
    }

    /** A CloudWatch {@code StandardUnit} name; Prometheus states the unit in the metric name instead. */
    public enum Unit {
        PERCENT("Percent"),
        SECONDS("Seconds"),
        MILLISECONDS("Milliseconds"),
        COUNT("Count"),
        NONE("None");

        private final String cloudWatch;

        Unit(String cloudWatch) {
            this.cloudWatch = cloudWatch;
        }

        /** The CloudWatch unit, e.g. {@code Percent}. */
        public String cloudWatch() {
            return cloudWatch;
        }
    }

    private final String cloudWatchName;
    private final Unit unit;
    private final Kind kind;
    private final String prometheusName;
    private final String description;
    private final ToDoubleFunction<ProgressEvent> increment;
    private final UsageCount usage;

    TrackerMetric(String cloudWatchName, Unit unit, Kind kind, String prometheusName, String description) {
        this(cloudWatchName, unit, kind, prometheusName, description, null, null);
    }

    TrackerMetric(
            String cloudWatchName,
            Unit unit,
            Kind kind,
            String prometheusName,
            String description,
            ToDoubleFunction<ProgressEvent> increment) {
        this(cloudWatchName, unit, kind, prometheusName, description, increment, null);
    }

    TrackerMetric(
            String cloudWatchName,
            Unit unit,
            Kind kind,
            String prometheusName,
            String description,
            ToDoubleFunction<ProgressEvent> increment,
            UsageCount usage) {
        this.cloudWatchName = cloudWatchName;
        this.unit = unit;
        this.kind = kind;
        this.prometheusName = prometheusName;
        this.description = description;
        this.increment = increment;
        this.usage = usage;
    }

    public String cloudWatchName() {
        return cloudWatchName;
    }

    public Unit unit() {
        return unit;
    }

    public Kind kind() {
        return kind;
    }

    /** The name in the Prometheus exposition, with its unit and, for counters, {@code _total}. */
    public String prometheusName() {
        return prometheusName;
    }

    public String description() {
        return description;
    }

    /** The statistic to graph and alarm on: {@code Sum} for counters, {@code Maximum} for gauges. */
    public String statistic() {
        return kind == Kind.COUNTER ? "Sum" : "Maximum";
    }

    /** When a value is published (all of them every step and once on close, if they exist then). */
    public String publishedWhen() {
        return switch (this) {
            case ETA_SECONDS, SECONDS_SINCE_PROGRESS -> "while the run is in progress";
            case ETA_SLIP_PERCENT -> "once the run had an ETA at 10 % or more";
            case PUBLISH_LAG_P99, OUTBOX_DEPTH -> "with an EventBridge sink on the metrics' registry";
            case ESTIMATED_COST -> "once a task's usage was priced (the cost since the last publish)";
            case RATE_LIMIT_DELAY -> "always (the delay since the last publish)";
            case QUALITY_SCORE -> "once a task has a quality score";
            default -> kind == Kind.COUNTER ? "always (the count since the last publish)" : "always";
        };
    }

    /** Whether a series per {@code Phase} is published too (task counters). */
    public boolean byPhase() {
        return this == TASKS_COMPLETED || this == TASKS_FAILED;
    }

    /** Whether the metric describes the publishing process (the EventBridge sink), not a run. */
    public boolean isProcessMetric() {
        return this == PUBLISH_LAG_P99 || this == OUTBOX_DEPTH;
    }

    /**
     * The sets of dimension names this metric is published with, e.g. {@code [ClusterName, PlanId]}
     * and, with {@code includeRunId}, {@code [ClusterName, PlanId, RunId]}.
     */
    public Set<Set<String>> dimensionSets(boolean includeRunId) {
        Set<Set<String>> out = new LinkedHashSet<>();
        if (isProcessMetric()) {
            out.add(Set.of(CLUSTER_NAME));
            return out;
        }
        String extra = this == ALERTS_ACTIVE ? SEVERITY : this == ESTIMATED_COST ? CURRENCY : null;
        out.add(names(CLUSTER_NAME, PLAN_ID, extra));
        if (includeRunId) {
            out.add(names(CLUSTER_NAME, PLAN_ID, RUN_ID, extra));
        }
        if (byPhase()) {
            out.add(names(CLUSTER_NAME, PLAN_ID, PHASE));
        }
        return out;
    }

    private static Set<String> names(String... names) {
        Set<String> out = new TreeSet<>();
        for (String n : names) {
            if (n != null) {
                out.add(n);
            }
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    /** What {@code event} adds to this counter (0 for gauges and usage counters). */
    double increment(ProgressEvent event) {
        return increment == null ? 0 : increment.applyAsDouble(event);
    }

    /** Whether this counter counts what tasks report as usage ({@code task.usage} totals). */
    public boolean isUsageCounter() {
        return usage != null;
    }

    /** What a task's usage went up by from {@code before} to {@code after} (0 for other metrics). */
    double usageIncrement(TaskUsage before, TaskUsage after) {
        return usage == null ? 0 : Math.max(0, usage.of(after) - usage.of(before));
    }

    /** The metric named {@code cloudWatchName} in CloudWatch. */
    public static TrackerMetric byCloudWatchName(String cloudWatchName) {
        for (TrackerMetric m : values()) {
            if (m.cloudWatchName.equals(cloudWatchName)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no tracker metric is named '" + cloudWatchName + "'");
    }
}

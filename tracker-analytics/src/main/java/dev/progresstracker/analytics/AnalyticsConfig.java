package dev.progresstracker.analytics;

import dev.progresstracker.core.config.ConfigBuilder;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Immutable settings of a tracker's analytics: throughput buckets and the alert rules' thresholds.
 * Alerts are evaluated only when installed ({@code TrackerAnalytics.of(TrackingMode.COMPREHENSIVE)}).
 * Build with {@link #builder()}; {@link #defaults()} holds the defaults. Each property is declared
 * once below as a {@link Setting}; the builder checks every value as it is set and names the
 * property it refuses. (The ETA refresh interval is core's: {@code TrackerConfig.etaRefreshInterval}.)
 */
public record AnalyticsConfig(
        double slowTaskFactor,
        int minSamplesPerType,
        double maxErrorRate,
        int minAttempts,
        double minTasksPerMinute,
        double etaDeviationPercent,
        Duration stallTimeout,
        Duration evaluationInterval,
        Duration throughputBucket,
        int throughputWindow,
        int historySize,
        String itemsDetailKey,
        Duration slowTaskMinDuration,
        double maxRateLimitsPerMinute,
        double minQuality,
        int qualityWindow,
        double qualityDrop,
        double costBudget,
        double maxHeapAfterGc,
        double maxProcessCpu) {

    public static final Setting<Double> SLOW_TASK_FACTOR = Setting.number("slowTaskFactor", 3.0)
            .above(1.0)
            .env("TRACKER_ALERT_SLOW_TASK_FACTOR")
            .doc("slow-processing alert: a running task over this × its type's median duration");
    public static final Setting<Integer> MIN_SAMPLES_PER_TYPE = Setting.integer("minSamplesPerType", 3)
            .atLeast(1)
            .doc("completed tasks of a type needed before its median counts");
    public static final Setting<Double> MAX_ERROR_RATE = Setting.number("maxErrorRate", 0.25)
            .above(0.0)
            .atMost(1.0)
            .env("TRACKER_ALERT_MAX_ERROR_RATE")
            .doc("high-error-rate alert above this share of failed attempts");
    public static final Setting<Integer> MIN_ATTEMPTS =
            Setting.integer("minAttempts", 4).atLeast(1).doc("finished attempts needed before the error rate counts");
    public static final Setting<Double> MIN_TASKS_PER_MINUTE = Setting.number("minTasksPerMinute", 0)
            .atLeast(0.0)
            .env("TRACKER_ALERT_MIN_TASKS_PER_MINUTE")
            .doc("low-throughput alert below this many completed tasks per minute over the throughput window; 0 = off");
    public static final Setting<Double> ETA_DEVIATION_PERCENT = Setting.number("etaDeviationPercent", 50)
            .above(0.0)
            .env("TRACKER_ALERT_ETA_DEVIATION_PERCENT")
            .doc(
                    "ETA-deviation alert when the projected run duration grew by more than this % over the first confident projection");
    public static final Setting<Duration> STALL_TIMEOUT = Setting.duration("stallTimeout", Duration.ofMinutes(5))
            .above(Duration.ZERO)
            .env("TRACKER_ALERT_STALL_TIMEOUT")
            .doc("stalled-task alert when a running task made no progress for this long");
    public static final Setting<Duration> EVALUATION_INTERVAL = Setting.duration(
                    "evaluationInterval", Duration.ofSeconds(10))
            .atLeast(Duration.ofMillis(10))
            .orZero()
            .env("TRACKER_ALERT_EVALUATION_INTERVAL")
            .doc(
                    "how often a daemon timer evaluates the alerts between events (a stall is seen while nothing happens); 0 = no timer");
    public static final Setting<Duration> THROUGHPUT_BUCKET = Setting.duration(
                    "throughputBucket", Duration.ofMinutes(1))
            .above(Duration.ZERO)
            .doc("width of one throughput history bucket");
    public static final Setting<Integer> THROUGHPUT_WINDOW = Setting.integer("throughputWindow", 5)
            .atLeast(1)
            .doc("buckets making up the \"current\" throughput and the trend");
    public static final Setting<Integer> HISTORY_SIZE = Setting.integer("historySize", 60)
            .atLeast(1)
            .doc("buckets of throughput history kept, at least `throughputWindow`");
    public static final Setting<String> ITEMS_DETAIL_KEY = Setting.text("itemsDetailKey", "items")
            .env("TRACKER_ANALYTICS_ITEMS_KEY")
            .doc("the numeric task `details` entry counting items done (cumulative per task) for items/min");
    public static final Setting<Duration> SLOW_TASK_MIN_DURATION = Setting.duration(
                    "slowTaskMinDuration", Duration.ofSeconds(10))
            .atLeast(Duration.ZERO)
            .env("TRACKER_ALERT_SLOW_TASK_MIN_DURATION")
            .doc(
                    "slow-processing alert only once a task has run at least this long, whatever the median; 0 = no minimum");

    public static final Setting<Double> MAX_RATE_LIMITS_PER_MINUTE = Setting.number("maxRateLimitsPerMinute", 10)
            .atLeast(0.0)
            .env("TRACKER_ALERT_MAX_RATE_LIMITS_PER_MINUTE")
            .doc("rate-limiting alert above this many rate-limit hits per minute over the throughput window; 0 = off");
    public static final Setting<Double> MIN_QUALITY = Setting.number("minQuality", 0.7)
            .range(0.0, 1.0)
            .env("TRACKER_ALERT_MIN_QUALITY")
            .doc("quality-degradation alert when the run's or the recent window's mean quality is below this; 0 = off");
    public static final Setting<Integer> QUALITY_WINDOW = Setting.integer("qualityWindow", 10)
            .atLeast(1)
            .env("TRACKER_ALERT_QUALITY_WINDOW")
            .doc("quality scores in the recent window, and scores needed before the quality rule judges");
    public static final Setting<Double> QUALITY_DROP = Setting.number("qualityDrop", 0.15)
            .range(0.0, 1.0)
            .env("TRACKER_ALERT_QUALITY_DROP")
            .doc(
                    "quality-degradation alert when the recent window's mean fell by more than this below the window before it; 0 = off");
    public static final Setting<Double> COST_BUDGET = Setting.number("costBudget", 0)
            .atLeast(0.0)
            .env("TRACKER_ALERT_COST_BUDGET")
            .doc(
                    "cost-over-budget alert once the run's estimated cost (in the pricing's currency) exceeds this; 0 = off");
    public static final Setting<Double> MAX_HEAP_AFTER_GC = Setting.number("maxHeapAfterGc", 0.9)
            .range(0.0, 1.0)
            .env("TRACKER_ALERT_MAX_HEAP_AFTER_GC")
            .doc(
                    "resource-pressure alert when the agent's heap in use after the last GC exceeds this share of the maximum; 0 = off");
    public static final Setting<Double> MAX_PROCESS_CPU = Setting.number("maxProcessCpu", 0.9)
            .range(0.0, 1.0)
            .env("TRACKER_ALERT_MAX_PROCESS_CPU")
            .doc(
                    "resource-pressure alert when the agent process's recent CPU load (0..1 of all cores) exceeds this; 0 = off");

    public static final ConfigSpec<AnalyticsConfig> SPEC = ConfigSpec.of(
            AnalyticsConfig.class,
            SLOW_TASK_FACTOR,
            MIN_SAMPLES_PER_TYPE,
            MAX_ERROR_RATE,
            MIN_ATTEMPTS,
            MIN_TASKS_PER_MINUTE,
            ETA_DEVIATION_PERCENT,
            STALL_TIMEOUT,
            EVALUATION_INTERVAL,
            THROUGHPUT_BUCKET,
            THROUGHPUT_WINDOW,
            HISTORY_SIZE,
            ITEMS_DETAIL_KEY,
            SLOW_TASK_MIN_DURATION,
            MAX_RATE_LIMITS_PER_MINUTE,
            MIN_QUALITY,
            QUALITY_WINDOW,
            QUALITY_DROP,
            COST_BUDGET,
            MAX_HEAP_AFTER_GC,
            MAX_PROCESS_CPU);

    public AnalyticsConfig {
        SPEC.validate(
                slowTaskFactor,
                minSamplesPerType,
                maxErrorRate,
                minAttempts,
                minTasksPerMinute,
                etaDeviationPercent,
                stallTimeout,
                evaluationInterval,
                throughputBucket,
                throughputWindow,
                historySize,
                itemsDetailKey,
                slowTaskMinDuration,
                maxRateLimitsPerMinute,
                minQuality,
                qualityWindow,
                qualityDrop,
                costBudget,
                maxHeapAfterGc,
                maxProcessCpu);
        if (historySize < throughputWindow) {
            throw new IllegalArgumentException(
                    "historySize must be at least throughputWindow (" + throughputWindow + "), got " + historySize);
        }
    }

    public static AnalyticsConfig defaults() {
        return SPEC.defaults();
    }

    public static Builder builder() {
        return new Builder(null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Defaults overridden by the environment variables of the settings above, looked up in {@code env}. */
    public static AnalyticsConfig fromEnvironment(Function<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static AnalyticsConfig fromEnvironment(Map<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Builder with the defaults; each setter checks its value. */
    public static final class Builder extends ConfigBuilder<AnalyticsConfig, Builder> {
        /** A builder holding {@code from}'s values, or the defaults when it is null. */
        private Builder(AnalyticsConfig from) {
            super(SPEC, from);
        }

        public Builder slowTaskFactor(double v) {
            return set(SLOW_TASK_FACTOR, v);
        }

        public Builder minSamplesPerType(int v) {
            return set(MIN_SAMPLES_PER_TYPE, v);
        }

        public Builder maxErrorRate(double v) {
            return set(MAX_ERROR_RATE, v);
        }

        public Builder minAttempts(int v) {
            return set(MIN_ATTEMPTS, v);
        }

        public Builder minTasksPerMinute(double v) {
            return set(MIN_TASKS_PER_MINUTE, v);
        }

        public Builder etaDeviationPercent(double v) {
            return set(ETA_DEVIATION_PERCENT, v);
        }

        public Builder stallTimeout(Duration v) {
            return set(STALL_TIMEOUT, v);
        }

        public Builder evaluationInterval(Duration v) {
            return set(EVALUATION_INTERVAL, v);
        }

        public Builder throughputBucket(Duration v) {
            return set(THROUGHPUT_BUCKET, v);
        }

        public Builder throughputWindow(int v) {
            return set(THROUGHPUT_WINDOW, v);
        }

        public Builder historySize(int v) {
            return set(HISTORY_SIZE, v);
        }

        public Builder itemsDetailKey(String v) {
            return set(ITEMS_DETAIL_KEY, v);
        }

        public Builder slowTaskMinDuration(Duration v) {
            return set(SLOW_TASK_MIN_DURATION, v);
        }

        public Builder maxRateLimitsPerMinute(double v) {
            return set(MAX_RATE_LIMITS_PER_MINUTE, v);
        }

        public Builder minQuality(double v) {
            return set(MIN_QUALITY, v);
        }

        public Builder qualityWindow(int v) {
            return set(QUALITY_WINDOW, v);
        }

        public Builder qualityDrop(double v) {
            return set(QUALITY_DROP, v);
        }

        public Builder costBudget(double v) {
            return set(COST_BUDGET, v);
        }

        public Builder maxHeapAfterGc(double v) {
            return set(MAX_HEAP_AFTER_GC, v);
        }

        public Builder maxProcessCpu(double v) {
            return set(MAX_PROCESS_CPU, v);
        }
    }
}

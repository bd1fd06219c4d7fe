package dev.progresstracker.analytics;

import static dev.progresstracker.core.ConfigChecks.requirePositive;

import dev.progresstracker.core.EnvSettings;

import java.util.Map;
import java.util.function.Function;
import java.util.Objects;
import java.time.Duration;

/**
 * Immutable settings of a tracker's analytics: throughput buckets and the alert rules' thresholds.
 * Alerts are evaluated only when installed ({@code TrackerAnalytics.of(TrackingMode.COMPREHENSIVE)}). Build with {@link #builder()};
 * {@link #defaults()} holds the documented defaults; the constructor names the field it rejects.
 *
 * @param slowTaskFactor          slow-processing alert: a running task over this × its type's median duration; default {@value #DEFAULT_SLOW_TASK_FACTOR}
 * @param minSamplesPerType       completed tasks of a type needed before its median counts; default {@value #DEFAULT_MIN_SAMPLES_PER_TYPE}
 * @param maxErrorRate            high-error-rate alert above this share of failed attempts (0..1); default {@value #DEFAULT_MAX_ERROR_RATE}
 * @param minAttempts             finished attempts needed before the error rate counts; default {@value #DEFAULT_MIN_ATTEMPTS}
 * @param minTasksPerMinute       low-throughput alert below this many completed tasks per minute over the throughput window; 0 (default) switches the rule off
 * @param etaDeviationPercent     ETA-deviation alert when the projected run duration grew by more than this % over the first confident projection; default {@value #DEFAULT_ETA_DEVIATION_PERCENT}
 * @param stallTimeout            stalled-task alert when a running task made no progress for this long; default 5 min
 * @param evaluationInterval      how often a daemon timer evaluates the alerts between events (so a stall is seen while nothing happens); zero disables the timer; default 10 s
 * @param throughputBucket        width of one throughput history bucket; default 1 min
 * @param throughputWindow        buckets making up the "current" throughput and the trend; default {@value #DEFAULT_THROUGHPUT_WINDOW}
 * @param historySize             buckets of throughput history kept; default {@value #DEFAULT_HISTORY_SIZE}
 * @param itemsDetailKey          the numeric task {@code details} entry counting items done (cumulative per task) for items/min; default {@value #DEFAULT_ITEMS_DETAIL_KEY}
 * @param slowTaskMinDuration     slow-processing alert only once a task has run at least this long, whatever the median (a
 *                                task of a type that takes 0.2 s is not "slow" at 1 s); zero for no minimum; default 10 s
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
        Duration slowTaskMinDuration) {

    public static final double DEFAULT_SLOW_TASK_FACTOR = 3.0;
    public static final int DEFAULT_MIN_SAMPLES_PER_TYPE = 3;
    public static final double DEFAULT_MAX_ERROR_RATE = 0.25;
    public static final int DEFAULT_MIN_ATTEMPTS = 4;
    public static final double DEFAULT_MIN_TASKS_PER_MINUTE = 0;
    public static final double DEFAULT_ETA_DEVIATION_PERCENT = 50;
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_EVALUATION_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_THROUGHPUT_BUCKET = Duration.ofMinutes(1);
    public static final int DEFAULT_THROUGHPUT_WINDOW = 5;
    public static final int DEFAULT_HISTORY_SIZE = 60;
    public static final String DEFAULT_ITEMS_DETAIL_KEY = "items";
    public static final Duration DEFAULT_SLOW_TASK_MIN_DURATION = Duration.ofSeconds(10);

    private static final AnalyticsConfig DEFAULTS = builder().build();

    public AnalyticsConfig {
        requirePositive("slowTaskFactor", slowTaskFactor);
        if (slowTaskFactor <= 1) {
            throw new IllegalArgumentException("slowTaskFactor must be above 1, got " + slowTaskFactor);
        }
        if (minSamplesPerType < 1) {
            throw new IllegalArgumentException("minSamplesPerType must be at least 1, got " + minSamplesPerType);
        }
        if (!(maxErrorRate > 0 && maxErrorRate <= 1)) {
            throw new IllegalArgumentException("maxErrorRate must be within (0, 1], got " + maxErrorRate);
        }
        if (minAttempts < 1) {
            throw new IllegalArgumentException("minAttempts must be at least 1, got " + minAttempts);
        }
        if (!(minTasksPerMinute >= 0) || Double.isInfinite(minTasksPerMinute)) {
            throw new IllegalArgumentException("minTasksPerMinute must be a finite number >= 0, got " + minTasksPerMinute);
        }
        requirePositive("etaDeviationPercent", etaDeviationPercent);
        requirePositive("stallTimeout", stallTimeout);
        Objects.requireNonNull(evaluationInterval, "evaluationInterval must not be null");
        if (evaluationInterval.isNegative() || !evaluationInterval.isZero() && evaluationInterval.toMillis() < 10) {
            throw new IllegalArgumentException("evaluationInterval must be zero (no timer) or at least 10 ms, got " + evaluationInterval);
        }
        requirePositive("throughputBucket", throughputBucket);
        if (throughputWindow < 1) {
            throw new IllegalArgumentException("throughputWindow must be at least 1 bucket, got " + throughputWindow);
        }
        if (historySize < throughputWindow) {
            throw new IllegalArgumentException("historySize must be at least throughputWindow (" + throughputWindow + "), got " + historySize);
        }
        if (itemsDetailKey == null || itemsDetailKey.isBlank()) {
            throw new IllegalArgumentException("itemsDetailKey must not be blank");
        }
        Objects.requireNonNull(slowTaskMinDuration, "slowTaskMinDuration must not be null");
        if (slowTaskMinDuration.isNegative()) {
            throw new IllegalArgumentException("slowTaskMinDuration must be zero or positive, got " + slowTaskMinDuration);
        }
    }

    public static AnalyticsConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults overridden by {@code TRACKER_ALERT_SLOW_TASK_FACTOR}, {@code TRACKER_ALERT_SLOW_TASK_MIN_DURATION},
     * {@code TRACKER_ALERT_MAX_ERROR_RATE},
     * {@code TRACKER_ALERT_MIN_TASKS_PER_MINUTE}, {@code TRACKER_ALERT_ETA_DEVIATION_PERCENT},
     * {@code TRACKER_ALERT_STALL_TIMEOUT}, {@code TRACKER_ALERT_EVALUATION_INTERVAL} (durations ISO-8601 or ms),
     * {@code TRACKER_ANALYTICS_ITEMS_KEY} looked up in {@code env}. (The ETA refresh interval is core's:
     * {@code TrackerConfig.etaRefreshInterval}, {@code TRACKER_ETA_REFRESH_INTERVAL}.)
     */
    public static AnalyticsConfig fromEnvironment(Function<String, String> env) {
        Builder b = builder();
        EnvSettings s = new EnvSettings(env);
        s.number("TRACKER_ALERT_SLOW_TASK_FACTOR").ifPresent(b::slowTaskFactor);
        s.duration("TRACKER_ALERT_SLOW_TASK_MIN_DURATION").ifPresent(b::slowTaskMinDuration);
        s.number("TRACKER_ALERT_MAX_ERROR_RATE").ifPresent(b::maxErrorRate);
        s.number("TRACKER_ALERT_MIN_TASKS_PER_MINUTE").ifPresent(b::minTasksPerMinute);
        s.number("TRACKER_ALERT_ETA_DEVIATION_PERCENT").ifPresent(b::etaDeviationPercent);
        s.duration("TRACKER_ALERT_STALL_TIMEOUT").ifPresent(b::stallTimeout);
        s.duration("TRACKER_ALERT_EVALUATION_INTERVAL").ifPresent(b::evaluationInterval);
        s.string("TRACKER_ANALYTICS_ITEMS_KEY").ifPresent(b::itemsDetailKey);
        return b.build();
    }

    public static AnalyticsConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    public Builder toBuilder() {
        return new Builder().slowTaskFactor(slowTaskFactor).minSamplesPerType(minSamplesPerType).maxErrorRate(maxErrorRate)
                .minAttempts(minAttempts).minTasksPerMinute(minTasksPerMinute).etaDeviationPercent(etaDeviationPercent)
                .stallTimeout(stallTimeout).evaluationInterval(evaluationInterval).throughputBucket(throughputBucket)
                .throughputWindow(throughputWindow).historySize(historySize).itemsDetailKey(itemsDetailKey)
                .slowTaskMinDuration(slowTaskMinDuration);
    }



    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private double slowTaskFactor = DEFAULT_SLOW_TASK_FACTOR;
        private int minSamplesPerType = DEFAULT_MIN_SAMPLES_PER_TYPE;
        private double maxErrorRate = DEFAULT_MAX_ERROR_RATE;
        private int minAttempts = DEFAULT_MIN_ATTEMPTS;
        private double minTasksPerMinute = DEFAULT_MIN_TASKS_PER_MINUTE;
        private double etaDeviationPercent = DEFAULT_ETA_DEVIATION_PERCENT;
        private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
        private Duration evaluationInterval = DEFAULT_EVALUATION_INTERVAL;
        private Duration throughputBucket = DEFAULT_THROUGHPUT_BUCKET;
        private int throughputWindow = DEFAULT_THROUGHPUT_WINDOW;
        private int historySize = DEFAULT_HISTORY_SIZE;
        private String itemsDetailKey = DEFAULT_ITEMS_DETAIL_KEY;
        private Duration slowTaskMinDuration = DEFAULT_SLOW_TASK_MIN_DURATION;

        private Builder() {
        }

        public Builder slowTaskFactor(double v) { slowTaskFactor = v; return this; }

        public Builder minSamplesPerType(int v) { minSamplesPerType = v; return this; }

        public Builder maxErrorRate(double v) { maxErrorRate = v; return this; }

        public Builder minAttempts(int v) { minAttempts = v; return this; }

        public Builder minTasksPerMinute(double v) { minTasksPerMinute = v; return this; }

        public Builder etaDeviationPercent(double v) { etaDeviationPercent = v; return this; }

        public Builder stallTimeout(Duration v) { stallTimeout = v; return this; }

        public Builder evaluationInterval(Duration v) { evaluationInterval = v; return this; }

        public Builder throughputBucket(Duration v) { throughputBucket = v; return this; }

        public Builder throughputWindow(int v) { throughputWindow = v; return this; }

        public Builder historySize(int v) { historySize = v; return this; }

        public Builder itemsDetailKey(String v) { itemsDetailKey = v; return this; }

        public Builder slowTaskMinDuration(Duration v) { slowTaskMinDuration = v; return this; }

        public AnalyticsConfig build() {
            return new AnalyticsConfig(slowTaskFactor, minSamplesPerType, maxErrorRate, minAttempts, minTasksPerMinute,
                    etaDeviationPercent, stallTimeout, evaluationInterval, throughputBucket, throughputWindow, historySize,
                    itemsDetailKey, slowTaskMinDuration);
        }
    }
}

package dev.progresstracker.core;

import java.util.Map;
import java.util.function.Function;
import java.util.Objects;
import java.time.Duration;

/**
 * Immutable settings of a tracker. Build with {@link #builder()}; {@link #defaults()} holds the
 * documented defaults. Every builder checks its values and names the field it rejects.
 *
 * @param sinkQueueCapacity       events queued per sink before its overflow policy applies; default {@value #DEFAULT_SINK_QUEUE_CAPACITY}
 * @param storeQueueCapacity      events queued for the store before callers wait; default {@value #DEFAULT_STORE_QUEUE_CAPACITY}
 * @param closeTimeout            how long {@code close()} waits for sinks and store to drain; default 10 s
 * @param allowProgressRegression whether {@code updateTaskProgress} may lower a task's percent; default false
 * @param trackingMode            what is computed and emitted; default {@link TrackingMode#ENHANCED}
 * @param maxMessageLength        longer task/run/alert messages are cut to this many characters and end in "…"; default {@value #DEFAULT_MAX_MESSAGE_LENGTH}
 * @param limits                  sizes and characters each call's inputs are checked against; default {@link EventLimits#defaults()}
 * @param etaRefreshInterval      how old (on the tracker's clock) the ETA written into events' {@code run} block may be before
 *                                the next event recomputes it (events that change the remaining work always do); zero
 *                                recomputes on every event; {@code eta()} and {@code summary()} are always fresh; default 500 ms
 * @param pricing                 prices per model for the cost estimate of {@code recordUsage}; default {@link UsagePricing#NONE}
 */
public record TrackerConfig(
        int sinkQueueCapacity,
        int storeQueueCapacity,
        Duration closeTimeout,
        boolean allowProgressRegression,
        TrackingMode trackingMode,
        int maxMessageLength,
        EventLimits limits,
        Duration etaRefreshInterval,
        UsagePricing pricing) {

    public static final int DEFAULT_SINK_QUEUE_CAPACITY = 8192;
    public static final int DEFAULT_STORE_QUEUE_CAPACITY = 65_536;
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 4096;
    public static final Duration DEFAULT_ETA_REFRESH_INTERVAL = Duration.ofMillis(500);

    private static final TrackerConfig DEFAULTS = builder().build();

    public TrackerConfig {
        validate(sinkQueueCapacity, storeQueueCapacity, closeTimeout, trackingMode, maxMessageLength);
        Objects.requireNonNull(limits, "limits must not be null");
        validateEtaRefresh(etaRefreshInterval);
        Objects.requireNonNull(pricing, "pricing must not be null");
    }

    /** The settings without pricing ({@link UsagePricing#NONE}), as before pricing existed. */
    public TrackerConfig(int sinkQueueCapacity, int storeQueueCapacity, Duration closeTimeout,
                         boolean allowProgressRegression, TrackingMode trackingMode, int maxMessageLength,
                         EventLimits limits, Duration etaRefreshInterval) {
        this(sinkQueueCapacity, storeQueueCapacity, closeTimeout, allowProgressRegression, trackingMode,
                maxMessageLength, limits, etaRefreshInterval, UsagePricing.NONE);
    }

    /**
     * The largest event, in UTF-8 bytes of its wire JSON, this configuration lets through (see
     * {@link EventLimits#worstCaseEventBytes(int)}).
     */
    public long worstCaseEventBytes() {
        return limits.worstCaseEventBytes(maxMessageLength);
    }

    public static TrackerConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .sinkQueueCapacity(sinkQueueCapacity)
                .storeQueueCapacity(storeQueueCapacity)
                .closeTimeout(closeTimeout)
                .allowProgressRegression(allowProgressRegression)
                .trackingMode(trackingMode)
                .maxMessageLength(maxMessageLength)
                .limits(limits)
                .etaRefreshInterval(etaRefreshInterval)
                .pricing(pricing);
    }

    /**
     * Defaults overridden by {@code TRACKER_SINK_QUEUE_CAPACITY}, {@code TRACKER_STORE_QUEUE_CAPACITY},
     * {@code TRACKER_CLOSE_TIMEOUT} (ISO-8601 like {@code PT10S} or milliseconds),
     * {@code TRACKER_ALLOW_PROGRESS_REGRESSION}, {@code TRACKER_TRACKING_MODE}, {@code TRACKER_MAX_MESSAGE_LENGTH},
     * {@code TRACKER_ETA_REFRESH_INTERVAL}, the variables of {@link EventLimits#fromEnvironment(Function)}
     * and of {@link UsagePricing#fromEnvironment(Function)},
     * looked up in {@code env} (typically {@code System::getenv}).
     */
    public static TrackerConfig fromEnvironment(Function<String, String> env) {
        Builder b = builder();
        EnvSettings s = new EnvSettings(env);
        s.integer("TRACKER_SINK_QUEUE_CAPACITY").ifPresent(b::sinkQueueCapacity);
        s.integer("TRACKER_STORE_QUEUE_CAPACITY").ifPresent(b::storeQueueCapacity);
        s.duration("TRACKER_CLOSE_TIMEOUT").ifPresent(b::closeTimeout);
        s.bool("TRACKER_ALLOW_PROGRESS_REGRESSION").ifPresent(b::allowProgressRegression);
        s.string("TRACKER_TRACKING_MODE").ifPresent(v -> b.trackingMode(s.enumValue(TrackingMode.class, "TRACKER_TRACKING_MODE", v)));
        s.integer("TRACKER_MAX_MESSAGE_LENGTH").ifPresent(b::maxMessageLength);
        s.duration("TRACKER_ETA_REFRESH_INTERVAL").ifPresent(b::etaRefreshInterval);
        b.limits(EventLimits.fromEnvironment(env));
        b.pricing(UsagePricing.fromEnvironment(env));
        return b.build();
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static TrackerConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    private static void validate(int sinkQueueCapacity, int storeQueueCapacity, Duration closeTimeout,
                                 TrackingMode trackingMode, int maxMessageLength) {
        if (sinkQueueCapacity < 16) {
            throw new IllegalArgumentException("sinkQueueCapacity must be at least 16, got " + sinkQueueCapacity);
        }
        if (storeQueueCapacity < 16) {
            throw new IllegalArgumentException("storeQueueCapacity must be at least 16, got " + storeQueueCapacity);
        }
        ConfigChecks.requirePositive("closeTimeout", closeTimeout);
        Objects.requireNonNull(trackingMode, "trackingMode must not be null");
        if (maxMessageLength < 16) {
            throw new IllegalArgumentException("maxMessageLength must be at least 16, got " + maxMessageLength);
        }
    }

    private static void validateEtaRefresh(Duration etaRefreshInterval) {
        Objects.requireNonNull(etaRefreshInterval, "etaRefreshInterval must not be null");
        if (etaRefreshInterval.isNegative()) {
            throw new IllegalArgumentException("etaRefreshInterval must be zero or positive, got " + etaRefreshInterval);
        }
    }

    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private int sinkQueueCapacity = DEFAULT_SINK_QUEUE_CAPACITY;
        private int storeQueueCapacity = DEFAULT_STORE_QUEUE_CAPACITY;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private boolean allowProgressRegression;
        private TrackingMode trackingMode = TrackingMode.ENHANCED;
        private int maxMessageLength = DEFAULT_MAX_MESSAGE_LENGTH;
        private EventLimits limits = EventLimits.defaults();
        private Duration etaRefreshInterval = DEFAULT_ETA_REFRESH_INTERVAL;
        private UsagePricing pricing = UsagePricing.NONE;

        private Builder() {
        }

        public Builder sinkQueueCapacity(int v) {
            this.sinkQueueCapacity = v;
            return this;
        }

        public Builder storeQueueCapacity(int v) {
            this.storeQueueCapacity = v;
            return this;
        }

        public Builder closeTimeout(Duration v) {
            this.closeTimeout = v;
            return this;
        }

        public Builder allowProgressRegression(boolean v) {
            this.allowProgressRegression = v;
            return this;
        }

        public Builder trackingMode(TrackingMode v) {
            this.trackingMode = v;
            return this;
        }

        public Builder maxMessageLength(int v) {
            this.maxMessageLength = v;
            return this;
        }

        /** Input limits checked at every call; default {@link EventLimits#defaults()}. */
        public Builder limits(EventLimits v) {
            this.limits = v;
            return this;
        }

        public Builder etaRefreshInterval(Duration v) {
            this.etaRefreshInterval = v;
            return this;
        }

        /** Prices per model for cost estimates; default {@link UsagePricing#NONE}. */
        public Builder pricing(UsagePricing v) {
            this.pricing = v;
            return this;
        }

        public TrackerConfig build() {
            return new TrackerConfig(sinkQueueCapacity, storeQueueCapacity, closeTimeout, allowProgressRegression,
                    trackingMode, maxMessageLength, limits, etaRefreshInterval, pricing);
        }
    }
}

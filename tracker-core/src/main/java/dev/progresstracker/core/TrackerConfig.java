package dev.progresstracker.core;

import dev.progresstracker.core.config.ConfigBuilder;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Immutable settings of a tracker. Build with {@link #builder()}; {@link #defaults()} holds the
 * defaults. Each property is declared once below as a {@link Setting} (default, environment
 * variable, allowed values, doc); the builder checks every value as it is set and names the
 * property it refuses. {@code etaRefreshInterval}: how old (on the tracker's clock) the ETA written
 * into events' {@code run} block may be before the next event recomputes it (events that change the
 * remaining work always do); {@code eta()} and {@code summary()} are always fresh.
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

    public static final Setting<Integer> SINK_QUEUE_CAPACITY = Setting.integer("sinkQueueCapacity", 8192)
            .atLeast(16)
            .env("TRACKER_SINK_QUEUE_CAPACITY")
            .doc("events queued per sink before its overflow policy applies");
    public static final Setting<Integer> STORE_QUEUE_CAPACITY = Setting.integer("storeQueueCapacity", 65_536)
            .atLeast(16)
            .env("TRACKER_STORE_QUEUE_CAPACITY")
            .doc("events queued for the store before callers wait");
    public static final Setting<Duration> CLOSE_TIMEOUT = Setting.duration("closeTimeout", Duration.ofSeconds(10))
            .above(Duration.ZERO)
            .env("TRACKER_CLOSE_TIMEOUT")
            .doc("how long `close()` waits for sinks and store to drain");
    public static final Setting<Boolean> ALLOW_PROGRESS_REGRESSION = Setting.flag("allowProgressRegression", false)
            .env("TRACKER_ALLOW_PROGRESS_REGRESSION")
            .doc("whether `updateTaskProgress` may lower a task's percent");
    public static final Setting<TrackingMode> TRACKING_MODE = Setting.choice(
                    "trackingMode", TrackingMode.class, TrackingMode.ENHANCED)
            .env("TRACKER_TRACKING_MODE")
            .doc("what is computed and emitted ([tracking modes](#tracking-modes-and-analytics))");
    public static final Setting<Integer> MAX_MESSAGE_LENGTH = Setting.integer("maxMessageLength", 4096)
            .atLeast(16)
            .env("TRACKER_MAX_MESSAGE_LENGTH")
            .doc("longer task/run/alert messages are cut to this many characters and end in \"…\"");
    public static final Setting<EventLimits> LIMITS = Setting.nested("limits", EventLimits.SPEC, "")
            .doc("sizes and characters each call's inputs are checked against");
    public static final Setting<Duration> ETA_REFRESH_INTERVAL = Setting.duration(
                    "etaRefreshInterval", Duration.ofMillis(500))
            .atLeast(Duration.ZERO)
            .env("TRACKER_ETA_REFRESH_INTERVAL")
            .doc("how old the ETA in events' `run` block may be before an event recomputes it; 0 = every event");
    /** Read from the environment by {@link UsagePricing#fromEnvironment}, not as one variable. */
    public static final Setting<UsagePricing> PRICING = Setting.codeOnly(
                    "pricing", UsagePricing.class, UsagePricing.NONE)
            .defaultText("none")
            .doc("prices per model for the cost estimate of `recordUsage`; from the environment:"
                    + " `TRACKER_PRICING` and `TRACKER_PRICING_CURRENCY` (see `UsagePricing`)");

    public static final ConfigSpec<TrackerConfig> SPEC = ConfigSpec.of(
            TrackerConfig.class,
            SINK_QUEUE_CAPACITY,
            STORE_QUEUE_CAPACITY,
            CLOSE_TIMEOUT,
            ALLOW_PROGRESS_REGRESSION,
            TRACKING_MODE,
            MAX_MESSAGE_LENGTH,
            LIMITS,
            ETA_REFRESH_INTERVAL,
            PRICING);

    public TrackerConfig {
        SPEC.validate(
                sinkQueueCapacity,
                storeQueueCapacity,
                closeTimeout,
                allowProgressRegression,
                trackingMode,
                maxMessageLength,
                limits,
                etaRefreshInterval,
                pricing);
    }

    /** The settings without pricing ({@link UsagePricing#NONE}), as before pricing existed. */
    public TrackerConfig(
            int sinkQueueCapacity,
            int storeQueueCapacity,
            Duration closeTimeout,
            boolean allowProgressRegression,
            TrackingMode trackingMode,
            int maxMessageLength,
            EventLimits limits,
            Duration etaRefreshInterval) {
        this(
                sinkQueueCapacity,
                storeQueueCapacity,
                closeTimeout,
                allowProgressRegression,
                trackingMode,
                maxMessageLength,
                limits,
                etaRefreshInterval,
                UsagePricing.NONE);
    }

    /**
     * The largest event, in UTF-8 bytes of its wire JSON, this configuration lets through (see
     * {@link EventLimits#worstCaseEventBytes(int)}).
     */
    public long worstCaseEventBytes() {
        return limits.worstCaseEventBytes(maxMessageLength);
    }

    public static TrackerConfig defaults() {
        return SPEC.defaults();
    }

    public static Builder builder() {
        return new Builder(null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Defaults overridden by the environment variables of the settings above (and of
     * {@link EventLimits}) and the prices of {@link UsagePricing#fromEnvironment}, looked up in {@code env} (typically {@code System::getenv}).
     */
    public static TrackerConfig fromEnvironment(Function<String, String> env) {
        TrackerConfig declared = SPEC.fromEnvironment(env);
        UsagePricing pricing = UsagePricing.fromEnvironment(env);
        return pricing.equals(UsagePricing.NONE)
                ? declared
                : declared.toBuilder().pricing(pricing).build();
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static TrackerConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    /** Builder with the defaults; each setter checks its value. */
    public static final class Builder extends ConfigBuilder<TrackerConfig, Builder> {
        /** A builder holding {@code from}'s values, or the defaults when it is null. */
        private Builder(TrackerConfig from) {
            super(SPEC, from);
        }

        public Builder sinkQueueCapacity(int v) {
            return set(SINK_QUEUE_CAPACITY, v);
        }

        public Builder storeQueueCapacity(int v) {
            return set(STORE_QUEUE_CAPACITY, v);
        }

        public Builder closeTimeout(Duration v) {
            return set(CLOSE_TIMEOUT, v);
        }

        public Builder allowProgressRegression(boolean v) {
            return set(ALLOW_PROGRESS_REGRESSION, v);
        }

        public Builder trackingMode(TrackingMode v) {
            return set(TRACKING_MODE, v);
        }

        public Builder maxMessageLength(int v) {
            return set(MAX_MESSAGE_LENGTH, v);
        }

        public Builder limits(EventLimits v) {
            return set(LIMITS, v);
        }

        public Builder etaRefreshInterval(Duration v) {
            return set(ETA_REFRESH_INTERVAL, v);
        }

        /** Prices per model for cost estimates; default {@link UsagePricing#NONE}. */
        public Builder pricing(UsagePricing v) {
            return set(PRICING, v);
        }
    }
}

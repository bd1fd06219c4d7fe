package dev.progresstracker.callbacks;

import dev.progresstracker.core.config.ConfigBuilder;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import dev.progresstracker.core.spi.OverflowPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Immutable settings of a {@link CallbackManager}. Build with {@link #builder()}; {@link #defaults()}
 * holds the defaults. Each property is declared once below as a {@link Setting}; the builder checks
 * every value as it is set and names the property it refuses.
 */
public record CallbackConfig(
        boolean enabled,
        String name,
        int threads,
        Duration listenerTimeout,
        int listenerQueueCapacity,
        int disableAfterFailures,
        Duration drainTimeout,
        int sinkQueueCapacity,
        OverflowPolicy overflowPolicy) {

    static final int MAX_THREADS = 1024;

    public static final Setting<Boolean> ENABLED = Setting.flag("enabled", true)
            .env("TRACKER_CALLBACKS_ENABLED")
            .doc("whether `CallbackModule` installs a manager at all");
    public static final Setting<String> NAME = Setting.text("name", "callbacks")
            .env("TRACKER_CALLBACKS_NAME")
            .doc("sink name: thread names, logs, the `manager` tag of metrics");
    public static final Setting<Integer> THREADS = Setting.integer(
                    "threads", Math.max(4, Runtime.getRuntime().availableProcessors()))
            .range(1, MAX_THREADS)
            .defaultText("max(4, cores)")
            .env("TRACKER_CALLBACKS_THREADS")
            .doc("size of the manager's own pool (unused when an executor is injected)");
    public static final Setting<Duration> LISTENER_TIMEOUT = Setting.duration("listenerTimeout", Duration.ofSeconds(5))
            .above(Duration.ZERO)
            .env("TRACKER_CALLBACKS_TIMEOUT")
            .doc(
                    "how long one invocation may run before it is abandoned; per listener via `listener(name).timeout(…)`");
    public static final Setting<Integer> LISTENER_QUEUE_CAPACITY = Setting.integer("listenerQueueCapacity", 65_536)
            .atLeast(16)
            .env("TRACKER_CALLBACKS_QUEUE_CAPACITY")
            .doc("events waiting per listener before the oldest progress event is dropped");
    public static final Setting<Integer> DISABLE_AFTER_FAILURES = Setting.integer("disableAfterFailures", 0)
            .atLeast(0)
            .env("TRACKER_CALLBACKS_DISABLE_AFTER_FAILURES")
            .doc("consecutive failures (exceptions or timeouts) after which a listener is switched off; 0 = never");
    public static final Setting<Duration> DRAIN_TIMEOUT = Setting.duration("drainTimeout", Duration.ofSeconds(5))
            .above(Duration.ZERO)
            .env("TRACKER_CALLBACKS_DRAIN_TIMEOUT")
            .doc("how long `close()` waits for pending callbacks");
    public static final Setting<Integer> SINK_QUEUE_CAPACITY = Setting.integer("sinkQueueCapacity", 0)
            .atLeast(16)
            .orZero()
            .env("TRACKER_CALLBACKS_SINK_QUEUE_CAPACITY")
            .doc("capacity of the tracker's queue in front of the manager; 0 = `TrackerConfig.sinkQueueCapacity()`");
    public static final Setting<OverflowPolicy> OVERFLOW_POLICY = Setting.choice(
                    "overflowPolicy", OverflowPolicy.class, OverflowPolicy.DROP_OLDEST_PROGRESS)
            .check(p -> p != OverflowPolicy.BLOCK, "not BLOCK (callbacks must never make the caller wait)")
            .env("TRACKER_CALLBACKS_OVERFLOW_POLICY")
            .doc(
                    "what that queue does when full: `DROP_OLDEST_PROGRESS` (every event arrives unless it overflows) or `CONFLATE` (latest progress per task wins)");

    public static final ConfigSpec<CallbackConfig> SPEC = ConfigSpec.of(
            CallbackConfig.class,
            ENABLED,
            NAME,
            THREADS,
            LISTENER_TIMEOUT,
            LISTENER_QUEUE_CAPACITY,
            DISABLE_AFTER_FAILURES,
            DRAIN_TIMEOUT,
            SINK_QUEUE_CAPACITY,
            OVERFLOW_POLICY);

    public CallbackConfig {
        SPEC.validate(
                enabled,
                name,
                threads,
                listenerTimeout,
                listenerQueueCapacity,
                disableAfterFailures,
                drainTimeout,
                sinkQueueCapacity,
                overflowPolicy);
    }

    public static CallbackConfig defaults() {
        return SPEC.defaults();
    }

    public static Builder builder() {
        return new Builder(null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Defaults overridden by the environment variables of the settings above, looked up in {@code env}. */
    public static CallbackConfig fromEnvironment(Function<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static CallbackConfig fromEnvironment(Map<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Builder with the defaults; each setter checks its value. */
    public static final class Builder extends ConfigBuilder<CallbackConfig, Builder> {
        /** A builder holding {@code from}'s values, or the defaults when it is null. */
        private Builder(CallbackConfig from) {
            super(SPEC, from);
        }

        public Builder enabled(boolean v) {
            return set(ENABLED, v);
        }

        public Builder name(String v) {
            return set(NAME, v);
        }

        public Builder threads(int v) {
            return set(THREADS, v);
        }

        public Builder listenerTimeout(Duration v) {
            return set(LISTENER_TIMEOUT, v);
        }

        public Builder listenerQueueCapacity(int v) {
            return set(LISTENER_QUEUE_CAPACITY, v);
        }

        public Builder disableAfterFailures(int v) {
            return set(DISABLE_AFTER_FAILURES, v);
        }

        public Builder drainTimeout(Duration v) {
            return set(DRAIN_TIMEOUT, v);
        }

        public Builder sinkQueueCapacity(int v) {
            return set(SINK_QUEUE_CAPACITY, v);
        }

        public Builder overflowPolicy(OverflowPolicy v) {
            return set(OVERFLOW_POLICY, v);
        }
    }
}

package dev.progresstracker.callbacks;

import static dev.progresstracker.core.ConfigChecks.requirePositive;

import dev.progresstracker.core.EnvSettings;
import dev.progresstracker.core.spi.OverflowPolicy;

import java.util.Map;
import java.util.function.Function;
import java.util.Objects;
import java.time.Duration;

/**
 * Immutable settings of a {@link CallbackManager}. Build with {@link #builder()};
 * {@link #defaults()} holds the documented defaults. The builder names the field it rejects.
 *
 * @param enabled              whether {@code CallbackModule} installs a manager at all; default true
 * @param name                 sink name used in thread names, logs and metrics; default {@value #DEFAULT_NAME}
 * @param threads              size of the manager's own executor (unused when an executor is injected);
 *                             default max(4, available processors)
 * @param listenerTimeout      how long one invocation may run before it is abandoned; default 5 s
 * @param listenerQueueCapacity events waiting per listener before the oldest progress event is dropped;
 *                             default {@value #DEFAULT_LISTENER_QUEUE_CAPACITY}
 * @param disableAfterFailures consecutive failures (exceptions or timeouts) after which a listener is
 *                             switched off; 0 (default) never
 * @param drainTimeout         how long {@code close()} waits for pending callbacks; default 5 s
 * @param sinkQueueCapacity    capacity of the tracker's queue in front of the manager; 0 (default)
 *                             takes {@code TrackerConfig.sinkQueueCapacity()}
 * @param overflowPolicy       what that queue does when full: {@link OverflowPolicy#DROP_OLDEST_PROGRESS}
 *                             (default: every event reaches the listeners unless the queue overflows) or
 *                             {@link OverflowPolicy#CONFLATE} (latest progress per task wins at once);
 *                             {@code BLOCK} is refused, callbacks must never make the caller wait
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

    public static final String DEFAULT_NAME = "callbacks";
    public static final int DEFAULT_THREADS = Math.max(4, Runtime.getRuntime().availableProcessors());
    public static final Duration DEFAULT_LISTENER_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_LISTENER_QUEUE_CAPACITY = 65_536;
    public static final int DEFAULT_DISABLE_AFTER_FAILURES = 0;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_SINK_QUEUE_CAPACITY = 0;
    public static final OverflowPolicy DEFAULT_OVERFLOW_POLICY = OverflowPolicy.DROP_OLDEST_PROGRESS;

    static final int MAX_THREADS = 1024;

    private static final CallbackConfig DEFAULTS = builder().build();

    public CallbackConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be between 1 and " + MAX_THREADS + ", got " + threads);
        }
        requirePositive("listenerTimeout", listenerTimeout);
        if (listenerQueueCapacity < 16) {
            throw new IllegalArgumentException("listenerQueueCapacity must be at least 16, got " + listenerQueueCapacity);
        }
        if (disableAfterFailures < 0) {
            throw new IllegalArgumentException("disableAfterFailures must be 0 (never) or positive, got "
                    + disableAfterFailures);
        }
        requirePositive("drainTimeout", drainTimeout);
        if (sinkQueueCapacity != 0 && sinkQueueCapacity < 16) {
            throw new IllegalArgumentException("sinkQueueCapacity must be 0 (tracker default) or at least 16, got "
                    + sinkQueueCapacity);
        }
        Objects.requireNonNull(overflowPolicy, "overflowPolicy must not be null");
        if (overflowPolicy == OverflowPolicy.BLOCK) {
            throw new IllegalArgumentException("overflowPolicy must be CONFLATE or DROP_OLDEST_PROGRESS, got BLOCK "
                    + "(callbacks must never make the caller wait)");
        }
    }

    public static CallbackConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().enabled(enabled).name(name).threads(threads).listenerTimeout(listenerTimeout)
                .listenerQueueCapacity(listenerQueueCapacity).disableAfterFailures(disableAfterFailures)
                .drainTimeout(drainTimeout).sinkQueueCapacity(sinkQueueCapacity).overflowPolicy(overflowPolicy);
    }

    /**
     * Defaults overridden by {@code TRACKER_CALLBACKS_ENABLED}, {@code TRACKER_CALLBACKS_NAME},
     * {@code TRACKER_CALLBACKS_THREADS}, {@code TRACKER_CALLBACKS_TIMEOUT},
     * {@code TRACKER_CALLBACKS_QUEUE_CAPACITY}, {@code TRACKER_CALLBACKS_DISABLE_AFTER_FAILURES},
     * {@code TRACKER_CALLBACKS_DRAIN_TIMEOUT}, {@code TRACKER_CALLBACKS_SINK_QUEUE_CAPACITY},
     * {@code TRACKER_CALLBACKS_OVERFLOW_POLICY} looked up in
     * {@code env} (typically {@code System::getenv}). Durations are ISO-8601 ({@code PT5S}) or milliseconds.
     */
    public static CallbackConfig fromEnvironment(Function<String, String> env) {
        Builder b = builder();
        EnvSettings s = new EnvSettings(env);
        s.bool("TRACKER_CALLBACKS_ENABLED").ifPresent(b::enabled);
        s.string("TRACKER_CALLBACKS_NAME").ifPresent(b::name);
        s.integer("TRACKER_CALLBACKS_THREADS").ifPresent(b::threads);
        s.duration("TRACKER_CALLBACKS_TIMEOUT").ifPresent(b::listenerTimeout);
        s.integer("TRACKER_CALLBACKS_QUEUE_CAPACITY").ifPresent(b::listenerQueueCapacity);
        s.integer("TRACKER_CALLBACKS_DISABLE_AFTER_FAILURES").ifPresent(b::disableAfterFailures);
        s.duration("TRACKER_CALLBACKS_DRAIN_TIMEOUT").ifPresent(b::drainTimeout);
        s.integer("TRACKER_CALLBACKS_SINK_QUEUE_CAPACITY").ifPresent(b::sinkQueueCapacity);
        s.string("TRACKER_CALLBACKS_OVERFLOW_POLICY").ifPresent(v -> b.overflowPolicy(
                s.enumValue(OverflowPolicy.class, "TRACKER_CALLBACKS_OVERFLOW_POLICY", v)));
        return b.build();
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static CallbackConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private boolean enabled = true;
        private String name = DEFAULT_NAME;
        private int threads = DEFAULT_THREADS;
        private Duration listenerTimeout = DEFAULT_LISTENER_TIMEOUT;
        private int listenerQueueCapacity = DEFAULT_LISTENER_QUEUE_CAPACITY;
        private int disableAfterFailures = DEFAULT_DISABLE_AFTER_FAILURES;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private int sinkQueueCapacity = DEFAULT_SINK_QUEUE_CAPACITY;
        private OverflowPolicy overflowPolicy = DEFAULT_OVERFLOW_POLICY;

        private Builder() {
        }

        public Builder enabled(boolean v) {
            this.enabled = v;
            return this;
        }

        public Builder name(String v) {
            this.name = v;
            return this;
        }

        public Builder threads(int v) {
            this.threads = v;
            return this;
        }

        public Builder listenerTimeout(Duration v) {
            this.listenerTimeout = v;
            return this;
        }

        public Builder listenerQueueCapacity(int v) {
            this.listenerQueueCapacity = v;
            return this;
        }

        public Builder disableAfterFailures(int v) {
            this.disableAfterFailures = v;
            return this;
        }

        public Builder drainTimeout(Duration v) {
            this.drainTimeout = v;
            return this;
        }

        public Builder sinkQueueCapacity(int v) {
            this.sinkQueueCapacity = v;
            return this;
        }

        public Builder overflowPolicy(OverflowPolicy v) {
            this.overflowPolicy = v;
            return this;
        }

        public CallbackConfig build() {
            return new CallbackConfig(enabled, name, threads, listenerTimeout, listenerQueueCapacity,
                    disableAfterFailures, drainTimeout, sinkQueueCapacity, overflowPolicy);
        }
    }
}

package dev.progresstracker.eventbridge;

import dev.progresstracker.core.config.ConfigBuilder;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Immutable settings of an {@link EventBridgeSink}. Build with {@link #builder()}; {@link #defaults()}
 * holds the defaults. Each property is declared once below as a {@link Setting} (default, environment
 * variable, allowed values, doc); the builder checks every value as it is set and names the property
 * it refuses. {@code originalFields}: only EventBridge carries the original tracker's snake_case
 * fields; the original published them only there, and the journal and WebSocket stay lean.
 */
public record EventBridgeConfig(
        boolean enabled,
        String eventBusName,
        String source,
        String region,
        URI endpointOverride,
        String clusterArn,
        Duration maxBatchDelay,
        int maxBatchEntries,
        int maxRequestBytes,
        Duration progressMinInterval,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        int maxConcurrentRequests,
        int maxBufferedEvents,
        Duration spillAfter,
        Duration apiCallTimeout,
        Path outboxDirectory,
        boolean originalFields) {

    /** The {@code PutEvents} limits: entries per call and bytes per call. */
    static final int PUT_EVENTS_MAX_ENTRIES = 10;

    static final int PUT_EVENTS_MAX_BYTES = 256 * 1024;

    public static final Setting<Boolean> ENABLED = Setting.flag("enabled", true)
            .env("TRACKER_EVENTBRIDGE_ENABLED")
            .doc("whether the Guice module installs the sink at all");
    public static final Setting<String> EVENT_BUS_NAME = Setting.text("eventBusName", "default")
            .env("TRACKER_EVENTBRIDGE_BUS_NAME")
            .doc("`EventBusName` of every entry (name or ARN)");
    public static final Setting<String> SOURCE = Setting.text("source", "eks-upgrade-agent")
            .maxLength(256)
            .env("TRACKER_EVENTBRIDGE_SOURCE")
            .doc("`Source` of every entry");
    public static final Setting<String> REGION = Setting.text("region", null)
            .optional("SDK chain")
            .env("TRACKER_EVENTBRIDGE_REGION")
            .doc("AWS region of the client the sink builds");
    public static final Setting<URI> ENDPOINT_OVERRIDE = Setting.uri("endpointOverride", null)
            .optional("AWS")
            .env("TRACKER_EVENTBRIDGE_ENDPOINT")
            .doc("endpoint of the client the sink builds, e.g. `http://127.0.0.1:5000` for an emulator");
    public static final Setting<String> CLUSTER_ARN = Setting.text("clusterArn", null)
            .optional("none")
            .check(v -> v.startsWith("arn:"), "an ARN (arn:…)")
            .env("TRACKER_EVENTBRIDGE_CLUSTER_ARN")
            .doc("sole `Resources` element of every entry");
    public static final Setting<Duration> MAX_BATCH_DELAY = Setting.duration("maxBatchDelay", Duration.ofMillis(200))
            .above(Duration.ZERO)
            .env("TRACKER_EVENTBRIDGE_MAX_BATCH_DELAY")
            .doc("longest an entry waits for a fuller batch");
    public static final Setting<Integer> MAX_BATCH_ENTRIES = Setting.integer("maxBatchEntries", PUT_EVENTS_MAX_ENTRIES)
            .range(1, PUT_EVENTS_MAX_ENTRIES)
            .env("TRACKER_EVENTBRIDGE_MAX_BATCH_ENTRIES")
            .doc("entries per `PutEvents` call");
    public static final Setting<Integer> MAX_REQUEST_BYTES = Setting.integer("maxRequestBytes", PUT_EVENTS_MAX_BYTES)
            .range(1024, PUT_EVENTS_MAX_BYTES)
            .bytes()
            .env("TRACKER_EVENTBRIDGE_MAX_REQUEST_BYTES")
            .doc("summed entry size per call (AWS's formula) and largest single entry");
    public static final Setting<Duration> PROGRESS_MIN_INTERVAL = Setting.duration(
                    "progressMinInterval", Duration.ofSeconds(1))
            .atLeast(Duration.ZERO)
            .env("TRACKER_EVENTBRIDGE_PROGRESS_MIN_INTERVAL")
            .doc("least time between two `task.progress` entries of one task");
    public static final Setting<Integer> MAX_ATTEMPTS = Setting.integer("maxAttempts", 10)
            .atLeast(1)
            .env("TRACKER_EVENTBRIDGE_MAX_ATTEMPTS")
            .doc(
                    "attempts of an entry AWS keeps rejecting with a retryable code (or a configuration error) before it is dead-lettered");
    public static final Setting<Duration> INITIAL_BACKOFF = Setting.duration("initialBackoff", Duration.ofMillis(100))
            .above(Duration.ZERO)
            .env("TRACKER_EVENTBRIDGE_INITIAL_BACKOFF")
            .doc("base of the full-jitter exponential backoff");
    public static final Setting<Duration> MAX_BACKOFF = Setting.duration("maxBackoff", Duration.ofSeconds(20))
            .above(Duration.ZERO)
            .env("TRACKER_EVENTBRIDGE_MAX_BACKOFF")
            .doc(
                    "cap of the backoff, not below `initialBackoff`; whole calls failing for an outage are retried at most every min(this, 2 s)");
    public static final Setting<Integer> MAX_CONCURRENT_REQUESTS = Setting.integer("maxConcurrentRequests", 4)
            .range(1, 64)
            .env("TRACKER_EVENTBRIDGE_MAX_CONCURRENT_REQUESTS")
            .doc("`PutEvents` calls in flight (a run is in at most one; draining the outbox: the calls of one round)");
    public static final Setting<Integer> MAX_BUFFERED_EVENTS = Setting.integer("maxBufferedEvents", 10_000)
            .atLeast(100)
            .env("TRACKER_EVENTBRIDGE_MAX_BUFFERED_EVENTS")
            .doc("events held in memory; beyond this the sink spills to the outbox");
    public static final Setting<Duration> SPILL_AFTER = Setting.duration("spillAfter", Duration.ofSeconds(3))
            .above(Duration.ZERO)
            .env("TRACKER_EVENTBRIDGE_SPILL_AFTER")
            .doc("how long calls may keep failing before the sink spills to the outbox (checked every ≤ 25 ms)");
    public static final Setting<Duration> API_CALL_TIMEOUT = Setting.duration("apiCallTimeout", Duration.ofSeconds(10))
            .above(Duration.ZERO)
            .env("TRACKER_EVENTBRIDGE_API_CALL_TIMEOUT")
            .doc("a call not answered within this counts as failed (retryable)");
    public static final Setting<Path> OUTBOX_DIRECTORY = Setting.path(
                    "outboxDirectory", Path.of("data", "eventbridge-outbox"))
            .env("TRACKER_EVENTBRIDGE_OUTBOX_DIR")
            .doc("durable outbox journal, cursor and `dead-letter.jsonl`");
    public static final Setting<Boolean> ORIGINAL_FIELDS = Setting.flag("originalFields", true)
            .env("TRACKER_EVENTBRIDGE_ORIGINAL_FIELDS")
            .doc(
                    "the seven detail types of the original Python tracker also carry its snake_case fields (`upgrade_id`, `cluster_name`, …) so rules written for it keep matching");

    public static final ConfigSpec<EventBridgeConfig> SPEC = ConfigSpec.of(
            EventBridgeConfig.class,
            ENABLED,
            EVENT_BUS_NAME,
            SOURCE,
            REGION,
            ENDPOINT_OVERRIDE,
            CLUSTER_ARN,
            MAX_BATCH_DELAY,
            MAX_BATCH_ENTRIES,
            MAX_REQUEST_BYTES,
            PROGRESS_MIN_INTERVAL,
            MAX_ATTEMPTS,
            INITIAL_BACKOFF,
            MAX_BACKOFF,
            MAX_CONCURRENT_REQUESTS,
            MAX_BUFFERED_EVENTS,
            SPILL_AFTER,
            API_CALL_TIMEOUT,
            OUTBOX_DIRECTORY,
            ORIGINAL_FIELDS);

    public EventBridgeConfig {
        SPEC.validate(
                enabled,
                eventBusName,
                source,
                region,
                endpointOverride,
                clusterArn,
                maxBatchDelay,
                maxBatchEntries,
                maxRequestBytes,
                progressMinInterval,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                maxConcurrentRequests,
                maxBufferedEvents,
                spillAfter,
                apiCallTimeout,
                outboxDirectory,
                originalFields);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff (" + maxBackoff + ") must not be below initialBackoff (" + initialBackoff + ")");
        }
    }

    public static EventBridgeConfig defaults() {
        return SPEC.defaults();
    }

    public static Builder builder() {
        return new Builder(null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Defaults overridden by the environment variables of the settings above ({@code TRACKER_EVENTBRIDGE_…}). */
    public static EventBridgeConfig fromEnvironment(Function<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static EventBridgeConfig fromEnvironment(Map<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Builder with the defaults; each setter checks its value. */
    public static final class Builder extends ConfigBuilder<EventBridgeConfig, Builder> {
        /** A builder holding {@code from}'s values, or the defaults when it is null. */
        private Builder(EventBridgeConfig from) {
            super(SPEC, from);
        }

        public Builder enabled(boolean v) {
            return set(ENABLED, v);
        }

        public Builder eventBusName(String v) {
            return set(EVENT_BUS_NAME, v);
        }

        public Builder source(String v) {
            return set(SOURCE, v);
        }

        public Builder region(String v) {
            return set(REGION, v);
        }

        public Builder endpointOverride(URI v) {
            return set(ENDPOINT_OVERRIDE, v);
        }

        public Builder clusterArn(String v) {
            return set(CLUSTER_ARN, v);
        }

        public Builder maxBatchDelay(Duration v) {
            return set(MAX_BATCH_DELAY, v);
        }

        public Builder maxBatchEntries(int v) {
            return set(MAX_BATCH_ENTRIES, v);
        }

        public Builder maxRequestBytes(int v) {
            return set(MAX_REQUEST_BYTES, v);
        }

        public Builder progressMinInterval(Duration v) {
            return set(PROGRESS_MIN_INTERVAL, v);
        }

        public Builder maxAttempts(int v) {
            return set(MAX_ATTEMPTS, v);
        }

        public Builder initialBackoff(Duration v) {
            return set(INITIAL_BACKOFF, v);
        }

        public Builder maxBackoff(Duration v) {
            return set(MAX_BACKOFF, v);
        }

        public Builder maxConcurrentRequests(int v) {
            return set(MAX_CONCURRENT_REQUESTS, v);
        }

        public Builder maxBufferedEvents(int v) {
            return set(MAX_BUFFERED_EVENTS, v);
        }

        public Builder spillAfter(Duration v) {
            return set(SPILL_AFTER, v);
        }

        public Builder apiCallTimeout(Duration v) {
            return set(API_CALL_TIMEOUT, v);
        }

        public Builder outboxDirectory(Path v) {
            return set(OUTBOX_DIRECTORY, v);
        }

        public Builder originalFields(boolean v) {
            return set(ORIGINAL_FIELDS, v);
        }
    }
}

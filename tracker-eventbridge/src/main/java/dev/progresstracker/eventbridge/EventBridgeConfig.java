package dev.progresstracker.eventbridge;

import static dev.progresstracker.core.ConfigChecks.requirePositive;

import dev.progresstracker.core.EnvSettings;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.Objects;
import java.net.URI;
import java.time.Duration;

/**
 * Immutable settings of an {@link EventBridgeSink}. Build with {@link #builder()}; {@link #defaults()}
 * holds the documented defaults. The builder checks every value and names the field it rejects.
 *
 * @param enabled               whether the Guice module installs the sink at all; default true
 * @param eventBusName          {@code EventBusName} of every entry (name or ARN); default {@value #DEFAULT_EVENT_BUS_NAME}
 * @param source                {@code Source} of every entry; default {@value #DEFAULT_SOURCE}
 * @param region                AWS region of the client the sink builds; null = the SDK's default region chain
 * @param endpointOverride      endpoint of the client the sink builds (emulators); null = AWS
 * @param clusterArn            sole {@code Resources} element of every entry; null = no resources
 * @param maxBatchDelay         longest an entry waits for a fuller batch; default 200 ms
 * @param maxBatchEntries       entries per {@code PutEvents} call, 1..10; default {@value #DEFAULT_MAX_BATCH_ENTRIES}
 * @param maxRequestBytes       summed entry size per call (AWS's formula) and largest single entry; default 256 KiB
 * @param progressMinInterval   least time between two {@code task.progress} entries of one task; default 1 s
 * @param maxAttempts           attempts of an entry that AWS keeps rejecting with a retryable code before it is
 *                              dead-lettered; default {@value #DEFAULT_MAX_ATTEMPTS}
 * @param initialBackoff        base of the full-jitter exponential backoff; default 100 ms
 * @param maxBackoff            cap of the backoff; default 20 s
 * @param maxConcurrentRequests {@code PutEvents} calls in flight (one run is in at most one); default {@value #DEFAULT_MAX_CONCURRENT_REQUESTS}
 * @param maxBufferedEvents     events held in memory; beyond this the sink spills to the outbox; default {@value #DEFAULT_MAX_BUFFERED_EVENTS}
 * @param spillAfter            how long calls may keep failing before the sink spills to the outbox; default 3 s
 * @param apiCallTimeout        a call not answered within this counts as failed (retryable); default 10 s
 * @param outboxDirectory       durable outbox and dead-letter file; default {@code data/eventbridge-outbox}
 * @param originalFields        whether the {@code Detail} of the seven detail types the original Python tracker
 *                              published also carries its snake_case fields ({@code upgrade_id}, {@code cluster_name},
 *                              …), so rules written for it keep matching; default true. Only EventBridge carries
 *                              them: the original published them only there, and the journal and WebSocket stay lean.
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

    public static final String DEFAULT_EVENT_BUS_NAME = "default";
    public static final String DEFAULT_SOURCE = "eks-upgrade-agent";
    public static final Duration DEFAULT_MAX_BATCH_DELAY = Duration.ofMillis(200);
    /** The {@code PutEvents} limit. */
    public static final int DEFAULT_MAX_BATCH_ENTRIES = 10;
    /** The {@code PutEvents} limit: 256 KiB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;
    public static final Duration DEFAULT_PROGRESS_MIN_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(20);
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 4;
    public static final int DEFAULT_MAX_BUFFERED_EVENTS = 10_000;
    public static final Duration DEFAULT_SPILL_AFTER = Duration.ofSeconds(3);
    public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(10);
    public static final Path DEFAULT_OUTBOX_DIRECTORY = Path.of("data", "eventbridge-outbox");

    private static final EventBridgeConfig DEFAULTS = builder().build();

    public EventBridgeConfig {
        requireText(eventBusName, "eventBusName");
        requireText(source, "source");
        if (source.length() > 256) {
            throw new IllegalArgumentException("source must be at most 256 characters, got " + source.length());
        }
        if (region != null && region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank (use null for the SDK default)");
        }
        if (clusterArn != null && !clusterArn.startsWith("arn:")) {
            throw new IllegalArgumentException("clusterArn must be an ARN (arn:...), got '" + clusterArn + "'");
        }
        if (endpointOverride != null && (endpointOverride.getScheme() == null || endpointOverride.getHost() == null)) {
            throw new IllegalArgumentException("endpointOverride must be an absolute URI like http://127.0.0.1:5000, got '"
                    + endpointOverride + "'");
        }
        requirePositive("maxBatchDelay", maxBatchDelay);
        if (maxBatchEntries < 1 || maxBatchEntries > DEFAULT_MAX_BATCH_ENTRIES) {
            throw new IllegalArgumentException("maxBatchEntries must be within 1..10, got " + maxBatchEntries);
        }
        if (maxRequestBytes < 1024 || maxRequestBytes > DEFAULT_MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("maxRequestBytes must be within 1024.." + DEFAULT_MAX_REQUEST_BYTES
                    + ", got " + maxRequestBytes);
        }
        Objects.requireNonNull(progressMinInterval, "progressMinInterval must not be null");
        if (progressMinInterval.isNegative()) {
            throw new IllegalArgumentException("progressMinInterval must not be negative, got " + progressMinInterval);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be below initialBackoff ("
                    + initialBackoff + ")");
        }
        if (maxConcurrentRequests < 1 || maxConcurrentRequests > 64) {
            throw new IllegalArgumentException("maxConcurrentRequests must be within 1..64, got " + maxConcurrentRequests);
        }
        if (maxBufferedEvents < 100) {
            throw new IllegalArgumentException("maxBufferedEvents must be at least 100, got " + maxBufferedEvents);
        }
        requirePositive("spillAfter", spillAfter);
        requirePositive("apiCallTimeout", apiCallTimeout);
        Objects.requireNonNull(outboxDirectory, "outboxDirectory must not be null");
    }

    public static EventBridgeConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().enabled(enabled).eventBusName(eventBusName).source(source).region(region)
                .endpointOverride(endpointOverride).clusterArn(clusterArn).maxBatchDelay(maxBatchDelay)
                .maxBatchEntries(maxBatchEntries).maxRequestBytes(maxRequestBytes)
                .progressMinInterval(progressMinInterval).maxAttempts(maxAttempts).initialBackoff(initialBackoff)
                .maxBackoff(maxBackoff).maxConcurrentRequests(maxConcurrentRequests)
                .maxBufferedEvents(maxBufferedEvents).spillAfter(spillAfter).apiCallTimeout(apiCallTimeout)
                .outboxDirectory(outboxDirectory).originalFields(originalFields);
    }

    /**
     * Defaults overridden by {@code TRACKER_EVENTBRIDGE_ENABLED}, {@code _BUS_NAME}, {@code _SOURCE},
     * {@code _REGION}, {@code _ENDPOINT}, {@code _CLUSTER_ARN}, {@code _MAX_BATCH_DELAY},
     * {@code _MAX_BATCH_ENTRIES}, {@code _MAX_REQUEST_BYTES}, {@code _PROGRESS_MIN_INTERVAL},
     * {@code _MAX_ATTEMPTS}, {@code _INITIAL_BACKOFF}, {@code _MAX_BACKOFF}, {@code _MAX_CONCURRENT_REQUESTS},
     * {@code _MAX_BUFFERED_EVENTS}, {@code _SPILL_AFTER}, {@code _API_CALL_TIMEOUT}, {@code _OUTBOX_DIR}, {@code _ORIGINAL_FIELDS} (all
     * prefixed {@code TRACKER_EVENTBRIDGE}); durations are ISO-8601 ({@code PT0.2S}) or milliseconds.
     */
    public static EventBridgeConfig fromEnvironment(Function<String, String> env) {
        EnvSettings s = new EnvSettings(env);
        String p = "TRACKER_EVENTBRIDGE_";
        Builder b = builder();
        s.bool(p + "ENABLED").ifPresent(b::enabled);
        s.string(p + "BUS_NAME").ifPresent(b::eventBusName);
        s.string(p + "SOURCE").ifPresent(b::source);
        s.string(p + "REGION").ifPresent(b::region);
        s.uri(p + "ENDPOINT").ifPresent(b::endpointOverride);
        s.string(p + "CLUSTER_ARN").ifPresent(b::clusterArn);
        s.duration(p + "MAX_BATCH_DELAY").ifPresent(b::maxBatchDelay);
        s.integer(p + "MAX_BATCH_ENTRIES").ifPresent(b::maxBatchEntries);
        s.integer(p + "MAX_REQUEST_BYTES").ifPresent(b::maxRequestBytes);
        s.duration(p + "PROGRESS_MIN_INTERVAL").ifPresent(b::progressMinInterval);
        s.integer(p + "MAX_ATTEMPTS").ifPresent(b::maxAttempts);
        s.duration(p + "INITIAL_BACKOFF").ifPresent(b::initialBackoff);
        s.duration(p + "MAX_BACKOFF").ifPresent(b::maxBackoff);
        s.integer(p + "MAX_CONCURRENT_REQUESTS").ifPresent(b::maxConcurrentRequests);
        s.integer(p + "MAX_BUFFERED_EVENTS").ifPresent(b::maxBufferedEvents);
        s.duration(p + "SPILL_AFTER").ifPresent(b::spillAfter);
        s.duration(p + "API_CALL_TIMEOUT").ifPresent(b::apiCallTimeout);
        s.string(p + "OUTBOX_DIR").ifPresent(v -> b.outboxDirectory(Path.of(v)));
        s.bool(p + "ORIGINAL_FIELDS").ifPresent(b::originalFields);
        return b.build();
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static EventBridgeConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    private static void requireText(String v, String field) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }

    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private boolean enabled = true;
        private String eventBusName = DEFAULT_EVENT_BUS_NAME;
        private String source = DEFAULT_SOURCE;
        private String region;
        private URI endpointOverride;
        private String clusterArn;
        private Duration maxBatchDelay = DEFAULT_MAX_BATCH_DELAY;
        private int maxBatchEntries = DEFAULT_MAX_BATCH_ENTRIES;
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private Duration progressMinInterval = DEFAULT_PROGRESS_MIN_INTERVAL;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
        private int maxBufferedEvents = DEFAULT_MAX_BUFFERED_EVENTS;
        private Duration spillAfter = DEFAULT_SPILL_AFTER;
        private Duration apiCallTimeout = DEFAULT_API_CALL_TIMEOUT;
        private Path outboxDirectory = DEFAULT_OUTBOX_DIRECTORY;
        private boolean originalFields = true;

        private Builder() {
        }

        public Builder enabled(boolean v) {
            enabled = v;
            return this;
        }

        public Builder eventBusName(String v) {
            eventBusName = v;
            return this;
        }

        public Builder source(String v) {
            source = v;
            return this;
        }

        public Builder region(String v) {
            region = v;
            return this;
        }

        public Builder endpointOverride(URI v) {
            endpointOverride = v;
            return this;
        }

        public Builder clusterArn(String v) {
            clusterArn = v;
            return this;
        }

        public Builder maxBatchDelay(Duration v) {
            maxBatchDelay = v;
            return this;
        }

        public Builder maxBatchEntries(int v) {
            maxBatchEntries = v;
            return this;
        }

        public Builder maxRequestBytes(int v) {
            maxRequestBytes = v;
            return this;
        }

        public Builder progressMinInterval(Duration v) {
            progressMinInterval = v;
            return this;
        }

        public Builder maxAttempts(int v) {
            maxAttempts = v;
            return this;
        }

        public Builder initialBackoff(Duration v) {
            initialBackoff = v;
            return this;
        }

        public Builder maxBackoff(Duration v) {
            maxBackoff = v;
            return this;
        }

        public Builder maxConcurrentRequests(int v) {
            maxConcurrentRequests = v;
            return this;
        }

        public Builder maxBufferedEvents(int v) {
            maxBufferedEvents = v;
            return this;
        }

        public Builder spillAfter(Duration v) {
            spillAfter = v;
            return this;
        }

        public Builder apiCallTimeout(Duration v) {
            apiCallTimeout = v;
            return this;
        }

        public Builder outboxDirectory(Path v) {
            outboxDirectory = v;
            return this;
        }

        /** Whether the seven original detail types also carry the original's snake_case fields; default true. */
        public Builder originalFields(boolean v) {
            originalFields = v;
            return this;
        }

        public EventBridgeConfig build() {
            return new EventBridgeConfig(enabled, eventBusName, source, region, endpointOverride, clusterArn,
                    maxBatchDelay, maxBatchEntries, maxRequestBytes, progressMinInterval, maxAttempts, initialBackoff,
                    maxBackoff, maxConcurrentRequests, maxBufferedEvents, spillAfter, apiCallTimeout, outboxDirectory,
                    originalFields);
        }
    }
}

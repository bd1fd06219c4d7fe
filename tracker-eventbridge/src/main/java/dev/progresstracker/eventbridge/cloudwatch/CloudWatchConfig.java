package dev.progresstracker.eventbridge.cloudwatch;

import dev.progresstracker.core.EnvSettings;

import java.util.Map;
import java.util.function.Function;
import java.util.Objects;
import java.net.URI;
import java.time.Duration;

/**
 * Settings of {@link CloudWatchMetrics}. Build with {@link #builder()}; the builder names the field it rejects.
 *
 * @param enabled          whether metrics are published at all; default true
 * @param namespace        CloudWatch namespace; default {@value #DEFAULT_NAMESPACE}
 * @param step             publishing interval (one {@code PutMetricData} round per step, and one more on close); default 60 s
 * @param batchSize        metric data per {@code PutMetricData} call, 1..1000 (the API limit); default {@value #DEFAULT_BATCH_SIZE}
 * @param includeRunId     also publishes every run metric per run (dimension {@code RunId}); default false. Each run
 *                         then adds about 12 custom metrics, billed per metric-month: worth it for a few long runs
 * @param highResolution   publishes with a storage resolution of 1 s (high-resolution metrics, alarms on 10 s periods);
 *                         default false (60 s). Use with a {@code step} below 60 s
 * @param region           region of the client built here; null = SDK default chain
 * @param endpointOverride endpoint of the client built here (emulators); null = AWS
 */
public record CloudWatchConfig(boolean enabled, String namespace, Duration step, int batchSize, boolean includeRunId,
                               boolean highResolution, String region, URI endpointOverride) {

    public static final String DEFAULT_NAMESPACE = "ProgressTracker";
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(60);
    /** The {@code PutMetricData} limit of metric data per request. */
    public static final int DEFAULT_BATCH_SIZE = 1000;

    public CloudWatchConfig {
        if (namespace == null || namespace.isBlank() || namespace.startsWith("AWS/") || namespace.length() > 255) {
            throw new IllegalArgumentException("namespace must be 1..255 characters and not start with AWS/, got '"
                    + namespace + "'");
        }
        Objects.requireNonNull(step, "step must not be null");
        if (step.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("step must be at least 1 s, got " + step);
        }
        if (batchSize < 1 || batchSize > DEFAULT_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be within 1..1000, got " + batchSize);
        }
        if (region != null && region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank (use null for the SDK default)");
        }
    }

    public static CloudWatchConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        return builder().enabled(enabled).namespace(namespace).step(step).batchSize(batchSize).includeRunId(includeRunId)
                .highResolution(highResolution).region(region).endpointOverride(endpointOverride);
    }

    /**
     * Defaults overridden by {@code TRACKER_CLOUDWATCH_ENABLED}, {@code _NAMESPACE}, {@code _STEP},
     * {@code _BATCH_SIZE}, {@code _INCLUDE_RUN_ID}, {@code _HIGH_RESOLUTION}, {@code _REGION}, {@code _ENDPOINT} (prefix {@code TRACKER_CLOUDWATCH}).
     */
    public static CloudWatchConfig fromEnvironment(Function<String, String> env) {
        EnvSettings s = new EnvSettings(env);
        String p = "TRACKER_CLOUDWATCH_";
        Builder b = builder();
        s.bool(p + "ENABLED").ifPresent(b::enabled);
        s.string(p + "NAMESPACE").ifPresent(b::namespace);
        s.duration(p + "STEP").ifPresent(b::step);
        s.integer(p + "BATCH_SIZE").ifPresent(b::batchSize);
        s.bool(p + "INCLUDE_RUN_ID").ifPresent(b::includeRunId);
        s.bool(p + "HIGH_RESOLUTION").ifPresent(b::highResolution);
        s.string(p + "REGION").ifPresent(b::region);
        s.uri(p + "ENDPOINT").ifPresent(b::endpointOverride);
        return b.build();
    }

    public static CloudWatchConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private boolean enabled = true;
        private String namespace = DEFAULT_NAMESPACE;
        private Duration step = DEFAULT_STEP;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private boolean includeRunId;
        private boolean highResolution;
        private String region;
        private URI endpointOverride;

        private Builder() {
        }

        public Builder enabled(boolean v) {
            enabled = v;
            return this;
        }

        public Builder namespace(String v) {
            namespace = v;
            return this;
        }

        public Builder step(Duration v) {
            step = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder includeRunId(boolean v) {
            includeRunId = v;
            return this;
        }

        public Builder highResolution(boolean v) {
            highResolution = v;
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

        public CloudWatchConfig build() {
            return new CloudWatchConfig(enabled, namespace, step, batchSize, includeRunId, highResolution, region,
                    endpointOverride);
        }
    }
}

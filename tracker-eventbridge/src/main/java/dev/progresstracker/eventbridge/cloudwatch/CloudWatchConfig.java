package dev.progresstracker.eventbridge.cloudwatch;

import dev.progresstracker.core.config.ConfigBuilder;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Settings of {@link CloudWatchMetrics}. Build with {@link #builder()}; {@link #defaults()} holds the
 * defaults. Each property is declared once below as a {@link Setting}; the builder checks every
 * value as it is set and names the property it refuses.
 */
public record CloudWatchConfig(
        boolean enabled,
        String namespace,
        Duration step,
        int batchSize,
        boolean includeRunId,
        boolean highResolution,
        String region,
        URI endpointOverride) {

    /** The default publishing interval. */
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(60);
    /** The {@code PutMetricData} limit of metric data per request. */
    static final int PUT_METRIC_DATA_MAX = 1000;

    public static final Setting<Boolean> ENABLED =
            Setting.flag("enabled", true).env("TRACKER_CLOUDWATCH_ENABLED").doc("whether metrics are published at all");
    public static final Setting<String> NAMESPACE = Setting.text("namespace", "ProgressTracker")
            .maxLength(255)
            .check(v -> !v.startsWith("AWS/"), "not starting with AWS/")
            .env("TRACKER_CLOUDWATCH_NAMESPACE")
            .doc("CloudWatch namespace");
    public static final Setting<Duration> STEP = Setting.duration("step", DEFAULT_STEP)
            .atLeast(Duration.ofSeconds(1))
            .env("TRACKER_CLOUDWATCH_STEP")
            .doc("publishing interval (one `PutMetricData` round per step)");
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("batchSize", PUT_METRIC_DATA_MAX)
            .range(1, PUT_METRIC_DATA_MAX)
            .env("TRACKER_CLOUDWATCH_BATCH_SIZE")
            .doc("metric data per `PutMetricData` call");
    public static final Setting<Boolean> INCLUDE_RUN_ID = Setting.flag("includeRunId", false)
            .env("TRACKER_CLOUDWATCH_INCLUDE_RUN_ID")
            .doc("adds a `RunId` dimension besides `ClusterName` (default: one series per cluster)");
    public static final Setting<Boolean> HIGH_RESOLUTION = Setting.flag("highResolution", false)
            .env("TRACKER_CLOUDWATCH_HIGH_RESOLUTION")
            .doc("publishes with a storage resolution of 1 s (alarms on 10 s periods); use with a `step` below 60 s");
    public static final Setting<String> REGION = Setting.text("region", null)
            .optional("SDK chain")
            .env("TRACKER_CLOUDWATCH_REGION")
            .doc("region of the client built here");
    public static final Setting<URI> ENDPOINT_OVERRIDE = Setting.uri("endpointOverride", null)
            .optional("AWS")
            .env("TRACKER_CLOUDWATCH_ENDPOINT")
            .doc("endpoint of the client built here (emulators; must speak the SDK's CBOR protocol)");

    public static final ConfigSpec<CloudWatchConfig> SPEC = ConfigSpec.of(
            CloudWatchConfig.class,
            ENABLED,
            NAMESPACE,
            STEP,
            BATCH_SIZE,
            INCLUDE_RUN_ID,
            HIGH_RESOLUTION,
            REGION,
            ENDPOINT_OVERRIDE);

    public CloudWatchConfig {
        SPEC.validate(enabled, namespace, step, batchSize, includeRunId, highResolution, region, endpointOverride);
    }

    public static CloudWatchConfig defaults() {
        return SPEC.defaults();
    }

    public static Builder builder() {
        return new Builder(null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Defaults overridden by the environment variables of the settings above, looked up in {@code env}. */
    public static CloudWatchConfig fromEnvironment(Function<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static CloudWatchConfig fromEnvironment(Map<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Builder with the defaults; each setter checks its value. */
    public static final class Builder extends ConfigBuilder<CloudWatchConfig, Builder> {
        /** A builder holding {@code from}'s values, or the defaults when it is null. */
        private Builder(CloudWatchConfig from) {
            super(SPEC, from);
        }

        public Builder enabled(boolean v) {
            return set(ENABLED, v);
        }

        public Builder namespace(String v) {
            return set(NAMESPACE, v);
        }

        public Builder step(Duration v) {
            return set(STEP, v);
        }

        public Builder batchSize(int v) {
            return set(BATCH_SIZE, v);
        }

        public Builder includeRunId(boolean v) {
            return set(INCLUDE_RUN_ID, v);
        }

        public Builder highResolution(boolean v) {
            return set(HIGH_RESOLUTION, v);
        }

        public Builder region(String v) {
            return set(REGION, v);
        }

        public Builder endpointOverride(URI v) {
            return set(ENDPOINT_OVERRIDE, v);
        }
    }
}

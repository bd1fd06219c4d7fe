package dev.progresstracker.eventbridge.cloudwatch;

import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;

import java.time.Duration;
import java.util.Objects;

/**
 * Publishes tracker metrics to CloudWatch through Micrometer's {@code CloudWatchMeterRegistry}: it
 * pushes every {@link CloudWatchConfig#step()} on its own thread (never the caller's), in
 * {@code PutMetricData} calls of at most {@link CloudWatchConfig#batchSize()} data, and once more
 * on {@link #close()}. Give {@link #registry()} to the EventBridge sink's builder to publish its
 * publish lag too, and add {@link #sink()} to the tracker for the run metrics.
 */
public final class CloudWatchMetrics implements AutoCloseable {

    private final CloudWatchMeterRegistry registry;
    private final RunMetricsSink sink;
    private final CloudWatchAsyncClient client;
    private final boolean ownsClient;
    private boolean closed;

    private CloudWatchMetrics(CloudWatchConfig config, CloudWatchAsyncClient client, boolean ownsClient, Clock clock) {
        this.client = client;
        this.ownsClient = ownsClient;
        io.micrometer.cloudwatch2.CloudWatchConfig mc = new io.micrometer.cloudwatch2.CloudWatchConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String namespace() {
                return config.namespace();
            }

            @Override
            public Duration step() {
                return config.step();
            }

            @Override
            public int batchSize() {
                return config.batchSize();
            }

            @Override
            public boolean enabled() {
                return config.enabled();
            }
        };
        this.registry = new CloudWatchMeterRegistry(mc, clock, client);
        this.sink = new RunMetricsSink(registry, config.includeRunId(), this::close);
    }

    /** With a client of the caller's (not closed here). */
    public static CloudWatchMetrics create(CloudWatchConfig config, CloudWatchAsyncClient client) {
        return new CloudWatchMetrics(config, Objects.requireNonNull(client, "client must not be null"), false,
                Clock.SYSTEM);
    }

    /** With a client built from the config (region, endpoint) and {@code credentials} (null = default chain). */
    public static CloudWatchMetrics create(CloudWatchConfig config, AwsCredentialsProvider credentials) {
        CloudWatchAsyncClientBuilder b = CloudWatchAsyncClient.builder()
                .credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder().build());
        if (config.region() != null) {
            b.region(Region.of(config.region()));
        }
        if (config.endpointOverride() != null) {
            b.endpointOverride(config.endpointOverride());
        }
        return new CloudWatchMetrics(config, b.build(), true, Clock.SYSTEM);
    }

    /** The registry that is pushed to CloudWatch. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The sink that turns events into run meters; add it to the tracker (or factory). Closing it
     * (the tracker does, on close) closes this object.
     */
    public RunMetricsSink sink() {
        return sink;
    }

    /** Publishes once more and stops. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        registry.close();
        if (ownsClient) {
            client.close();
        }
    }
}

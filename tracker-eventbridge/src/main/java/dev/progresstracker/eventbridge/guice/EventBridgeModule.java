package dev.progresstracker.eventbridge.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import dev.progresstracker.eventbridge.EventBridgeSink;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchConfig;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Adds an {@link EventBridgeSink} to {@code TrackerModule}'s {@code Multibinder<EventSink>}, and with
 * CloudWatch enabled the run-metrics sink of a {@link CloudWatchMetrics} (whose registry then also
 * carries the EventBridge sink's meters). A disabled config contributes nothing. Optional bindings:
 * {@link EventBridgeAsyncClient} (default: built from the config, owned by the sink),
 * {@link AwsCredentialsProvider} (default chain), {@link MeterRegistry} (default the global registry).
 */
public final class EventBridgeModule extends AbstractModule {

    private final EventBridgeConfig config;
    private final CloudWatchConfig cloudWatch;

    /** Both configs from the process environment ({@code TRACKER_EVENTBRIDGE_*}, {@code TRACKER_CLOUDWATCH_*}). */
    public EventBridgeModule() {
        this(EventBridgeConfig.fromEnvironment(System::getenv), CloudWatchConfig.fromEnvironment(System::getenv));
    }

    /** EventBridge only. */
    public EventBridgeModule(EventBridgeConfig config) {
        this(config, CloudWatchConfig.builder().enabled(false).build());
    }

    public EventBridgeModule(EventBridgeConfig config, CloudWatchConfig cloudWatch) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch must not be null");
    }

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), EventBridgeAsyncClient.class);
        OptionalBinder.newOptionalBinder(binder(), AwsCredentialsProvider.class);
        OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class);
        Multibinder<EventSink> sinks = Multibinder.newSetBinder(binder(), EventSink.class);
        if (config.enabled()) {
            sinks.addBinding().to(EventBridgeSink.class);
        }
        if (cloudWatch.enabled()) {
            // The provider is looked up here: the binder may only be used inside configure().
            com.google.inject.Provider<CloudWatchMetrics> metrics = getProvider(CloudWatchMetrics.class);
            sinks.addBinding().toProvider(() -> metrics.get().sink());
        }
    }

    @Provides
    @Singleton
    CloudWatchMetrics cloudWatchMetrics(Optional<AwsCredentialsProvider> credentials) {
        return CloudWatchMetrics.create(cloudWatch, credentials.orElse(null));
    }

    @Provides
    @Singleton
    EventBridgeSink eventBridgeSink(Optional<EventBridgeAsyncClient> client, Optional<AwsCredentialsProvider> credentials,
                                    Optional<MeterRegistry> registry, Clock clock,
                                    com.google.inject.Provider<CloudWatchMetrics> cloudWatchMetrics) {
        EventBridgeSink.Builder b = EventBridgeSink.builder(config).clock(clock);
        client.ifPresent(b::client);
        b.credentialsProvider(credentials.orElseGet(() -> DefaultCredentialsProvider.builder().build()));
        MeterRegistry meters = registry.orElseGet(() -> cloudWatch.enabled() ? cloudWatchMetrics.get().registry()
                : Metrics.globalRegistry);
        return b.meterRegistry(meters).build();
    }
}

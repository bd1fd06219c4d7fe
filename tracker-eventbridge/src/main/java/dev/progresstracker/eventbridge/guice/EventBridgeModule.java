package dev.progresstracker.eventbridge.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.HealthCheck;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import dev.progresstracker.eventbridge.EventBridgeHealth;
import dev.progresstracker.eventbridge.EventBridgeSink;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchConfig;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;

/**
 * Adds an {@link EventBridgeSink} to {@code TrackerModule}'s {@code Multibinder<EventSink>} and its
 * health to {@code Multibinder<HealthCheck>}; a disabled config contributes nothing. CloudWatch is
 * {@link CloudWatchModule}'s: install it beside this one (or use the two-config constructor); when it
 * is on, the sink's meters go to its registry so its publish lag and outbox depth are published.
 * Optional bindings: {@link EventBridgeAsyncClient} (default: built from the config, owned by the
 * sink), {@link AwsCredentialsProvider} (default chain), {@link MeterRegistry} (default the
 * CloudWatch metrics' registry, else the global registry).
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

    /** EventBridge and CloudWatch, each on or off by its own config (installs a {@link CloudWatchModule}). */
    public EventBridgeModule(EventBridgeConfig config, CloudWatchConfig cloudWatch) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch must not be null");
    }

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), EventBridgeAsyncClient.class);
        OptionalBinder.newOptionalBinder(binder(), AwsCredentialsProvider.class);
        OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class);
        OptionalBinder.newOptionalBinder(binder(), CloudWatchMetrics.class);
        Multibinder<EventSink> sinks = Multibinder.newSetBinder(binder(), EventSink.class);
        Multibinder<HealthCheck> health = Multibinder.newSetBinder(binder(), HealthCheck.class);
        if (config.enabled()) {
            sinks.addBinding().to(EventBridgeSink.class);
            com.google.inject.Provider<EventBridgeSink> sink = getProvider(EventBridgeSink.class);
            health.addBinding().toProvider(() -> EventBridgeHealth.of(sink.get()));
        }
        if (cloudWatch.enabled()) {
            install(new CloudWatchModule(cloudWatch));
        }
    }

    @Provides
    @Singleton
    EventBridgeSink eventBridgeSink(
            Optional<EventBridgeAsyncClient> client,
            Optional<AwsCredentialsProvider> credentials,
            Optional<MeterRegistry> registry,
            Clock clock,
            Optional<CloudWatchMetrics> cloudWatchMetrics) {
        EventBridgeSink.Builder b = EventBridgeSink.builder(config).clock(clock);
        client.ifPresent(b::client);
        b.credentialsProvider(
                credentials.orElseGet(() -> DefaultCredentialsProvider.builder().build()));
        MeterRegistry meters = registry.orElseGet(
                () -> cloudWatchMetrics.map(CloudWatchMetrics::registry).orElse(Metrics.globalRegistry));
        return b.meterRegistry(meters).build();
    }
}

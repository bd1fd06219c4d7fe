package dev.progresstracker.eventbridge.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.HealthCheck;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchConfig;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchMetrics;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * CloudWatch metrics on their own: with the config enabled, binds a {@link CloudWatchMetrics} and adds
 * its run-metrics sink to {@code Multibinder<EventSink>} and its health to {@code Multibinder<HealthCheck>};
 * disabled, it contributes nothing. Works with or without {@link EventBridgeModule} (which, when both
 * are installed, publishes the EventBridge sink's lag and outbox depth through it). Optional bindings:
 * {@link CloudWatchAsyncClient} (default: built from the config and closed with the metrics),
 * {@link AwsCredentialsProvider} (default chain).
 */
public final class CloudWatchModule extends AbstractModule {

    private final CloudWatchConfig config;

    public CloudWatchModule(CloudWatchConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /** From {@code TRACKER_CLOUDWATCH_*} environment variables. */
    public static CloudWatchModule fromEnvironment() {
        return new CloudWatchModule(CloudWatchConfig.fromEnvironment(System::getenv));
    }

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), CloudWatchAsyncClient.class);
        OptionalBinder.newOptionalBinder(binder(), AwsCredentialsProvider.class);
        OptionalBinder<CloudWatchMetrics> metrics = OptionalBinder.newOptionalBinder(binder(), CloudWatchMetrics.class);
        Multibinder.newSetBinder(binder(), HealthCheck.class);
        if (!config.enabled()) {
            return;
        }
        metrics.setDefault()
                .toProvider(new MetricsProvider(
                        config,
                        getProvider(com.google.inject.Key.get(
                                new com.google.inject.TypeLiteral<Optional<CloudWatchAsyncClient>>() {})),
                        getProvider(com.google.inject.Key.get(
                                new com.google.inject.TypeLiteral<Optional<AwsCredentialsProvider>>() {}))))
                .in(Singleton.class);
        com.google.inject.Provider<CloudWatchMetrics> provider = getProvider(CloudWatchMetrics.class);
        Multibinder.newSetBinder(binder(), EventSink.class)
                .addBinding()
                .toProvider(() -> provider.get().sink());
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().toProvider(provider::get);
    }

    private record MetricsProvider(
            CloudWatchConfig config,
            com.google.inject.Provider<Optional<CloudWatchAsyncClient>> client,
            com.google.inject.Provider<Optional<AwsCredentialsProvider>> credentials)
            implements com.google.inject.Provider<CloudWatchMetrics> {
        @Override
        public CloudWatchMetrics get() {
            Optional<CloudWatchAsyncClient> c = client.get();
            return c.isPresent()
                    ? CloudWatchMetrics.create(config, c.get())
                    : CloudWatchMetrics.create(config, credentials.get().orElse(null));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloudWatchModule m && m.config.equals(config);
    }

    @Override
    public int hashCode() {
        return config.hashCode();
    }
}

package dev.progresstracker.eventbridge.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.MetricsExposition;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchMetrics;
import dev.progresstracker.eventbridge.cloudwatch.PrometheusMetrics;
import dev.progresstracker.eventbridge.cloudwatch.RunMetricsSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.util.Optional;

/**
 * The tracker's metrics for Prometheus: binds a {@link PrometheusMetrics} as the
 * {@link MetricsExposition} the dashboard serves at {@code /metrics}, fed by a run-metrics sink of its
 * own in {@code Multibinder<EventSink>}. The EventBridge sink's lag and outbox depth are read from the
 * CloudWatch metrics' registry when {@link CloudWatchModule} is on, else from the bound
 * {@link MeterRegistry}, else the global one. Needs {@code micrometer-registry-prometheus}.
 */
public final class PrometheusModule extends AbstractModule {

    private final boolean includeRunId;

    /** @param includeRunId also expose every run metric per run (label {@code run_id}) */
    public PrometheusModule(boolean includeRunId) {
        this.includeRunId = includeRunId;
    }

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), CloudWatchMetrics.class);
        OptionalBinder.newOptionalBinder(binder(), MeterRegistry.class);
        OptionalBinder.newOptionalBinder(binder(), MetricsExposition.class)
                .setBinding()
                .to(PrometheusMetrics.class);
        com.google.inject.Provider<PrometheusMetrics> metrics = getProvider(PrometheusMetrics.class);
        Multibinder.newSetBinder(binder(), EventSink.class)
                .addBinding()
                .toProvider(() -> metrics.get().sink());
    }

    @Provides
    @Singleton
    PrometheusMetrics prometheusMetrics(
            Optional<CloudWatchMetrics> cloudWatch, Optional<MeterRegistry> registry, Clock clock) {
        MeterRegistry eventBridgeMeters =
                cloudWatch.map(CloudWatchMetrics::registry).orElseGet(() -> registry.orElse(Metrics.globalRegistry));
        return PrometheusMetrics.create(new RunMetricsSink(includeRunId, eventBridgeMeters, clock), includeRunId);
    }
}

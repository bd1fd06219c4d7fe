package dev.progresstracker.core.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.spi.AnalyticsHook;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Binds a singleton {@link TrackerFactory} from the {@link ProgressStore} (default: in memory),
 * every {@link EventSink} contributed through {@code Multibinder<EventSink>}, a {@link Clock}
 * (default UTC system clock), the {@link TrackerConfig}, the {@link AnalyticsHook} (default none;
 * {@code tracker-analytics}' {@code AnalyticsModule} installs the preset of the configured tracking
 * mode) and an optional {@link EstimatorSupplier} (which wins over the analytics' estimator). With {@link #forRun} it also binds a
 * singleton {@link ProgressTracker} for that run.
 *
 * <p>Output modules ({@code FileStorageModule}, {@code EventBridgeModule}, {@code CallbackModule},
 * {@code WebSocketModule}) add themselves: the store through {@code OptionalBinder.setBinding()},
 * sinks through the multibinder. Not installing one switches it off; a user binding replaces it.
 */
public final class TrackerModule extends AbstractModule {

    private final TrackerConfig config;
    private final RunIdentity run;

    private record RunIdentity(String runId, String planId, String clusterName) {}

    public TrackerModule() {
        this(TrackerConfig.defaults());
    }

    public TrackerModule(TrackerConfig config) {
        this(config, null);
    }

    private TrackerModule(TrackerConfig config, RunIdentity run) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.run = run;
    }

    /** Also binds a {@link ProgressTracker} for one run (resumed if the store has it). */
    public static TrackerModule forRun(TrackerConfig config, String runId, String planId, String clusterName) {
        return new TrackerModule(config, new RunIdentity(RunIds.requireValidRunId(runId), planId, clusterName));
    }

    /** Type of the optional binding for the ETA estimator supplier (no default: the analytics' or linear). */
    public interface EstimatorSupplier extends Supplier<EtaEstimator> {}

    @Override
    protected void configure() {
        bind(TrackerConfig.class).toInstance(config);
        OptionalBinder.newOptionalBinder(binder(), ProgressStore.class)
                .setDefault()
                .toProvider(InMemoryProgressStore::new)
                .in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), Clock.class).setDefault().toInstance(Clock.systemUTC());
        OptionalBinder.newOptionalBinder(binder(), EstimatorSupplier.class);
        OptionalBinder.newOptionalBinder(binder(), AnalyticsHook.class)
                .setDefault()
                .toInstance(AnalyticsHook.NONE);
        Multibinder.newSetBinder(binder(), EventSink.class);
    }

    @Provides
    @Singleton
    TrackerFactory trackerFactory(
            ProgressStore store,
            Set<EventSink> sinks,
            Clock clock,
            Optional<EstimatorSupplier> estimator,
            AnalyticsHook analytics) {
        TrackerFactory.Builder b = TrackerFactory.builder()
                .store(store)
                .sinks(sinks)
                .clock(clock)
                .config(config)
                .analytics(analytics);
        estimator.ifPresent(b::etaEstimator);
        return b.build();
    }

    @Provides
    @Singleton
    ProgressTracker progressTracker(TrackerFactory factory) {
        if (run == null) {
            throw new IllegalStateException("no run is configured: use TrackerModule.forRun(...) to inject a "
                    + "ProgressTracker, or inject TrackerFactory and call tracker(runId)");
        }
        return factory.tracker()
                .runId(run.runId())
                .planId(run.planId())
                .clusterName(run.clusterName())
                .build();
    }
}

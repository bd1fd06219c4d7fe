package dev.progresstracker.analytics.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.analytics.AnalyticsConfig;
import dev.progresstracker.analytics.EtaPriors;
import dev.progresstracker.analytics.ResourceProbe;
import dev.progresstracker.analytics.TrackerAnalytics;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.spi.AnalyticsHook;

/**
 * Installs {@link TrackerAnalytics} for the tracking mode of the bound {@link TrackerConfig} (so the
 * mode decides which analytics run) as the {@code AnalyticsHook} of core's {@code TrackerModule}, and
 * binds it as a singleton so callers can inject it for {@link TrackerAnalytics#report}. The
 * {@link AnalyticsConfig} defaults to {@link AnalyticsConfig#defaults()}; override it with
 * {@code OptionalBinder.newOptionalBinder(binder(), AnalyticsConfig.class).setBinding()}. The
 * estimators' {@link EtaPriors} default to none; bind them the same way, e.g.
 * {@code OptionalBinder.newOptionalBinder(binder(), EtaPriors.class).setBinding().toInstance(RunHistory.of(store, plan).priors())}.
 * The resource-pressure rule's {@link ResourceProbe} defaults to none (rule off); bind
 * {@link ResourceProbe#jvm()} the same way to watch the agent's JVM.
 */
public final class AnalyticsModule extends AbstractModule {

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), AnalyticsConfig.class)
                .setDefault()
                .toInstance(AnalyticsConfig.defaults());
        OptionalBinder.newOptionalBinder(binder(), EtaPriors.class).setDefault().toInstance(EtaPriors.none());
        OptionalBinder.newOptionalBinder(binder(), ResourceProbe.class)
                .setDefault()
                .toInstance(ResourceProbe.none());
        OptionalBinder.newOptionalBinder(binder(), AnalyticsHook.class)
                .setBinding()
                .to(TrackerAnalytics.class);
    }

    @Provides
    @Singleton
    TrackerAnalytics trackerAnalytics(
            TrackerConfig tracker, AnalyticsConfig analytics, EtaPriors priors, ResourceProbe probe) {
        return TrackerAnalytics.of(tracker.trackingMode(), analytics)
                .withPriors(priors)
                .withResourceProbe(probe);
    }
}

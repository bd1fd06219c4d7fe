package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.analytics.guice.AnalyticsModule;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.guice.TrackerModule;
import dev.progresstracker.test.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The presets a tracking mode installs, in plain Java and in Guice, and where reports come from. */
class TrackerAnalyticsTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

    private ProgressTracker drive(ProgressTracker t) {
        t.addTasks(List.of(TaskSpec.of("a", "A", TaskType.UPGRADE_STEP), TaskSpec.of("b", "B", TaskType.UPGRADE_STEP)));
        t.startUpgrade("one");
        t.startTask("a");
        clock.advance(Duration.ofSeconds(30));
        t.updateTaskProgress("a", 50, null, java.util.Map.of("items", 5));
        clock.advance(Duration.ofSeconds(30));
        t.completeTask("a");
        return t;
    }

    @ParameterizedTest
    @EnumSource(TrackingMode.class)
    void eachModeInstallsItsPreset(TrackingMode mode) {
        TrackerAnalytics analytics = TrackerAnalytics.of(mode);
        try (ProgressTracker t = drive(ProgressTracker.builder()
                .runId("preset-" + mode)
                .clock(clock)
                .config(TrackerConfig.builder().trackingMode(mode).build())
                .analytics(analytics)
                .build())) {
            assertThat(analytics.newEstimator().isPresent()).isEqualTo(mode.computesEta());
            RunReport report = TrackerAnalytics.report(t);
            assertThat(report.trackingMode()).isEqualTo(mode);
            assertThat(report.tasksByStatus()).containsEntry("COMPLETED", 1);
            if (mode.computesEta()) {
                assertThat(t.eta()).get().extracting(Eta::method).isEqualTo("adaptive");
                assertThat(report.throughput().itemsTotal()).isEqualTo(5.0);
            } else {
                assertThat(t.eta()).isEmpty();
                assertThat(report.insights()).anyMatch(s -> s.contains("analytics are off in " + mode));
            }
        }
    }

    @Test
    void aReportNeedsATrackerBuiltWithTrackerAnalyticsAndOutlivesClose() {
        ProgressTracker without =
                ProgressTracker.builder().runId("without").clock(clock).build();
        assertThatThrownBy(() -> TrackerAnalytics.report(without))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'without'")
                .hasMessageContaining("TrackerAnalytics");
        without.close();

        ProgressTracker with = drive(ProgressTracker.builder()
                .runId("with")
                .clock(clock)
                .analytics(TrackerAnalytics.of(TrackingMode.ENHANCED))
                .build());
        with.close();
        assertThat(TrackerAnalytics.report(with).tasksByStatus()).containsEntry("COMPLETED", 1);
    }

    @Test
    void oneInstanceServesEveryTrackerOfAFactory() {
        TrackerAnalytics analytics = TrackerAnalytics.of(TrackingMode.ENHANCED);
        try (TrackerFactory factory = TrackerFactory.builder()
                        .clock(clock)
                        .analytics(analytics)
                        .build();
                ProgressTracker one = drive(factory.tracker("one"));
                ProgressTracker two = factory.tracker("two")) {
            two.addTask("x", "X", TaskType.UPGRADE_STEP, null);
            assertThat(TrackerAnalytics.report(one).runId()).isEqualTo("one");
            assertThat(TrackerAnalytics.report(one).throughput().itemsTotal()).isEqualTo(5.0);
            assertThat(TrackerAnalytics.report(two).runId()).isEqualTo("two");
            assertThat(TrackerAnalytics.report(two).throughput().itemsTotal()).isZero();
        }
    }

    @Test
    void inGuiceTheConfiguredModeChoosesTheAnalytics() {
        AnalyticsConfig thresholds = AnalyticsConfig.builder()
                .evaluationInterval(Duration.ZERO)
                .stallTimeout(Duration.ofSeconds(30))
                .build();
        Injector injector = Guice.createInjector(
                TrackerModule.forRun(
                        TrackerConfig.builder()
                                .trackingMode(TrackingMode.COMPREHENSIVE)
                                .build(),
                        "guice",
                        null,
                        null),
                new AnalyticsModule(),
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        OptionalBinder.newOptionalBinder(binder(), Clock.class)
                                .setBinding()
                                .toInstance(clock);
                        OptionalBinder.newOptionalBinder(binder(), AnalyticsConfig.class)
                                .setBinding()
                                .toInstance(thresholds);
                    }
                });
        TrackerAnalytics analytics = injector.getInstance(TrackerAnalytics.class);
        assertThat(analytics.mode()).isEqualTo(TrackingMode.COMPREHENSIVE);
        assertThat(analytics.config()).isSameAs(thresholds);
        try (ProgressTracker t = drive(injector.getInstance(ProgressTracker.class))) {
            t.startTask("b");
            clock.advance(Duration.ofSeconds(31));
            t.evaluateAlerts();
            assertThat(t.activeAlerts()).extracting(a -> a.alertId()).containsExactly("stalled-task:b");
            assertThat(TrackerAnalytics.report(t).activeAlerts()).hasSize(1);
            assertThat(t.eta()).get().extracting(Eta::method).isEqualTo("adaptive");
        }
        injector.getInstance(TrackerFactory.class).close();
    }

    @Test
    void withoutTheAnalyticsModuleGuiceTrackersEstimateLinearly() {
        Injector injector =
                Guice.createInjector(TrackerModule.forRun(TrackerConfig.defaults(), "plain-guice", null, null));
        try (ProgressTracker t = drive(injector.getInstance(ProgressTracker.class))) {
            assertThat(t.eta()).get().extracting(Eta::method).isEqualTo("linear");
            assertThatThrownBy(() -> TrackerAnalytics.report(t)).isInstanceOf(IllegalArgumentException.class);
        }
        injector.getInstance(TrackerFactory.class).close();
    }
}

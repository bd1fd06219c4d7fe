package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.analytics.guice.AnalyticsModule;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.guice.TrackerModule;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.MutableClock;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What RunHistory reads from a store, and estimators that start from its priors (plain Java and Guice). */
class RunHistoryTest {

    private static final TaskType NODE = TaskType.of("NODE_GROUP");
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryProgressStore store = new InMemoryProgressStore();

    /** A check (10 s), two node groups of weight 2 ({@code node} s each; the first fails once) and cleanup (5 s). */
    private void run(String runId, String plan, double node, boolean complete) {
        try (ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .planId(plan)
                .clock(clock)
                .store(store)
                .build()) {
            t.addTasks(List.of(
                    TaskSpec.of("check", "Check", TaskType.VALIDATION),
                    TaskSpec.of("ng-1", "NG 1", NODE).withWeight(2),
                    TaskSpec.of("ng-2", "NG 2", NODE).withWeight(2),
                    TaskSpec.of("cleanup", "Cleanup", TaskType.CLEANUP)));
            t.startUpgrade("preflight");
            step(t, "check", 10);
            t.setCurrentPhase("nodes");
            t.startTask("ng-1");
            clock.advanceSeconds(node / 2);
            t.failTask("ng-1", "throttled");
            step(t, "ng-1", node / 2);
            step(t, "ng-2", node);
            if (complete) {
                t.setCurrentPhase("cleanup");
                step(t, "cleanup", 5);
                t.completeUpgrade();
            }
        }
    }

    private void step(ProgressTracker t, String id, double seconds) {
        t.startTask(id);
        clock.advanceSeconds(seconds);
        t.completeTask(id);
    }

    @Test
    void readsDurationsFailuresPhasesAndPlansOfCompletedRuns() {
        run("r1", "p", 100, true);
        run("r2", "p", 200, true);
        run("r3", "other", 1000, true);
        run("open", "p", 5000, false);
        RunHistory h = RunHistory.of(store, "p");
        assertThat(h.runs()).extracting(r -> r.runId()).containsExactlyInAnyOrder("r1", "r2");
        RunHistory.TypeHistory nodes = h.type(NODE).orElseThrow();
        assertThat(nodes.tasks()).isEqualTo(4);
        assertThat(nodes.seconds().count()).isEqualTo(4);
        assertThat(nodes.seconds().median()).isCloseTo(150, within(1e-9));
        assertThat(nodes.secondsPerWeight().median()).isCloseTo(75, within(1e-9));
        assertThat(nodes.retries()).isEqualTo(2);
        assertThat(nodes.failures()).isEqualTo(2);
        assertThat(nodes.failureRate()).isCloseTo(2 / 6.0, within(1e-9));
        assertThat(nodes.retriesPerTask()).isEqualTo(0.5);
        assertThat(h.type(TaskType.VALIDATION).orElseThrow().failureRate()).isZero();
        assertThat(h.phases().get("preflight").median()).isCloseTo(10, within(1e-9));
        assertThat(h.phases().get("nodes").median()).isCloseTo(300, within(1e-9));
        assertThat(h.plans()).containsOnlyKeys("p");
        assertThat(h.plans().get("p").count()).isEqualTo(2);
        assertThat(h.priors().secondsPerWeight()).containsEntry(NODE, 75.0).containsEntry(TaskType.CLEANUP, 5.0);
        assertThat(h.priors().runs()).isEqualTo(2);
        assertThat(RunHistory.of(store).runs()).hasSize(3);
        assertThat(RunHistory.of(List.of()).priors().isEmpty()).isTrue();
    }

    @Test
    void badInputsAreNamed() {
        assertThatThrownBy(() -> RunHistory.of((dev.progresstracker.core.spi.ProgressStore) null))
                .hasMessage("store must not be null");
        assertThatThrownBy(() -> RunHistory.of(store, null)).hasMessage("planId must not be null");
        assertThatThrownBy(() -> new EtaPriors(Map.of(NODE, -1.0), 1))
                .hasMessageContaining("task type NODE_GROUP must be a positive");
        assertThatThrownBy(() -> new EtaPriors(Map.of(), -1)).hasMessageContaining("runs must not be negative");
        assertThatThrownBy(() -> new AdaptiveEstimator(null)).hasMessage("priors must not be null");
        assertThatThrownBy(() -> TrackerAnalytics.of(TrackingMode.ENHANCED).withPriors(null))
                .hasMessage("priors must not be null");
    }

    /** After the check, a run priced by history foresees the slow node groups; one without sees only the quick check. */
    private long estimateAfterCheck(TrackerAnalytics analytics, String runId) {
        try (ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .clock(clock)
                .analytics(analytics)
                .build()) {
            t.addTasks(List.of(
                    TaskSpec.of("check", "Check", TaskType.VALIDATION),
                    TaskSpec.of("ng-1", "NG 1", NODE).withWeight(2),
                    TaskSpec.of("ng-2", "NG 2", NODE).withWeight(2)));
            t.startUpgrade(null);
            t.startTask("check");
            for (int i = 1; i <= 10; i++) {
                clock.advanceSeconds(1);
                t.updateTaskProgress("check", 10 * i);
            }
            t.completeTask("check");
            return t.eta().orElseThrow().seconds();
        }
    }

    @Test
    void anEstimatorWithPriorsStartsFromTheHistory() {
        run("r1", "p", 100, true);
        run("r2", "p", 200, true);
        EtaPriors priors = RunHistory.of(store, "p").priors();
        long with =
                estimateAfterCheck(TrackerAnalytics.of(TrackingMode.ENHANCED).withPriors(priors), "with");
        long without = estimateAfterCheck(TrackerAnalytics.of(TrackingMode.ENHANCED), "without");
        assertThat(with).as("2 node groups of weight 2 at 75 s per weight").isBetween(200L, 400L);
        assertThat(without).isLessThan(100);
    }

    @Test
    void guiceBindsPriorsThroughAnOptionalBinder() {
        run("r1", "p", 100, true);
        EtaPriors priors = RunHistory.of(store, "p").priors();
        TrackerConfig config =
                TrackerConfig.builder().trackingMode(TrackingMode.ENHANCED).build();
        Injector plain = Guice.createInjector(TrackerModule.forRun(config, "g0", null, null), new AnalyticsModule());
        assertThat(plain.getInstance(TrackerAnalytics.class).priors().isEmpty()).isTrue();
        plain.getInstance(TrackerFactory.class).close();
        Injector injector = Guice.createInjector(
                TrackerModule.forRun(config, "g1", null, null), new AnalyticsModule(), new AbstractModule() {
                    @Override
                    protected void configure() {
                        OptionalBinder.newOptionalBinder(binder(), Clock.class)
                                .setBinding()
                                .toInstance(clock);
                        OptionalBinder.newOptionalBinder(binder(), EtaPriors.class)
                                .setBinding()
                                .toInstance(priors);
                    }
                });
        assertThat(injector.getInstance(TrackerAnalytics.class).priors()).isSameAs(priors);
        assertThat(estimateAfterCheck(injector.getInstance(TrackerAnalytics.class), "g2"))
                .isBetween(150L, 300L);
        injector.getInstance(TrackerFactory.class).close();
    }
}

package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.LinearEstimator;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Estimators driven through a real tracker with an injected clock. */
class EstimatorsTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

    private ProgressTracker tracker(
            String runId, Supplier<? extends EtaEstimator> estimator, InMemoryProgressStore store, int tasks) {
        ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .clock(clock)
                .store(store)
                .etaEstimator(estimator)
                .build();
        if (t.tasks().isEmpty()) {
            StepPlans.start(t, tasks);
        }
        return t;
    }

    /** Runs tasks from..to-1, each {@code seconds} long with progress every 10 s. */
    private void run(ProgressTracker t, int from, int to, double seconds) {
        for (int i = from; i < to; i++) {
            t.startTask("t" + i);
            for (double s = 10; s < seconds; s += 10) {
                clock.advanceSeconds(10);
                t.updateTaskProgress("t" + i, 100 * s / seconds);
            }
            clock.advanceSeconds(seconds - 10 * Math.floor((seconds - 1e-9) / 10));
            t.completeTask("t" + i);
        }
    }

    private static long seconds(ProgressTracker t) {
        return t.eta().map(Eta::seconds).orElseThrow();
    }

    @Test
    void everyEstimatorIsRightOnASteadyRun() {
        for (Supplier<? extends EtaEstimator> e : List.<Supplier<? extends EtaEstimator>>of(
                LinearEstimator::new, EmaEstimator::new, SlidingWindowEstimator::new, AdaptiveEstimator::new)) {
            try (ProgressTracker t = tracker("steady-" + e.get().name(), e, new InMemoryProgressStore(), 10)) {
                run(t, 0, 4, 60);
                assertThat((double) seconds(t)).as(e.get().name()).isCloseTo(360, within(36.0));
                Eta eta = t.eta().orElseThrow();
                assertThat(eta.low()).isLessThanOrEqualTo(eta.seconds());
                assertThat(eta.high()).isGreaterThanOrEqualTo(eta.seconds());
            }
        }
    }

    @Test
    void adaptiveBandContainsTheTruthAndItsConfidenceGrowsWithEvidence() {
        try (ProgressTracker t = tracker("band", AdaptiveEstimator::new, new InMemoryProgressStore(), 10)) {
            run(t, 0, 2, 60);
            Eta early = t.eta().orElseThrow();
            run(t, 2, 8, 60);
            Eta late = t.eta().orElseThrow();
            assertThat(early.low()).isLessThanOrEqualTo(480);
            assertThat(early.high()).isGreaterThanOrEqualTo(480);
            assertThat(late.low()).isLessThanOrEqualTo(120);
            assertThat(late.high()).isGreaterThanOrEqualTo(120);
            // The band's expected coverage: below its mass while few residuals back it, never above 1.
            assertThat(early.confidence()).isBetween(0.0, 1.0);
            assertThat(late.confidence()).isGreaterThan(early.confidence()).isLessThan(1.0);
            assertThat(late.method()).isEqualTo("adaptive");
        }
    }

    @Test
    void adaptivePricesRemainingTasksByType() {
        // Two slow validations at the end: per-type durations foresee them, run percent cannot.
        // The ENHANCED preset installs the adaptive estimator.
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("types")
                .clock(clock)
                .analytics(TrackerAnalytics.of(TrackingMode.ENHANCED))
                .build()) {
            t.addTasks(List.of(
                    TaskSpec.of("v0", "V0", TaskType.VALIDATION),
                    TaskSpec.of("s0", "S0", TaskType.UPGRADE_STEP),
                    TaskSpec.of("s1", "S1", TaskType.UPGRADE_STEP),
                    TaskSpec.of("s2", "S2", TaskType.UPGRADE_STEP),
                    TaskSpec.of("v1", "V1", TaskType.VALIDATION),
                    TaskSpec.of("v2", "V2", TaskType.VALIDATION)));
            t.startUpgrade(null);
            for (String id : List.of("v0", "s0", "s1", "s2")) {
                t.startTask(id);
                clock.advanceSeconds(id.startsWith("v") ? 300 : 20);
                t.completeTask(id);
            }
            // 4 of 6 done after 360 s: run percent says 180 s are left, the types say 2 × 300 s.
            // With so little history the adaptive blends both, but leans past the percent view.
            assertThat(seconds(t)).isGreaterThan(216).isLessThan(600);
        }
    }

    @Test
    void aPauseNeitherCountsDownNorMakesTheEstimateJump() {
        try (ProgressTracker t = tracker("pause", AdaptiveEstimator::new, new InMemoryProgressStore(), 10)) {
            run(t, 0, 3, 60);
            t.startTask("t3");
            clock.advanceSeconds(10);
            t.updateTaskProgress("t3", 20);
            t.pauseTask("t3", "PDB");
            long atPause = seconds(t);
            clock.advance(Duration.ofMinutes(30));
            assertThat(seconds(t)).isEqualTo(atPause);
            t.resumeTask("t3");
            clock.advanceSeconds(10);
            t.updateTaskProgress("t3", 40);
            assertThat((double) seconds(t)).isCloseTo(atPause - 10, within(0.15 * atPause));
        }
    }

    @Test
    void aStallDoesNotCountDownAndDoesNotInflateTheRateAfterwards() {
        try (ProgressTracker t = tracker("stall", AdaptiveEstimator::new, new InMemoryProgressStore(), 10)) {
            run(t, 0, 4, 60);
            t.startTask("t4");
            clock.advanceSeconds(10);
            t.updateTaskProgress("t4", 20);
            long before = seconds(t);
            clock.advance(Duration.ofMinutes(20)); // no progress: far longer than the typical 10 s gap
            assertThat(seconds(t)).isGreaterThanOrEqualTo(before - 40);
            t.updateTaskProgress("t4", 40);
            clock.advanceSeconds(10);
            t.updateTaskProgress("t4", 60);
            // A 20-minute stall in a 10-minute run: the rates must not swallow it (a plain window would say > 1000 s).
            assertThat((double) seconds(t)).isCloseTo(before - 20, within(0.3 * before));
        }
    }

    @Test
    void aRestartResumesTheEstimateWithoutAJump() {
        InMemoryProgressStore store = new InMemoryProgressStore();
        long before;
        try (ProgressTracker t = tracker("restart", AdaptiveEstimator::new, store, 10)) {
            run(t, 0, 5, 60);
            before = seconds(t);
            t.flush(Duration.ofSeconds(5));
        }
        clock.advance(Duration.ofHours(2)); // the agent was down
        try (ProgressTracker t = tracker("restart", AdaptiveEstimator::new, store, 10)) {
            assertThat((double) seconds(t)).isCloseTo(before, within(0.1 * before));
            t.startTask("t5");
            clock.advanceSeconds(10);
            t.updateTaskProgress("t5", 100.0 / 6);
            assertThat((double) seconds(t)).isCloseTo(before - 10, within(0.15 * before));
        }
    }

    @Test
    void aRetryTakesProgressBackWithoutBreakingTheEstimate() {
        try (ProgressTracker t = tracker("retry", AdaptiveEstimator::new, new InMemoryProgressStore(), 10)) {
            run(t, 0, 3, 60);
            t.startTask("t3");
            clock.advanceSeconds(30);
            t.updateTaskProgress("t3", 50);
            t.failTask("t3", "throttled");
            t.startTask("t3");
            assertThat(t.eta()).isPresent();
            // 7 tasks of 60 s are left; the lost half attempt makes the rates pessimistic, not absurd.
            assertThat(seconds(t)).isBetween(300L, 630L);
        }
    }

    @Test
    void constructorsRejectBadSettings() {
        assertThatThrownBy(() -> new EmaEstimator(0)).hasMessageContaining("smoothing");
        assertThatThrownBy(() -> new EmaEstimator(1.5)).hasMessageContaining("smoothing");
        assertThatThrownBy(() -> new SlidingWindowEstimator(1, Duration.ofMinutes(1)))
                .hasMessageContaining("maxSamples");
        assertThatThrownBy(() -> new SlidingWindowEstimator(5, Duration.ZERO)).hasMessageContaining("window");
    }

    @Test
    void noEstimateBeforeAnyProgress() {
        try (ProgressTracker t = tracker("none", AdaptiveEstimator::new, new InMemoryProgressStore(), 3)) {
            assertThat(t.eta()).isEmpty();
        }
    }
}

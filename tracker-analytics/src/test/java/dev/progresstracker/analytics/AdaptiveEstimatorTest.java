package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.test.MutableClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stall handling of the adaptive estimator, through a real tracker with an injected clock. */
class AdaptiveEstimatorTest {

    private static final TaskType CONTROL_PLANE = TaskType.of("CONTROL_PLANE");

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final AdaptiveEstimator estimator = new AdaptiveEstimator();

    private ProgressTracker tracker(List<TaskSpec> specs) {
        ProgressTracker t = ProgressTracker.builder()
                .runId("adaptive")
                .clock(clock)
                .etaEstimator(() -> estimator)
                .build();
        t.addTasks(specs);
        t.startUpgrade(null);
        return t;
    }

    private static long seconds(ProgressTracker t) {
        return t.eta().map(Eta::seconds).orElseThrow();
    }

    /** Four quick steps reporting every 5 s, then a control plane reporting every 60 s, then two more steps. */
    private ProgressTracker quickThenCoarse() {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            specs.add(TaskSpec.of("s" + i, "Step " + i, TaskType.UPGRADE_STEP));
        }
        specs.add(4, TaskSpec.of("cp", "Control plane", CONTROL_PLANE).withWeight(4));
        ProgressTracker t = tracker(specs);
        for (int i = 0; i < 4; i++) {
            t.startTask("s" + i);
            for (int p = 1; p <= 5; p++) {
                clock.advanceSeconds(5);
                t.updateTaskProgress("s" + i, 20 * p);
            }
            t.completeTask("s" + i);
        }
        t.startTask("cp");
        return t;
    }

    @Test
    void aNewTaskReportingLessOftenThanTheOnesBeforeIsNotStalled() {
        try (ProgressTracker t = quickThenCoarse()) {
            for (int p = 1; p <= 6; p++) {
                clock.advanceSeconds(60);
                t.updateTaskProgress("cp", 10 * p);
                // Judged by the run's 5 s rhythm a 60 s gap would be 40 s of stall; it is the control plane's own
                // rhythm.
                assertThat(estimator.stalledSeconds()).as("after report %d", p).isZero();
            }
        }
    }

    @Test
    void aStallIsJudgedByTheStalledTasksOwnRhythmAndNeitherCountsDownNorJumps() {
        try (ProgressTracker t = quickThenCoarse()) {
            for (int p = 1; p <= 6; p++) {
                clock.advanceSeconds(60);
                t.updateTaskProgress("cp", 10 * p);
            }
            long before = seconds(t);
            clock.advanceSeconds(600); // the control plane hangs for 20 minutes
            long during = seconds(t);
            // Four of its usual gaps without news make it look slower; beyond that the estimate holds still.
            assertThat(during).as("during the stall").isBetween(before, 2 * before);
            clock.advanceSeconds(600);
            assertThat(seconds(t)).as("later in the stall").isEqualTo(during);
            t.updateTaskProgress("cp", 70);
            // Its typical gap is 60 s, so 4 × 60 s of the 1,200 s count as work, the rest as stall.
            assertThat(estimator.stalledSeconds()).isCloseTo(960, within(1.0));
            clock.advanceSeconds(60);
            t.updateTaskProgress("cp", 80);
            assertThat((double) seconds(t)).as("after the stall").isCloseTo(before - 60, within(0.3 * before));
        }
    }

    @Test
    void aSecondStallIsSeenAfterTheFirst() {
        // A first stall must not become the type's rhythm: counted whole in its gaps, a 20-minute hang
        // raised the stall cap to about an hour and the next 5-minute hang counted as work.
        try (ProgressTracker t = quickThenCoarse()) {
            for (int p = 1; p <= 6; p++) {
                clock.advanceSeconds(60);
                t.updateTaskProgress("cp", 10 * p);
            }
            clock.advanceSeconds(1200);
            t.updateTaskProgress("cp", 70);
            assertThat(estimator.stalledSeconds()).isCloseTo(960, within(1.0));
            clock.advanceSeconds(60);
            t.updateTaskProgress("cp", 80);
            clock.advanceSeconds(600);
            t.updateTaskProgress("cp", 90);
            // With the first hang counted at its cap (240 s) the rhythm is ~130 s, so ~100 s of this
            // 10-minute hang are stall; counted whole, the first hang made the cap ~40 minutes and this one none.
            assertThat(estimator.stalledSeconds()).isGreaterThan(960 + 60);
        }
    }

    @Test
    void normalCdfMatchesKnownValues() {
        assertThat(BandConfidence.normalCdf(0)).isCloseTo(0.5, within(1e-6));
        assertThat(BandConfidence.normalCdf(1.2815516)).isCloseTo(0.9, within(1e-5));
        assertThat(BandConfidence.normalCdf(-1.959964)).isCloseTo(0.025, within(1e-5));
    }
}

package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What throughput counts: leaf tasks only, and a peak never below the average. */
class ThroughputCountingTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

    private ProgressTracker tracker() {
        return ProgressTracker.builder()
                .runId("counting")
                .clock(clock)
                .config(TrackerConfig.builder()
                        .trackingMode(TrackingMode.ENHANCED)
                        .build())
                .analytics(TrackerAnalytics.of(TrackingMode.ENHANCED))
                .build();
    }

    @Test
    void derivedParentCompletionsAreNotCountedAsCompletedTasks() {
        try (ProgressTracker t = tracker()) {
            t.addTasks(List.of(
                    TaskSpec.of("ng", "Node group", TaskType.UPGRADE_PLAN),
                    TaskSpec.child("ng", "n1", "Node 1", TaskType.UPGRADE_STEP),
                    TaskSpec.child("ng", "n2", "Node 2", TaskType.UPGRADE_STEP)));
            t.startUpgrade(null);
            for (String n : List.of("n1", "n2")) {
                t.startTask(n);
                clock.advanceSeconds(10);
                t.completeTask(n);
            }
            assertThat(t.task("ng").status()).as("derived by core").isEqualTo(TaskStatus.COMPLETED);
            RunReport r = TrackerAnalytics.report(t);
            assertThat(r.throughput().averageTasksPerMinute())
                    .as("2 leaves in 20 s")
                    .isCloseTo(6.0, within(1e-9));
            assertThat(r.errorRate()).isZero();
        }
    }

    @Test
    void aRestoredParentIsTakenBackWhenItsChildrenArrive() {
        RunAnalytics a = new RunAnalytics(AnalyticsConfig.defaults());
        java.time.Instant s = clock.instant();
        a.restore(new dev.progresstracker.core.TaskView(
                "ng",
                "NG",
                TaskType.UPGRADE_PLAN,
                null,
                1,
                TaskStatus.COMPLETED,
                100,
                null,
                null,
                s,
                s.plusSeconds(20),
                1));
        assertThat(a.completed()).isEqualTo(1);
        a.restore(new dev.progresstracker.core.TaskView(
                "n1",
                "N1",
                TaskType.UPGRADE_STEP,
                "ng",
                1,
                TaskStatus.COMPLETED,
                100,
                null,
                null,
                s,
                s.plusSeconds(20),
                2));
        assertThat(a.completed()).isEqualTo(1);
        assertThat(a.retries()).isEqualTo(1);
    }

    @Test
    void aRunShorterThanOneBucketHasItsAverageAsPeak() {
        try (ProgressTracker t = tracker()) {
            t.addTasks(List.of(
                    TaskSpec.of("a", "A", TaskType.UPGRADE_STEP), TaskSpec.of("b", "B", TaskType.UPGRADE_STEP)));
            t.startUpgrade(null);
            for (String id : List.of("a", "b")) {
                t.startTask(id);
                clock.advanceSeconds(2);
                t.completeTask(id);
            }
            t.completeUpgrade();
            RunReport.Throughput tp = TrackerAnalytics.report(t).throughput();
            assertThat(tp.averageTasksPerMinute()).isCloseTo(30.0, within(1e-9));
            assertThat(tp.peakTasksPerMinute())
                    .as("was 0.00 with no full bucket")
                    .isGreaterThanOrEqualTo(tp.averageTasksPerMinute());
        }
    }

    @Test
    void aCompletionJustAfterABucketStartsIsNoSpike() {
        try (ProgressTracker t = tracker()) {
            t.addTasks(List.of(
                    TaskSpec.of("a", "A", TaskType.UPGRADE_STEP), TaskSpec.of("b", "B", TaskType.UPGRADE_STEP)));
            t.startUpgrade(null);
            t.startTask("a");
            clock.advanceSeconds(60);
            t.completeTask("a"); // at the start of the second bucket
            t.startTask("b");
            clock.advance(Duration.ofSeconds(1));
            t.completeTask("b"); // same bucket, 1 s old: 2 per second if it were judged
            RunReport.Throughput tp = TrackerAnalytics.report(t).throughput();
            assertThat(tp.peakTasksPerMinute())
                    .as("the 1-second bucket is not judged")
                    .isCloseTo(2 / (61 / 60.0), within(1e-9));
        }
    }
}

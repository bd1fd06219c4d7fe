package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.state.RunState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per bad-input rule of the design: a clear exception naming the problem, and no change. */
class BadInputTest {

    private ProgressTracker tracker;
    private RunState before;

    @BeforeEach
    void setUp() {
        tracker = ProgressTracker.builder().runId("bad-input").build();
        tracker.addTasks(List.of(
                TaskSpec.of("parent", "Parent", TaskType.UPGRADE_PLAN),
                TaskSpec.child("parent", "child", "Child", TaskType.UPGRADE_STEP),
                TaskSpec.of("leaf", "Leaf", TaskType.UPGRADE_STEP)));
        tracker.startUpgrade("p");
        tracker.startTask("leaf");
        tracker.updateTaskProgress("leaf", 40, "forty", null);
        before = tracker.snapshot();
    }

    @AfterEach
    void unchanged() {
        RunState after = tracker.snapshot();
        assertThat(after.tasks()).isEqualTo(before.tasks());
        assertThat(after.info().lastSequence()).isEqualTo(before.info().lastSequence());
        assertThat(after.info().status()).isEqualTo(before.info().status());
        tracker.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "a/b", "a\\b", "..", "a..b", "tab\tid", "-starts-with-dash"})
    void invalidRunIdsAreRejected(String runId) {
        assertThatThrownBy(() -> ProgressTracker.builder().runId(runId).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runId");
    }

    @Test
    void nullAndOverlongRunIdsAreRejected() {
        assertThatThrownBy(() -> ProgressTracker.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runId must not be null");
        assertThatThrownBy(
                        () -> ProgressTracker.builder().runId("r".repeat(129)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("129");
    }

    @Test
    void blankAndNullTaskIdsAreRejected() {
        assertThatThrownBy(() -> tracker.addTask(" ", "X", TaskType.UPGRADE_STEP, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taskId must not be blank");
        assertThatThrownBy(() -> tracker.addTask(null, "X", TaskType.UPGRADE_STEP, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taskId must not be null");
        assertThatThrownBy(() -> tracker.startTask(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void duplicateTaskIdsAreRejected() {
        assertThatThrownBy(() -> tracker.addTask("leaf", "Again", TaskType.UPGRADE_STEP, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already has a task 'leaf'");
        assertThatThrownBy(() -> tracker.addTasks(
                        List.of(TaskSpec.of("n", "N", TaskType.CLEANUP), TaskSpec.of("n", "N", TaskType.CLEANUP))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'n' appears twice");
    }

    @Test
    void unknownTasksAreReportedByIdAndRun() {
        assertThatThrownBy(() -> tracker.startTask("nope"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'bad-input'")
                .hasMessageContaining("'nope'");
        assertThatThrownBy(() -> tracker.task("nope")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> tracker.updateTaskProgress("nope", 1, null, null))
                .isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void unknownParentsAreRejected() {
        assertThatThrownBy(() -> tracker.addTask("x", "X", TaskType.UPGRADE_STEP, "ghost"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parent 'ghost'");
    }

    @Test
    void cyclesInABatchAreRejectedAndTheWholeBatchIsDropped() {
        assertThatThrownBy(() -> tracker.addTasks(List.of(
                        TaskSpec.of("ok", "OK", TaskType.UPGRADE_STEP),
                        TaskSpec.child("y", "x", "X", TaskType.UPGRADE_STEP),
                        TaskSpec.child("x", "y", "Y", TaskType.UPGRADE_STEP))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cycle")
                .hasMessageContaining("x");
        assertThatThrownBy(() -> tracker.addTask("self", "S", TaskType.UPGRADE_STEP, "self"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("own parent");
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, -0.1, 100.5, Double.POSITIVE_INFINITY})
    void percentOutsideZeroToHundredIsRejected(double percent) {
        assertThatThrownBy(() -> tracker.updateTaskProgress("leaf", percent, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..100")
                .hasMessageContaining("leaf");
    }

    @Test
    void progressGoingBackwardsIsRejectedUnlessAllowed() {
        assertThatThrownBy(() -> tracker.updateTaskProgress("leaf", 30, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backwards from 40.0 to 30.0");
        try (ProgressTracker lenient = ProgressTracker.builder()
                .runId("lenient")
                .config(TrackerConfig.builder().allowProgressRegression(true).build())
                .build()) {
            lenient.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            lenient.startTask("a");
            lenient.updateTaskProgress("a", 40, null, null);
            lenient.updateTaskProgress("a", 30, null, null);
            assertThat(lenient.task("a").percent()).isEqualTo(30.0);
        }
    }

    @Test
    void forbiddenTransitionsNameTheTaskAndBothStatuses() {
        assertThatThrownBy(() -> tracker.completeTask("child"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'child'")
                .hasMessageContaining("NOT_STARTED")
                .hasMessageContaining("COMPLETED");
        tracker.close();
        tracker = ProgressTracker.builder().runId("bad-input-2").build();
        tracker.addTask("leaf", "Leaf", TaskType.UPGRADE_STEP, null);
        tracker.addTask("parent", "Parent", TaskType.UPGRADE_PLAN, null);
        tracker.addTask("child", "Child", TaskType.UPGRADE_STEP, "parent");
        tracker.startUpgrade("p");
        tracker.startTask("leaf");
        tracker.updateTaskProgress("leaf", 40, "forty", null);
        tracker.skipTask("child");
        before = tracker.snapshot();
        assertThatThrownBy(() -> tracker.startTask("child"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SKIPPED is final");
        assertThatThrownBy(() -> tracker.resumeTask("leaf"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only a PAUSED task can be resumed");
        assertThatThrownBy(() -> tracker.skipTask("leaf"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("IN_PROGRESS → SKIPPED");
    }

    @Test
    void progressNeedsARunningLeafTask() {
        assertThatThrownBy(() -> tracker.updateTaskProgress("child", 10, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("call startTask first");
        assertThatThrownBy(() -> tracker.updateTaskProgress("parent", 10, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NOT_STARTED");
    }

    @Test
    void weightsMustBePositiveAndFinite() {
        for (double w : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> tracker.addTask(
                            TaskSpec.of("w", "W", TaskType.UPGRADE_STEP).withWeight(w)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("weight");
        }
    }

    @Test
    void detailsMustBeJsonValues() {
        assertThatThrownBy(() -> tracker.updateTaskProgress("leaf", 50, null, Map.of("when", new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("run 'bad-input', task 'leaf': details.when");
        assertThatThrownBy(() -> tracker.updateTaskProgress("leaf", 50, null, Map.of("rate", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finite");
    }

    @Test
    void blankNamesAndPhasesAreRejected() {
        assertThatThrownBy(() -> tracker.addTask("n", " ", TaskType.UPGRADE_STEP, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> tracker.setCurrentPhase(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("phase");
        assertThatThrownBy(() -> TaskType.of("has space"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HAS SPACE");
    }

    @Test
    void runTransitionsFollowTheTable() {
        assertThatThrownBy(() -> tracker.startUpgrade("again"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("IN_PROGRESS → IN_PROGRESS");
        try (ProgressTracker fresh = ProgressTracker.builder().runId("fresh").build()) {
            assertThatThrownBy(fresh::completeUpgrade)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("NOT_STARTED → COMPLETED");
        }
    }

    @Test
    void aFinishedRunAcceptsNoFurtherChanges() {
        try (ProgressTracker done = ProgressTracker.builder().runId("done").build()) {
            done.startUpgrade("p");
            done.completeUpgrade();
            assertThatThrownBy(() -> done.addTask("late", "Late", TaskType.CLEANUP, null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("COMPLETED and accepts no further changes");
        }
    }

    @Test
    void callbacksSwitchedOffSaySo() {
        assertThatThrownBy(() -> tracker.onEvent(e -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("callbacks are switched off");
        assertThatThrownBy(() -> tracker.onStatus(TaskStatus.FAILED, e -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("callbacks are switched off");
    }

    @Test
    void configValuesAreValidatedByName() {
        assertThatThrownBy(() -> TrackerConfig.builder().sinkQueueCapacity(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sinkQueueCapacity");
        assertThatThrownBy(() -> TrackerConfig.builder().storeQueueCapacity(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storeQueueCapacity");
        assertThatThrownBy(() ->
                        TrackerConfig.builder().closeTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("closeTimeout");
        assertThatThrownBy(() -> TrackerConfig.builder().maxMessageLength(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMessageLength");
        assertThatThrownBy(() -> TrackerConfig.fromEnvironment(Map.of("TRACKER_SINK_QUEUE_CAPACITY", "lots")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TRACKER_SINK_QUEUE_CAPACITY");
        assertThatThrownBy(() -> TrackerConfig.fromEnvironment(Map.of("TRACKER_TRACKING_MODE", "loud")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MINIMAL");
        assertThat(TrackerConfig.fromEnvironment(
                        Map.of("TRACKER_CLOSE_TIMEOUT", "PT3S", "TRACKER_TRACKING_MODE", "basic")))
                .extracting(TrackerConfig::closeTimeout, TrackerConfig::trackingMode)
                .containsExactly(Duration.ofSeconds(3), TrackingMode.BASIC);
    }
}

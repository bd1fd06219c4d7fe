package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rejected task call names the run and the task (the README promises both) and changes nothing. */
class RejectedCallsNameRunAndTaskTest {

    private ProgressTracker tracker;

    @BeforeEach
    void setUp() {
        tracker = ProgressTracker.builder().runId("run-x").build();
        tracker.addTask("t", "T", TaskType.UPGRADE_STEP, null);
        tracker.addTask("parent", "P", TaskType.UPGRADE_STEP, null);
        tracker.addTask("child", "C", TaskType.UPGRADE_STEP, "parent");
        tracker.startUpgrade("p");
    }

    @AfterEach
    void tearDown() {
        tracker.close();
    }

    static Stream<Arguments> badCalls() {
        return Stream.of(
                call("t", "complete a task that never started", p -> p.completeTask("t")),
                call("t", "resume a task that is not paused", p -> p.resumeTask("t")),
                call("t", "pause a task that is not running", p -> p.pauseTask("t")),
                call("t", "progress before start", p -> p.updateTaskProgress("t", 5)),
                call("t", "percent out of range", p -> p.updateTaskProgress("t", 101)),
                call(
                        "t",
                        "details that JSON cannot carry",
                        p -> p.updateTaskProgress("t", 5, null, Map.of("x", Double.NaN))),
                call("parent", "progress on a parent", p -> {
                    p.startTask("parent");
                    p.updateTaskProgress("parent", 5);
                }),
                call("t", "stage before start", p -> p.updateTaskStage("t", "s", 5)),
                call("nope", "an unknown task", p -> p.startTask("nope")),
                call("t", "a duplicate task", p -> p.addTask("t", "T", TaskType.UPGRADE_STEP, null)),
                call("u", "an unknown parent", p -> p.addTask("u", "U", TaskType.UPGRADE_STEP, "missing")),
                call("u", "a zero weight", p -> p.addTask(new TaskSpec("u", "U", TaskType.UPGRADE_STEP, null, 0))),
                call("u", "a blank name", p -> p.addTask(new TaskSpec("u", " ", TaskType.UPGRADE_STEP, null, 1))),
                call(
                        "t",
                        "a negative latency",
                        p -> p.recordApiCall("t", CallOutcome.SUCCEEDED, Duration.ofMillis(-5))),
                call("t", "a quality above 1", p -> p.setQuality("t", 2)),
                call("nope", "usage of an unknown task", p -> p.recordUsage("nope", 1, 1, "m")));
    }

    private static Arguments call(String taskId, String what, Consumer<ProgressTracker> call) {
        return Arguments.of(taskId, what, call);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badCalls")
    void theMessageNamesTheRunAndTheTask(String taskId, String what, Consumer<ProgressTracker> call) {
        long sequence = tracker.summary().lastSequence();
        assertThatThrownBy(() -> call.accept(tracker))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining("run 'run-x'")
                .hasMessageContaining("'" + taskId + "'");
        if (!taskId.equals("parent")) {
            assertThat(tracker.summary().lastSequence())
                    .as(what + " changes nothing")
                    .isEqualTo(sequence);
        }
    }
}

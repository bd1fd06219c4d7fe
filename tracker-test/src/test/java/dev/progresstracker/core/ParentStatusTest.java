package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.RecordingSink;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A parent's status follows its children's (rule in {@code ParentStatus}, documented in the core README). */
class ParentStatusTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final RecordingSink sink = new RecordingSink("rec", OverflowPolicy.BLOCK, 10_000);
    private ProgressTracker tracker;

    @BeforeEach
    void setUp() {
        tracker =
                ProgressTracker.builder().runId("run-p").clock(clock).sink(sink).build();
        tracker.addTasks(List.of(
                new TaskSpec("plan", "Plan", TaskType.UPGRADE_PLAN, null, 1),
                new TaskSpec("phase", "Phase", TaskType.UPGRADE_STEP, "plan", 1),
                new TaskSpec("a", "A", TaskType.UPGRADE_STEP, "phase", 1),
                new TaskSpec("b", "B", TaskType.UPGRADE_STEP, "phase", 1)));
        tracker.startUpgrade("p");
    }

    @AfterEach
    void tearDown() {
        tracker.close();
    }

    private List<String> taskEvents() {
        assertThat(tracker.flush(Duration.ofSeconds(10))).isTrue();
        return sink.events().stream()
                .filter(e -> e instanceof TaskEvent && e.type() != dev.progresstracker.core.event.EventType.TASK_ADDED)
                .map(e -> e.type().wireName() + " " + ((TaskEvent) e).taskId())
                .toList();
    }

    @Test
    void parentsRunWhenAChildRunsAndCompleteWhenAllChildrenAreDoneOrSkipped() {
        tracker.startTask("a");
        assertThat(tracker.task("phase").status()).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(tracker.task("plan").status()).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(tracker.task("phase").startedAt()).isEqualTo(clock.instant());
        tracker.completeTask("a");
        assertThat(tracker.task("phase").status()).isEqualTo(TaskStatus.IN_PROGRESS);
        tracker.skipTask("b", "not needed");
        assertThat(tracker.task("phase").status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(tracker.task("plan").status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(tracker.task("plan").percent()).isEqualTo(100.0);

        assertThat(taskEvents())
                .containsExactly(
                        "task.started a",
                        "task.started phase",
                        "task.started plan",
                        "task.completed a",
                        "task.skipped b",
                        "task.completed phase",
                        "task.completed plan");
        ProgressSummary s = tracker.summary();
        assertThat(s.count(TaskStatus.COMPLETED)).as("counts include parents").isEqualTo(3);
        assertThat(s.count(TaskStatus.SKIPPED)).isEqualTo(1);
        assertThat(s.count(TaskStatus.NOT_STARTED)).isZero();
        assertThat(s.totalTasks()).isEqualTo(4);
    }

    @Test
    void aParentFailsOnceNoChildCanStillRunAndOneFailedAndARetryRunsItAgain() {
        tracker.startTask("a");
        tracker.startTask("b");
        tracker.failTask("a", "timeout");
        assertThat(tracker.task("phase").status()).as("b still runs").isEqualTo(TaskStatus.IN_PROGRESS);
        tracker.completeTask("b");
        assertThat(tracker.task("phase").status()).isEqualTo(TaskStatus.FAILED);
        assertThat(tracker.task("plan").status()).isEqualTo(TaskStatus.FAILED);
        assertThat(tracker.summary().count(TaskStatus.FAILED)).isEqualTo(3);

        tracker.startTask("a"); // retry
        assertThat(tracker.task("phase").status()).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(tracker.task("phase").attempt()).isEqualTo(2);
        tracker.completeTask("a");
        assertThat(tracker.task("plan").status()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void allChildrenSkippedSkipTheParentAndACancelledChildCancelsIt() {
        tracker.skipTask("a", "x");
        tracker.skipTask("b", "y");
        assertThat(tracker.task("phase").status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(tracker.task("plan").status()).isEqualTo(TaskStatus.SKIPPED);
    }

    @Test
    void aParentPausedByTheCallerStaysPausedAndExplicitVerbsOnParentsStillWork() {
        tracker.startTask("a");
        tracker.pauseTask("phase", "operator");
        tracker.startTask("b");
        assertThat(tracker.task("phase").status()).isEqualTo(TaskStatus.PAUSED);
        tracker.resumeTask("phase");
        tracker.completeTask("a");
        tracker.cancelTask("b", "no longer needed");
        assertThat(tracker.task("phase").status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(taskEvents())
                .contains("task.paused phase", "task.resumed phase", "task.cancelled phase")
                .doesNotContain("task.completed phase");
    }
}

package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.NonClosingStore;
import dev.progresstracker.test.RecordingSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private RecordingSink sink;
    private ProgressTracker tracker;

    @BeforeEach
    void setUp() {
        sink = new RecordingSink("rec", OverflowPolicy.BLOCK, 100_000);
        tracker = ProgressTracker.builder()
                .runId("run-1")
                .planId("plan-1")
                .clusterName("prod-eu")
                .attribute("targetVersion", "1.31")
                .clock(clock)
                .sink(sink)
                .build();
    }

    @AfterEach
    void tearDown() {
        tracker.close();
    }

    private List<ProgressEvent> events() {
        assertThat(tracker.flush(Duration.ofSeconds(10))).isTrue();
        return sink.events();
    }

    @Test
    void aSimpleUpgradeEmitsTheOriginalEventNamesWithGapFreeSequences() {
        tracker.addTask("a", "Step A", TaskType.UPGRADE_STEP, null);
        tracker.startUpgrade("preflight");
        tracker.startTask("a");
        tracker.updateTaskProgress("a", 50, "half", Map.of("nodes", 3));
        tracker.completeTask("a");
        tracker.completeUpgrade();

        List<ProgressEvent> events = events();
        assertThat(events)
                .extracting(e -> e.type().wireName())
                .containsExactly(
                        "task.added",
                        "upgrade.started",
                        "task.started",
                        "task.progress",
                        "task.completed",
                        "upgrade.completed");
        assertThat(events).extracting(ProgressEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.runId()).isEqualTo("run-1");
            assertThat(e.header().clusterName()).isEqualTo("prod-eu");
            assertThat(e.time()).isEqualTo(clock.instant());
        });
        TaskEvent progress = (TaskEvent) events.get(3);
        assertThat(progress.task().percent()).isEqualTo(50.0);
        assertThat(progress.task().details()).containsEntry("nodes", 3);
        assertThat(progress.run().percent()).isEqualTo(50.0);
        assertThat(events.get(5).run().percent()).isEqualTo(100.0);
        assertThat(tracker.summary().status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void parentPercentIsTheWeightedMeanOfItsChildren() {
        tracker.addTasks(List.of(
                TaskSpec.of("ng", "Node groups", TaskType.UPGRADE_PLAN).withWeight(3),
                TaskSpec.child("ng", "ng-1", "NG 1", TaskType.UPGRADE_STEP),
                TaskSpec.child("ng", "ng-2", "NG 2", TaskType.UPGRADE_STEP).withWeight(3),
                TaskSpec.of("addons", "Add-ons", TaskType.UPGRADE_STEP)));
        tracker.startTask("ng");
        tracker.startTask("ng-1");
        tracker.startTask("ng-2");
        tracker.updateTaskProgress("ng-1", 100, null, null);
        tracker.updateTaskProgress("ng-2", 20, null, null);
        // ng = (1*100 + 3*20) / 4 = 40; run = (3*40 + 1*0) / 4 = 30
        assertThat(tracker.task("ng").percent()).isCloseTo(40.0, within(1e-9));
        assertThat(tracker.summary().percent()).isCloseTo(30.0, within(1e-9));
        tracker.skipTask("addons");
        // skipped work leaves the roll-up: run = ng = 40
        assertThat(tracker.summary().percent()).isCloseTo(40.0, within(1e-9));
        tracker.completeTask("ng-2");
        assertThat(tracker.task("ng").percent()).isEqualTo(100.0);
        assertThat(tracker.summary().percent()).isEqualTo(100.0);
    }

    @Test
    void rollUpStaysExactOverManyUpdatesInADeepTree() {
        tracker.addTask("root", "Root", TaskType.UPGRADE_PLAN, null);
        for (int i = 0; i < 10; i++) {
            tracker.addTask("mid-" + i, "Mid", TaskType.UPGRADE_PLAN, "root");
            for (int j = 0; j < 10; j++) {
                String id = "leaf-" + i + "-" + j;
                tracker.addTask(id, "Leaf", TaskType.UPGRADE_STEP, "mid-" + i);
                tracker.startTask(id);
            }
        }
        for (int p = 1; p <= 100; p++) {
            for (int i = 0; i < 10; i++) {
                for (int j = 0; j < 10; j++) {
                    tracker.updateTaskProgress("leaf-" + i + "-" + j, p, null, null);
                }
            }
            assertThat(tracker.summary().percent()).isCloseTo(p, within(0.001));
        }
    }

    @Test
    void retryAfterFailureCountsAnAttemptAndRestartsProgress() {
        tracker.addTask("a", "A", TaskType.UPGRADE_STEP, null);
        tracker.startTask("a");
        tracker.updateTaskProgress("a", 70, null, null);
        tracker.failTask("a", "throttled");
        assertThat(tracker.task("a").status()).isEqualTo(TaskStatus.FAILED);
        assertThat(tracker.task("a").message()).isEqualTo("throttled");
        tracker.startTask("a");
        TaskView a = tracker.task("a");
        assertThat(a.attempt()).isEqualTo(2);
        assertThat(a.percent()).isZero();
        assertThat(a.finishedAt()).isNull();
    }

    @Test
    void pauseAndResumeEmitTheirOwnEvents() {
        tracker.addTask("a", "A", TaskType.UPGRADE_STEP, null);
        tracker.startTask("a");
        tracker.pauseTask("a", "waiting for PDB");
        tracker.resumeTask("a");
        assertThat(events())
                .extracting(ProgressEvent::type)
                .containsSubsequence(EventType.TASK_PAUSED, EventType.TASK_RESUMED);
        assertThat(tracker.task("a").message()).isEqualTo("waiting for PDB");
    }

    @Test
    void phaseChangesCarryThePreviousPhaseAndRepeatingThePhaseChangesNothing() {
        tracker.startUpgrade("preflight");
        tracker.setCurrentPhase("control-plane");
        long before = tracker.summary().lastSequence();
        tracker.setCurrentPhase("control-plane");
        assertThat(tracker.summary().lastSequence()).isEqualTo(before);
        assertThat(tracker.summary().currentPhase()).isEqualTo("control-plane");
        ProgressEvent last = events().get(1);
        assertThat(last.type()).isEqualTo(EventType.PHASE_CHANGED);
        assertThat(((dev.progresstracker.core.event.RunEvent.PhaseChanged) last).previousPhase())
                .isEqualTo("preflight");
    }

    @Test
    void summaryCountsTasksByStatusAndMeasuresElapsedTime() {
        tracker.addTasks(List.of(
                TaskSpec.of("a", "A", TaskType.UPGRADE_STEP),
                TaskSpec.of("b", "B", TaskType.VALIDATION),
                TaskSpec.of("c", "C", TaskType.CLEANUP)));
        tracker.startUpgrade("p");
        tracker.startTask("a");
        tracker.completeTask("a");
        tracker.startTask("b");
        clock.advance(Duration.ofSeconds(90));
        ProgressSummary s = tracker.summary();
        assertThat(s.count(TaskStatus.COMPLETED)).isEqualTo(1);
        assertThat(s.count(TaskStatus.IN_PROGRESS)).isEqualTo(1);
        assertThat(s.count(TaskStatus.NOT_STARTED)).isEqualTo(1);
        assertThat(s.totalTasks()).isEqualTo(3);
        assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.startedAt()).isEqualTo(Instant("2026-11-23T10:00:00Z"));
        assertThat(s.eta()).isPresent();
    }

    private static java.time.Instant Instant(String s) {
        return java.time.Instant.parse(s);
    }

    @Test
    void theStageCompletesWithTheSequenceOnceStored() throws Exception {
        tracker.addTask("a", "A", TaskType.UPGRADE_STEP, null);
        long seq = tracker.startTask("a").toCompletableFuture().get();
        assertThat(seq).isEqualTo(2);
    }

    @Test
    void tasksListsEveryTaskInInsertionOrder() {
        tracker.addTasks(List.of(
                TaskSpec.child("p", "c", "C", TaskType.UPGRADE_STEP), TaskSpec.of("p", "P", TaskType.UPGRADE_PLAN)));
        assertThat(tracker.tasks()).extracting(TaskView::taskId).containsExactly("p", "c");
        assertThat(tracker.task("c").parentTaskId()).isEqualTo("p");
    }

    @Test
    void aTrackerOverAnExistingRunResumesItsStateAndSequence() {
        InMemoryProgressStore store = new InMemoryProgressStore();
        ProgressTracker first = ProgressTracker.builder()
                .runId("resume-1")
                .clusterName("c1")
                .store(new NonClosingStore(store))
                .build();
        first.addTask("a", "A", TaskType.UPGRADE_STEP, null);
        first.addTask("b", "B", TaskType.UPGRADE_STEP, null);
        first.startUpgrade("data-plane");
        first.startTask("a");
        first.updateTaskProgress("a", 40, "forty", null);
        first.close();

        RecordingSink after = new RecordingSink("after", OverflowPolicy.BLOCK, 1000);
        try (ProgressTracker second = ProgressTracker.builder()
                .runId("resume-1")
                .store(new NonClosingStore(store))
                .sink(after)
                .build()) {
            assertThat(second.task("a").percent()).isEqualTo(40.0);
            assertThat(second.task("a").message()).isEqualTo("forty");
            assertThat(second.summary().currentPhase()).isEqualTo("data-plane");
            assertThat(second.summary().status()).isEqualTo(RunStatus.IN_PROGRESS);
            assertThat(second.summary().clusterName()).isEqualTo("c1");
            assertThat(second.summary().percent()).isEqualTo(20.0);
            second.completeTask("a");
            second.flush(Duration.ofSeconds(5));
            assertThat(after.events()).extracting(ProgressEvent::sequence).containsExactly(6L);
        }
        assertThat(store.loadRun("resume-1").orElseThrow().lastSequence()).isEqualTo(6);
    }

    @Test
    void resumingWithAnotherClusterIsRejected() {
        InMemoryProgressStore store = new InMemoryProgressStore();
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("r2")
                .clusterName("c1")
                .store(new NonClosingStore(store))
                .build()) {
            t.startUpgrade("p");
            t.flush(Duration.ofSeconds(5));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProgressTracker.builder()
                        .runId("r2")
                        .clusterName("c2")
                        .store(new NonClosingStore(store))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clusterName")
                .hasMessageContaining("c1")
                .hasMessageContaining("c2");
    }

    @Test
    void closingTwiceIsHarmlessAndClosedTrackersRejectChanges() {
        tracker.close();
        tracker.close();
        assertThat(sink.closed()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tracker.startUpgrade("p"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void longMessagesAreClippedToTheConfiguredLength() {
        tracker.close();
        tracker = ProgressTracker.builder()
                .runId("clip")
                .config(TrackerConfig.builder().maxMessageLength(20).build())
                .build();
        tracker.addTask("a", "A", TaskType.UPGRADE_STEP, null);
        tracker.startTask("a");
        tracker.failTask("a", "x".repeat(100));
        assertThat(tracker.task("a").message()).hasSize(20).endsWith("…");
    }
}

package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.RecordingSink;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskStagesTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final RecordingSink sink = new RecordingSink("rec", OverflowPolicy.BLOCK, 10_000);
    private ProgressTracker tracker;

    @BeforeEach
    void setUp() {
        tracker =
                ProgressTracker.builder().runId("run-s").clock(clock).sink(sink).build();
        tracker.addTask("drain", "Drain nodes", TaskType.UPGRADE_STEP, null);
        tracker.startUpgrade("data-plane");
    }

    @AfterEach
    void tearDown() {
        tracker.close();
    }

    @Test
    void theStageAndItsProgressShowInTheViewTheEventAndTheWireJson() {
        tracker.startTask("drain");
        tracker.updateTaskProgress("drain", 30);
        tracker.updateTaskStage("drain", "cordon", 100);
        tracker.updateTaskStage("drain", "evict-pods", 25);

        TaskView view = tracker.task("drain");
        assertThat(view.stage()).isEqualTo("evict-pods");
        assertThat(view.stageProgress()).isEqualTo(25.0);
        assertThat(view.percent()).as("the task's own percent is left alone").isEqualTo(30.0);

        assertThat(tracker.flush(Duration.ofSeconds(10))).isTrue();
        List<ProgressEvent> events = sink.events();
        TaskEvent last = (TaskEvent) events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo(EventType.TASK_PROGRESS);
        assertThat(last.task().stage()).isEqualTo("evict-pods");
        String json = WireFormat.toJson(last);
        assertThat(json).contains("\"stage\":\"evict-pods\",\"stageProgress\":25.0");
        assertThat(((TaskEvent) WireFormat.fromJson(json)).task()).isEqualTo(last.task());
    }

    @Test
    void aStageNeedsARunningTaskAValidNameAndAPercentAndBadCallsChangeNothing() {
        assertThatThrownBy(() -> tracker.updateTaskStage("drain", "cordon", 10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task 'drain' of run 'run-s'")
                .hasMessageContaining("NOT_STARTED");
        tracker.startTask("drain");
        assertThatThrownBy(() -> tracker.updateTaskStage("drain", "cordon", 100.5))
                .hasMessageContaining("run 'run-s', task 'drain': stageProgress must be within 0..100");
        assertThatThrownBy(() -> tracker.updateTaskStage("drain", " ", 1))
                .hasMessageContaining("run 'run-s', task 'drain': stage");
        assertThat(tracker.task("drain").stage()).isNull();
        assertThat(tracker.task("drain").stageProgress()).isZero();
    }
}

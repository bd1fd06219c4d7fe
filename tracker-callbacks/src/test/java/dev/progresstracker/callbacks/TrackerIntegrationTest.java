package dev.progresstracker.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.Registration;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code ProgressTracker.onEvent/onStatus} delegate to the manager installed as a sink. */
class TrackerIntegrationTest {

    @Test
    void onEventAndOnStatusOfTheTrackerRunThroughTheManagerOffTheCallersThread() {
        CallbackManager manager =
                CallbackManager.create(CallbackConfig.builder().threads(2).build());
        List<ProgressEvent> all = Collections.synchronizedList(new ArrayList<>());
        List<ProgressEvent> failed = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> thread = new AtomicReference<>();
        try (ProgressTracker t =
                ProgressTracker.builder().runId("integration").sink(manager).build()) {
            Registration r = t.onEvent(e -> {
                all.add(e);
                thread.set(Thread.currentThread().getName());
            });
            t.onStatus(TaskStatus.FAILED, failed::add);
            t.startUpgrade("p");
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.startTask("a");
            t.updateTaskProgress("a", 40);
            t.failTask("a", "node drain timed out");
            t.startTask("a");
            t.completeTask("a");
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(all)
                    .extracting(ProgressEvent::type)
                    .containsExactly(
                            EventType.UPGRADE_STARTED,
                            EventType.TASK_ADDED,
                            EventType.TASK_STARTED,
                            EventType.TASK_PROGRESS,
                            EventType.TASK_FAILED,
                            EventType.TASK_STARTED,
                            EventType.TASK_COMPLETED);
            assertThat(failed).extracting(ProgressEvent::type).containsExactly(EventType.TASK_FAILED);
            assertThat(thread.get())
                    .startsWith("tracker-callbacks-")
                    .isNotEqualTo(Thread.currentThread().getName());
            assertThat(manager.stats())
                    .extracting(ListenerStats::name)
                    .containsExactly("onEvent@integration", "onStatus(FAILED)@integration");
            r.close();
            t.completeUpgrade();
            t.flush(Duration.ofSeconds(10));
            assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(all).hasSize(7);
        }
        assertThatThrownBy(() -> manager.onEvent(e -> {}))
                .as("closing the tracker closed its sink")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutACallbackManagerTheTrackerSaysCallbacksAreOff() {
        try (ProgressTracker t = ProgressTracker.builder().runId("no-callbacks").build()) {
            assertThatThrownBy(() -> t.onEvent(e -> {}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("callbacks are switched off");
        }
    }
}

package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.RunAudit;
import dev.progresstracker.test.ScriptedStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, finding 6 (last item): a call that emits no event used to return a completed stage
 * holding another event's sequence before that event was stored. Now its stage completes with that
 * sequence only once the event is stored, and fails if it fails.
 */
class HonestAcknowledgementsTest {

    @Test
    void finding6_noOpCallsCompleteOnlyOnceTheNewestEventIsStored() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        try (ProgressTracker t =
                ProgressTracker.builder().runId("no-ops").store(store).build()) {
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.raiseAlert(new Alert("x", "manual", Alert.Severity.INFO, "x", null));
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            store.hold();
            CompletableFuture<Long> started = t.startUpgrade("one").toCompletableFuture();
            List<CompletableFuture<Long>> noOps = List.of(
                    t.setCurrentPhase("one").toCompletableFuture(),
                    t.addTasks(List.of()).toCompletableFuture(),
                    t.raiseAlert(new Alert("x", "manual", Alert.Severity.INFO, "again", null))
                            .toCompletableFuture(),
                    t.clearAlert("never-raised").toCompletableFuture());
            assertThat(store.awaitHeld(1, Duration.ofSeconds(10))).isTrue();
            assertThat(store.heldCount()).isEqualTo(1);
            assertThat(t.summary().lastSequence()).isEqualTo(3);
            assertThat(started).isNotDone();
            assertThat(noOps).noneMatch(CompletableFuture::isDone);
            store.release();
            assertThat(started.get(10, TimeUnit.SECONDS)).isEqualTo(3);
            for (CompletableFuture<Long> f : noOps) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(3);
            }
            // Each caller has its own stage: completing one does not answer another.
            assertThat(noOps.get(0)).isNotSameAs(noOps.get(1));
        }
    }

    @Test
    void finding6_aNoOpAfterAFailedEventFailsToo() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("no-op-after-failure")
                .store(store)
                .build()) {
            store.failNext(1);
            CompletionStage<Long> failed = t.startUpgrade("one");
            CompletionStage<Long> noOp = t.setCurrentPhase("one");
            assertThatThrownBy(() -> failed.toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .hasStackTraceContaining("injected write failure of #1");
            assertThatThrownBy(() -> noOp.toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .hasStackTraceContaining("injected write failure of #1");
        }
    }

    @Test
    void progressInMinimalModeWaitsForTheNewestEventAndEmitsNothing() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        TrackerConfig minimal =
                TrackerConfig.builder().trackingMode(TrackingMode.MINIMAL).build();
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("minimal")
                .store(store)
                .config(minimal)
                .build()) {
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            store.hold();
            CompletableFuture<Long> started = t.startTask("a").toCompletableFuture();
            CompletableFuture<Long> progress = t.updateTaskProgress("a", 40).toCompletableFuture();
            assertThat(store.awaitHeld(1, Duration.ofSeconds(10))).isTrue();
            assertThat(progress).isNotDone();
            store.release();
            assertThat(progress.get(10, TimeUnit.SECONDS))
                    .isEqualTo(started.get(10, TimeUnit.SECONDS))
                    .isEqualTo(2);
            assertThat(t.task("a").percent()).isEqualTo(40.0);
            assertThat(store.eventsSince("minimal", 0, 100).orElseThrow()).hasSize(2);
        }
    }

    /** Decision: a progress update that changes nothing still emits an event (a sign of life for watchers and the stall rule). */
    @Test
    void anUnchangedProgressUpdateStillEmitsAnEvent() throws Exception {
        InMemoryProgressStore store = new InMemoryProgressStore();
        try (ProgressTracker t =
                ProgressTracker.builder().runId("same-again").store(store).build()) {
            List<CompletionStage<Long>> acks = new ArrayList<>();
            acks.add(t.addTask("a", "A", TaskType.UPGRADE_STEP, null));
            acks.add(t.startTask("a"));
            acks.add(t.updateTaskProgress("a", 40, "m", Map.of("k", 1)));
            acks.add(t.updateTaskProgress("a", 40, "m", Map.of("k", 1)));
            acks.add(t.updateTaskProgress("a", 40, null, null));
            List<Long> sequences = RunAudit.join(acks);
            assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            List<ProgressEvent> events = RunAudit.assertStoredExactly(store, t, sequences);
            assertThat(events.subList(2, 5)).extracting(ProgressEvent::type).containsOnly(EventType.TASK_PROGRESS);
        }
    }
}

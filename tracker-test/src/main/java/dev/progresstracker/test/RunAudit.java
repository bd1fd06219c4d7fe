package dev.progresstracker.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * "Nothing lost", asserted by counting: every acknowledged event is in the store, the stored
 * sequence is 1..n without a gap or repeat, and the tracker's state, the store's state and the fold
 * of the stored events agree.
 */
public final class RunAudit {

    private RunAudit() {}

    /** Waits (at most 30 s each) for {@code acks} and returns their sequences. */
    public static List<Long> join(List<? extends CompletionStage<Long>> acks) throws Exception {
        java.util.ArrayList<Long> out = new java.util.ArrayList<>();
        for (CompletionStage<Long> a : acks) {
            out.add(a.toCompletableFuture().get(30, TimeUnit.SECONDS));
        }
        return out;
    }

    /**
     * Asserts that {@code store} holds every event of the tracker's run, numbered 1..lastSequence,
     * that every sequence in {@code acked} is among them, and that the fold of the stored events,
     * the store's state and the tracker's snapshot have the same tasks and run facts. Returns the
     * stored events. The tracker must have been flushed.
     */
    public static List<ProgressEvent> assertStoredExactly(
            ProgressStore store, ProgressTracker tracker, List<Long> acked) {
        String runId = tracker.runId();
        long last = tracker.summary().lastSequence();
        List<ProgressEvent> events = store.eventsSince(runId, 0, Integer.MAX_VALUE)
                .orElseThrow(() -> new AssertionError("the store no longer holds every event of run '" + runId + "'"));
        assertThat(events).as("stored events of run '%s'", runId).hasSize((int) last);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).sequence())
                    .as("sequence at position %d", i)
                    .isEqualTo(i + 1L);
        }
        assertThat(acked).allSatisfy(seq -> assertThat(seq).isBetween(1L, last));
        RunProjection fold = new RunProjection(runId, RunProjection.Mode.CONTIGUOUS);
        events.forEach(fold::apply);
        RunState folded = fold.snapshot();
        RunState stored = store.loadRun(runId).orElseThrow();
        RunState live = tracker.snapshot();
        assertThat(stored.lastSequence()).isEqualTo(last);
        assertThat(stored.tasks()).containsExactlyElementsOf(folded.tasks());
        // A parent's rolled-up percent lives in the tracker only (its events carry its own view).
        assertThat(withoutParentPercents(live.tasks()))
                .containsExactlyElementsOf(withoutParentPercents(folded.tasks()));
        assertThat(stored.info().status()).isEqualTo(live.info().status());
        assertThat(stored.info().phase()).isEqualTo(live.info().phase());
        assertThat(stored.activeAlerts()).isEqualTo(live.activeAlerts());
        return events;
    }

    private static List<TaskView> withoutParentPercents(List<TaskView> tasks) {
        java.util.Set<String> parents = new java.util.HashSet<>();
        tasks.forEach(t -> {
            if (t.parentTaskId() != null) {
                parents.add(t.parentTaskId());
            }
        });
        return tasks.stream()
                .map(t -> !parents.contains(t.taskId())
                        ? t
                        : new TaskView(
                                t.taskId(),
                                t.name(),
                                t.type(),
                                t.parentTaskId(),
                                t.weight(),
                                t.status(),
                                0,
                                t.message(),
                                t.details(),
                                t.startedAt(),
                                t.finishedAt(),
                                t.attempt()))
                .toList();
    }
}

package dev.progresstracker.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.Delivery;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveredStreamCheckTest {

    /** 2 tasks × 100 progress updates, a failure and a retry, through a sink stuck until all are queued. */
    private static List<ProgressEvent> conflatedRun(OverflowPolicy policy, int capacity) {
        RecordingSink sink = new RecordingSink("stuck", policy, capacity).hold();
        try (ProgressTracker t =
                ProgressTracker.builder().runId("run-1").sink(sink).build()) {
            t.addTasks(List.of(
                    TaskSpec.of("a", "A", TaskType.UPGRADE_STEP), TaskSpec.of("b", "B", TaskType.UPGRADE_STEP)));
            t.startUpgrade("p");
            t.startTask("a");
            t.startTask("b");
            for (int i = 1; i <= 100; i++) {
                t.updateTaskProgress("a", i * 0.5);
                t.updateTaskProgress("b", i * 0.5);
                if (i == 50) {
                    t.failTask("b", "flaky");
                    t.startTask("b");
                }
            }
            t.completeTask("a");
            t.completeTask("b");
            t.completeUpgrade();
            sink.release();
            assertThat(t.flush(Duration.ofSeconds(30))).isTrue();
        }
        return sink.events();
    }

    private static List<ProgressEvent> without(List<ProgressEvent> events, long... sequences) {
        List<ProgressEvent> out = new ArrayList<>(events);
        for (long s : sequences) {
            assertThat(out.removeIf(e -> e.sequence() == s))
                    .as("#%d was delivered", s)
                    .isTrue();
        }
        return out;
    }

    private static ProgressEvent first(List<ProgressEvent> events, EventType type) {
        return events.stream().filter(e -> e.type() == type).findFirst().orElseThrow();
    }

    @Test
    void aConflatedStreamIsComplete() {
        List<ProgressEvent> events = conflatedRun(OverflowPolicy.CONFLATE, 0);

        long lastSequence = events.get(events.size() - 1).sequence();
        assertThat(events).as("conflation skipped progress events").hasSizeLessThan((int) lastSequence);
        assertThat(events).allSatisfy(e -> assertThat(e.delivery()).isNotNull());
        DeliveredStreamCheck.Report report =
                new DeliveredStreamCheck().addAll(events).report();
        assertThat(report.complete()).as(report.toString()).isTrue();
        assertThat(report).hasToString("complete");
    }

    @Test
    void aSupersedingProgressEventCountsWhatItReplaced() {
        List<ProgressEvent> events = conflatedRun(OverflowPolicy.CONFLATE, 0);

        long skipped = events.get(events.size() - 1).sequence() - events.size();
        long superseded =
                events.stream().mapToLong(e -> e.delivery().superseded()).sum();
        assertThat(superseded).isEqualTo(skipped).isPositive();
    }

    @Test
    void supersededUsageEventsAreNotLoss() {
        // task.usage is conflatable like task.progress (same per-task key): a usage event may replace a
        // progress event and the other way round, and both count in the superseded accounting.
        RecordingSink sink = new RecordingSink("stuck", OverflowPolicy.CONFLATE, 0).hold();
        List<ProgressEvent> events;
        try (ProgressTracker t =
                ProgressTracker.builder().runId("run-1").sink(sink).build()) {
            t.addTasks(List.of(TaskSpec.of("a", "A", TaskType.UPGRADE_STEP)));
            t.startUpgrade("p");
            t.startTask("a");
            for (int i = 1; i <= 40; i++) {
                t.updateTaskProgress("a", i);
                t.recordUsage("a", 10, 5, "model-x");
            }
            t.completeTask("a");
            t.completeUpgrade();
            sink.release();
            assertThat(t.flush(Duration.ofSeconds(30))).isTrue();
            events = sink.events();
        }
        assertThat(events).as("conflation skipped events").hasSizeLessThan((int)
                events.get(events.size() - 1).sequence());
        assertThat(events).as("usage events delivered").anyMatch(e -> e.type() == EventType.TASK_USAGE);
        DeliveredStreamCheck.Report report =
                new DeliveredStreamCheck().addAll(events).report();
        assertThat(report.complete()).as(report.toString()).isTrue();

        ProgressEvent usage = events.stream()
                .filter(e -> e.type() == EventType.TASK_USAGE)
                .findFirst()
                .orElseThrow();
        DeliveredStreamCheck.Report lossy = new DeliveredStreamCheck()
                .addAll(without(events, usage.sequence()))
                .report();
        assertThat(lossy.complete()).isFalse();
        assertThat(lossy.missingLifecycle())
                .as("a lost usage event is not a lost lifecycle event")
                .isEmpty();
    }

    @Test
    void aLostLifecycleEventIsNamedBySequenceAndType() {
        List<ProgressEvent> events = conflatedRun(OverflowPolicy.CONFLATE, 0);
        ProgressEvent failed = first(events, EventType.TASK_FAILED);

        DeliveredStreamCheck.Report report = new DeliveredStreamCheck()
                .addAll(without(events, failed.sequence()))
                .report();

        assertThat(report.complete()).isFalse();
        assertThat(report.missingLifecycle())
                .containsExactly(new DeliveredStreamCheck.Missing("run-1", failed.sequence(), EventType.TASK_FAILED));
        assertThat(report.toString()).contains("missing #" + failed.sequence() + " task.failed of run 'run-1'");
    }

    @Test
    void aLostLatestProgressIsNamedAsProgressNotLifecycle() {
        List<ProgressEvent> events = conflatedRun(OverflowPolicy.CONFLATE, 0);
        ProgressEvent lastProgress = events.stream()
                .filter(e -> e.type() == EventType.TASK_PROGRESS)
                .reduce((x, y) -> y)
                .orElseThrow();

        DeliveredStreamCheck.Report report = new DeliveredStreamCheck()
                .addAll(without(events, lastProgress.sequence()))
                .report();

        assertThat(report.complete()).isFalse();
        assertThat(report.missingLifecycle()).isEmpty();
        assertThat(report.missing())
                .containsExactly(
                        new DeliveredStreamCheck.Missing("run-1", lastProgress.sequence(), EventType.TASK_PROGRESS));
    }

    @Test
    void twoAdjacentLostEventsNameTheLaterAndLeaveTheEarlierUnverified() {
        List<ProgressEvent> events = SampleRuns.upgrade("run-2");
        ProgressEvent paused = first(events, EventType.TASK_PAUSED);
        ProgressEvent resumed = first(events, EventType.TASK_RESUMED);
        assertThat(resumed.sequence()).isEqualTo(paused.sequence() + 1);

        DeliveredStreamCheck.Report report = new DeliveredStreamCheck()
                .addAll(without(events, paused.sequence(), resumed.sequence()))
                .report();

        assertThat(report.missingLifecycle())
                .containsExactly(new DeliveredStreamCheck.Missing("run-2", resumed.sequence(), EventType.TASK_RESUMED));
        assertThat(report.unverified())
                .singleElement()
                .asString()
                .contains("#" + paused.sequence() + "…#" + paused.sequence() + " are unknown");
    }

    @Test
    void duplicatesAndAnyOrderAreFine() {
        List<ProgressEvent> events = new ArrayList<>(conflatedRun(OverflowPolicy.CONFLATE, 0));
        List<ProgressEvent> shuffled = new ArrayList<>(events);
        java.util.Collections.reverse(shuffled);
        shuffled.addAll(events.subList(0, 5));

        assertThat(new DeliveredStreamCheck().addAll(shuffled).report().complete())
                .isTrue();
    }

    @Test
    void wireJsonReadsBackWithItsDelivery() {
        List<ProgressEvent> events = conflatedRun(OverflowPolicy.CONFLATE, 0);
        DeliveredStreamCheck check = new DeliveredStreamCheck();
        events.forEach(e -> check.addJson(WireFormat.toJson(e)));

        assertThat(check.report().complete()).isTrue();
        ProgressEvent superseding = events.stream()
                .filter(e -> e.delivery().superseded() > 0)
                .findFirst()
                .orElseThrow();
        assertThat(WireFormat.fromJson(WireFormat.toJson(superseding)).delivery())
                .isEqualTo(superseding.delivery());
    }

    @Test
    void droppedProgressWithoutReplacementIsNotProven() {
        List<ProgressEvent> events = conflatedRun(OverflowPolicy.DROP_OLDEST_PROGRESS, 8);

        DeliveredStreamCheck.Report report =
                new DeliveredStreamCheck().addAll(events).report();

        assertThat(report.missing()).isEmpty();
        assertThat(report.unreplaced()).containsKey("run-1");
        assertThat(report.complete()).isFalse();
    }

    @Test
    void aResumedStreamIsCheckedAfterItsResumePoint() {
        List<ProgressEvent> events = SampleRuns.upgrade("run-3");
        long since = events.get(9).sequence();
        List<ProgressEvent> after = events.subList(10, events.size());

        assertThat(new DeliveredStreamCheck()
                        .startAfter("run-3", since)
                        .addAll(after)
                        .report()
                        .complete())
                .isTrue();
        DeliveredStreamCheck.Report fromStart =
                new DeliveredStreamCheck().addAll(after).report();
        assertThat(fromStart.missing())
                .extracting(DeliveredStreamCheck.Missing::sequence)
                .containsExactly(since);
    }

    @Test
    void eventsWithoutDeliveryCannotBeVouchedFor() {
        ProgressEvent raw = SampleRuns.upgrade("run-4").get(0).withDelivery(null);

        DeliveredStreamCheck.Report report = new DeliveredStreamCheck().add(raw).report();

        assertThat(report.complete()).isFalse();
        assertThat(report.notStamped()).hasSize(1);
    }

    @Test
    void aPathThatRestartedLeavesTheStretchBeforeUnverified() {
        List<ProgressEvent> events = SampleRuns.upgrade("run-5");
        List<ProgressEvent> restarted = new ArrayList<>(events.subList(0, 5));
        ProgressEvent later = events.get(8);
        restarted.add(later.withDelivery(new Delivery(0, null, 0)));

        DeliveredStreamCheck.Report report =
                new DeliveredStreamCheck().addAll(restarted).report();

        assertThat(report.unverified()).singleElement().asString().contains("restarted at #" + later.sequence());
    }
}

package dev.progresstracker.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.EventLimits;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ProgressStore} must do. A store's test extends this class and supplies
 * {@link #createStore()}; durable stores also override {@link #reopen(ProgressStore)}.
 */
public abstract class ProgressStoreContract {

    protected ProgressStore store;

    /** A new, empty store. Called before each test. */
    protected abstract ProgressStore createStore() throws Exception;

    /**
     * Closes {@code store} and opens it again over the same data; stores that keep nothing across
     * instances return null (the durability tests then do not apply).
     */
    protected ProgressStore reopen(ProgressStore store) throws Exception {
        return null;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected void appendAll(ProgressStore s, List<ProgressEvent> events) {
        for (ProgressEvent e : events) {
            s.append(e).toCompletableFuture().join();
        }
    }

    private static RunState expectedState(List<ProgressEvent> events) {
        RunProjection p = new RunProjection(events.get(0).runId(), RunProjection.Mode.CONTIGUOUS);
        events.forEach(p::apply);
        return p.snapshot();
    }

    private static List<String> json(List<ProgressEvent> events) {
        return events.stream().map(WireFormat::toJson).toList();
    }

    @Test
    void unknownRunIsAbsentAndHasNoMissedEvents() {
        assertThat(store.loadRun("never-seen")).isEmpty();
        assertThat(store.eventsSince("never-seen", 0, 100)).contains(List.of());
        assertThat(store.listRuns()).isEmpty();
        assertThat(store.deleteRun("never-seen")).isFalse();
    }

    @Test
    void loadRunReturnsTheStateAfterEveryAppendedEvent() {
        List<ProgressEvent> events = SampleRuns.upgrade("run-a");
        appendAll(store, events);
        RunState loaded = store.loadRun("run-a").orElseThrow();
        RunState expected = expectedState(events);
        assertThat(loaded.lastSequence()).isEqualTo(events.size());
        assertThat(loaded.info()).isEqualTo(expected.info());
        assertThat(loaded.tasks()).containsExactlyElementsOf(expected.tasks());
        assertThat(loaded.activeAlerts()).isEqualTo(expected.activeAlerts());
    }

    @Test
    void everyTaskMatchesItsLastEvent() {
        List<ProgressEvent> events = SampleRuns.upgrade("run-b");
        appendAll(store, events);
        RunState loaded = store.loadRun("run-b").orElseThrow();
        for (TaskView t : loaded.tasks()) {
            TaskView last = events.stream()
                    .filter(e -> e instanceof TaskEvent te && te.taskId().equals(t.taskId()))
                    .map(e -> ((TaskEvent) e).task())
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(t).isEqualTo(last);
        }
        assertThat(loaded.tasks())
                .extracting(TaskView::status)
                .contains(TaskStatus.COMPLETED, TaskStatus.SKIPPED, TaskStatus.CANCELLED);
    }

    @Test
    void eventsSinceReturnsExactlyTheLaterEventsInOrder() {
        List<ProgressEvent> events = SampleRuns.upgrade("run-c");
        appendAll(store, events);
        List<ProgressEvent> since =
                store.eventsSince("run-c", 10, Integer.MAX_VALUE).orElseThrow();
        assertThat(json(since)).containsExactlyElementsOf(json(events.subList(10, events.size())));
        assertThat(store.eventsSince("run-c", 0, 5).orElseThrow())
                .extracting(ProgressEvent::sequence)
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(store.eventsSince("run-c", events.size(), 100)).contains(List.of());
    }

    @Test
    void aGapInTheSequenceIsRejectedAndChangesNothing() {
        List<ProgressEvent> events = SampleRuns.upgrade("run-d");
        appendAll(store, events.subList(0, 5));
        Throwable t = catchThrowable(
                () -> store.append(events.get(6)).toCompletableFuture().join());
        assertThat(t).isNotNull();
        Throwable cause = t instanceof CompletionException ? t.getCause() : t;
        assertThat(cause).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run-d");
        assertThat(store.loadRun("run-d").orElseThrow().lastSequence()).isEqualTo(5);
        appendAll(store, events.subList(5, events.size()));
        assertThat(store.loadRun("run-d").orElseThrow().lastSequence()).isEqualTo(events.size());
    }

    @Test
    void aRepeatedSequenceIsRejected() {
        List<ProgressEvent> events = SampleRuns.upgrade("run-e");
        appendAll(store, events.subList(0, 3));
        Throwable t = catchThrowable(
                () -> store.append(events.get(2)).toCompletableFuture().join());
        assertThat(t).isNotNull();
        assertThat(store.loadRun("run-e").orElseThrow().lastSequence()).isEqualTo(3);
    }

    @Test
    void listRunsReportsEveryRun() {
        appendAll(store, SampleRuns.upgrade("run-f1"));
        List<ProgressEvent> failure = SampleRuns.failure("run-f2");
        appendAll(store, failure);
        List<RunInfo> runs = store.listRuns();
        assertThat(runs).extracting(RunInfo::runId).containsExactlyInAnyOrder("run-f1", "run-f2");
        RunInfo f2 = runs.stream()
                .filter(r -> r.runId().equals("run-f2"))
                .findFirst()
                .orElseThrow();
        assertThat(f2.lastSequence()).isEqualTo(failure.size());
        assertThat(f2.status()).isEqualTo(dev.progresstracker.core.RunStatus.CANCELLED);
        assertThat(f2.clusterName()).isEqualTo("prod-eu");
    }

    @Test
    void deleteRunRemovesItsStateAndEvents() {
        appendAll(store, SampleRuns.upgrade("run-g"));
        assertThat(store.deleteRun("run-g")).isTrue();
        assertThat(store.loadRun("run-g")).isEmpty();
        assertThat(store.listRuns()).isEmpty();
        assertThat(store.deleteRun("run-g")).isFalse();
    }

    @Test
    void readsAreSafeWhileAnotherThreadAppends() throws Exception {
        List<ProgressEvent> events = SampleRuns.upgrade("run-h");
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                futures.add(readers.submit(() -> {
                    long seen = 0;
                    while (seen < events.size()) {
                        Optional<RunState> s = store.loadRun("run-h");
                        long now = s.map(RunState::lastSequence).orElse(0L);
                        assertThat(now).isGreaterThanOrEqualTo(seen);
                        seen = now;
                        store.listRuns();
                        store.eventsSince("run-h", 0, 1000);
                    }
                    return null;
                }));
            }
            appendAll(store, events);
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void aTrackerResumesFromTheStore() throws Exception {
        appendAll(store, SampleRuns.record("run-i", (t, c) -> {
            t.addTask("a", "A", dev.progresstracker.core.TaskType.UPGRADE_STEP, null);
            t.addTask("b", "B", dev.progresstracker.core.TaskType.UPGRADE_STEP, null);
            t.startUpgrade("one");
            t.startTask("a");
            t.updateTaskProgress("a", 60, "sixty", null);
        }));
        ProgressStore reopened = reopen(store);
        ProgressStore s = reopened != null ? reopened : store;
        store = s;
        ProgressTracker t = ProgressTracker.builder()
                .runId("run-i")
                .store(new NonClosingStore(s))
                .build();
        try {
            assertThat(t.task("a").percent()).isEqualTo(60.0);
            assertThat(t.summary().currentPhase()).isEqualTo("one");
            assertThat(t.summary().percent()).isEqualTo(30.0);
            long next = t.completeTask("a").toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(next)
                    .isEqualTo(s.loadRun("run-i").orElseThrow().lastSequence())
                    .isEqualTo(6);
        } finally {
            t.close();
        }
    }

    @Test
    void stateSurvivesReopening() throws Exception {
        List<ProgressEvent> events = SampleRuns.upgrade("run-j");
        appendAll(store, events);
        ProgressStore reopened = reopen(store);
        org.junit.jupiter.api.Assumptions.assumeTrue(reopened != null, "store keeps nothing across instances");
        store = reopened;
        RunState expected = expectedState(events);
        RunState loaded = reopened.loadRun("run-j").orElseThrow();
        assertThat(loaded.info()).isEqualTo(expected.info());
        assertThat(loaded.tasks()).containsExactlyElementsOf(expected.tasks());
        assertThat(json(reopened.eventsSince("run-j", 0, Integer.MAX_VALUE).orElse(events)))
                .containsExactlyElementsOf(json(events));
    }

    @Test
    void invalidRunIdsAreRejectedByEveryRead() {
        assertThatThrownBy(() -> store.loadRun("../etc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runId");
        assertThatThrownBy(() -> store.eventsSince("a/b", 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.deleteRun("")).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ limits

    /**
     * The configuration the limits tests drive the store with, through a real tracker. Default:
     * {@link TrackerConfig#defaults()}; a store whose {@code maxEventBytes()} is below its worst
     * case must lower the limits here (the tracker would refuse to start on it otherwise).
     */
    protected TrackerConfig limitsConfig() {
        return TrackerConfig.defaults();
    }

    @Test
    void eventsAtExactlyTheLimitsAreStoredAndReloadEqual() throws Exception {
        TrackerConfig config = limitsConfig();
        EventLimits l = config.limits();
        String runId = "limits-at";
        RecordingSink sink = new RecordingSink("every-event", dev.progresstracker.core.spi.OverflowPolicy.BLOCK, 1024);
        List<CompletionStage<Long>> acks = new ArrayList<>();
        List<ProgressEvent> stored;
        RunState live;
        ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .store(new NonClosingStore(store))
                .sink(sink)
                .config(config)
                .planId(LimitCases.name(l.maxNameLength()))
                .clusterName("c" + LimitCases.name(l.maxNameLength() - 1))
                .attributes(LimitCases.attributes(l.maxAttributes(), l.maxKeyLength(), l.maxAttributeLength()))
                .build();
        try {
            String parent = LimitCases.name(RunIds.MAX_TASK_ID_LENGTH);
            acks.add(t.startUpgrade(LimitCases.name(l.maxNameLength())));
            acks.add(t.addTask(
                    new TaskSpec(parent, LimitCases.name(l.maxNameLength()), TaskType.UPGRADE_PLAN, null, 1)));
            acks.add(t.addTask(TaskSpec.child(parent, "d", LimitCases.name(l.maxNameLength()), TaskType.UPGRADE_STEP)));
            acks.add(t.startTask("d"));
            List<Map<String, Object>> atTheLimits = List.of(
                    LimitCases.detailsOfBytes(l.maxDetailsBytes(), l),
                    LimitCases.nested(l.maxDetailsDepth()),
                    LimitCases.wide(l.maxDetailsEntries()),
                    LimitCases.longList(l.maxDetailsEntries()),
                    Map.of(LimitCases.name(l.maxKeyLength()), LimitCases.text(Math.min(1000, l.maxStringLength()))),
                    Map.of("s", LimitCases.longString(l, 16)));
            double percent = 0;
            for (Map<String, Object> details : atTheLimits) {
                percent += 10;
                acks.add(t.updateTaskProgress("d", percent, LimitCases.text(config.maxMessageLength() + 100), details));
            }
            acks.add(t.setCurrentPhase("p" + LimitCases.name(l.maxNameLength() - 1)));
            acks.add(t.raiseAlert(new Alert(
                    LimitCases.name(l.maxNameLength()),
                    "r" + LimitCases.name(l.maxNameLength() - 1),
                    Alert.Severity.WARNING,
                    LimitCases.text(config.maxMessageLength() + 1),
                    "d")));
            acks.add(t.failTask("d", LimitCases.text(config.maxMessageLength())));
            List<Long> sequences = RunAudit.join(acks);
            assertThat(t.flush(java.time.Duration.ofSeconds(30))).isTrue();
            stored = RunAudit.assertStoredExactly(store, t, sequences);
            // The store keeps events as the tracker made them; the sink's copies carry their delivery on its path.
            LimitCases.assertSameJson(
                    json(stored),
                    json(sink.awaitEvents(stored.size(), java.time.Duration.ofSeconds(30)).stream()
                            .map(e -> e.withDelivery(null))
                            .toList()));
            assertThat(store.loadRun(runId).orElseThrow().info().attributes())
                    .isEqualTo(LimitCases.attributes(l.maxAttributes(), l.maxKeyLength(), l.maxAttributeLength()));
            live = store.loadRun(runId).orElseThrow();
        } finally {
            t.close();
        }
        ProgressStore reopened = reopen(store);
        if (reopened != null) {
            store = reopened;
            RunState loaded = reopened.loadRun(runId).orElseThrow();
            assertThat(loaded.tasks()).containsExactlyElementsOf(live.tasks());
            assertThat(loaded.info().attributes()).isEqualTo(live.info().attributes());
            reopened.eventsSince(runId, 0, Integer.MAX_VALUE)
                    .ifPresent(events -> LimitCases.assertSameJson(json(events), json(stored)));
        }
    }

    @Test
    void inputsJustOverTheLimitsAreRefusedAtTheCallAndChangeNothing() throws Exception {
        TrackerConfig config = limitsConfig();
        EventLimits l = config.limits();
        String runId = "limits-over";
        List<CompletionStage<Long>> acks = new ArrayList<>();
        Map<String, Object> atLimit = LimitCases.detailsOfBytes(l.maxDetailsBytes(), l);
        ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .store(new NonClosingStore(store))
                .config(config)
                .build();
        try {
            acks.add(t.startUpgrade("one"));
            acks.add(t.addTask("d", "D", TaskType.UPGRADE_STEP, null));
            acks.add(t.startTask("d"));
            Map<String, Runnable> overTheLimits = LimitCases.overTheLimits(t, l);
            for (Map.Entry<String, Runnable> c : overTheLimits.entrySet()) {
                RunState before = t.snapshot();
                assertThatThrownBy(c.getValue()::run)
                        .as(c.getKey())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("run '" + runId + "'")
                        .hasMessageContaining(c.getKey().trim());
                RunState after = t.snapshot();
                assertThat(after.lastSequence()).as(c.getKey()).isEqualTo(before.lastSequence());
                assertThat(after.tasks()).as(c.getKey()).containsExactlyElementsOf(before.tasks());
                assertThat(after.info().phase()).isEqualTo(before.info().phase());
                // The run goes on: the next call takes the next sequence and is stored.
                acks.add(t.updateTaskProgress("d", t.task("d").percent() + 1, null, atLimit));
            }
            List<Long> sequences = RunAudit.join(acks);
            assertThat(sequences).doesNotHaveDuplicates();
            assertThat(t.flush(java.time.Duration.ofSeconds(30))).isTrue();
            RunAudit.assertStoredExactly(store, t, sequences);
        } finally {
            t.close();
        }
        assertThatThrownBy(() -> ProgressTracker.builder()
                        .runId("limits-attrs")
                        .store(new NonClosingStore(store))
                        .config(config)
                        .attributes(LimitCases.attributes(l.maxAttributes() + 1, 8, 8))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limits-attrs")
                .hasMessageContaining("maxAttributes");
        assertThat(store.loadRun("limits-attrs")).isEmpty();
    }
}

package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.EtaSample;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.spi.AlertChanges;
import dev.progresstracker.core.spi.AnalyticsHook;
import dev.progresstracker.core.spi.ObservedRun;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.spi.RunObserver;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.RecordingSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Core's side of the analytics hook with a scripted observer: what it sees (in order, progress
 * conflated or not), when conflated progress reaches it, how its alert changes become events, and
 * that a failing observer costs the caller nothing.
 */
class AnalyticsHookTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final RecordingSink sink = new RecordingSink("all", OverflowPolicy.BLOCK, 1_000_000); // keeps every event

    /** Records what it observes; answers with the scripted functions. */
    static final class ScriptedObserver implements RunObserver {
        final List<ProgressEvent> seen = new CopyOnWriteArrayList<>();
        final List<TaskView> restored = new ArrayList<>();
        final AtomicInteger closes = new AtomicInteger();
        boolean conflated = true;
        BiFunction<ProgressEvent, ObservedRun, AlertChanges> onEvent = (e, r) -> AlertChanges.NONE;
        Function<ObservedRun, AlertChanges> onReview = r -> AlertChanges.NONE;

        @Override
        public void start(ObservedRun run, List<TaskView> tasks) {
            restored.addAll(tasks);
        }

        @Override
        public AlertChanges observe(ProgressEvent event, ObservedRun run) {
            seen.add(event);
            return onEvent.apply(event, run);
        }

        @Override
        public AlertChanges review(ObservedRun run) {
            return onReview.apply(run);
        }

        @Override
        public boolean acceptsConflatedProgress() {
            return conflated;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }

        long count(EventType type) {
            return seen.stream().filter(e -> e.type() == type).count();
        }
    }

    private static AnalyticsHook hook(ScriptedObserver observer) {
        return tracker -> observer;
    }

    private ProgressTracker tracker(ScriptedObserver observer, TrackingMode mode) {
        ProgressTracker t = ProgressTracker.builder()
                .runId("hook-" + mode)
                .clock(clock)
                .sink(sink)
                .config(TrackerConfig.builder().trackingMode(mode).build())
                .analytics(hook(observer))
                .build();
        t.addTasks(List.of(TaskSpec.of("a", "A", TaskType.UPGRADE_STEP), TaskSpec.of("b", "B", TaskType.UPGRADE_STEP)));
        t.startUpgrade("one");
        t.startTask("a");
        t.startTask("b");
        return t;
    }

    private static List<Long> sequences(List<ProgressEvent> events) {
        return events.stream().map(ProgressEvent::sequence).toList();
    }

    @Test
    void progressReachesTheObserverConflatedInSequenceOrderBeforeTheNextOtherEvent() {
        ScriptedObserver o = new ScriptedObserver();
        try (ProgressTracker t = tracker(o, TrackingMode.ENHANCED)) {
            for (int p = 1; p <= 50; p++) { // the clock stands still: no ETA refresh falls due
                t.updateTaskProgress("a", p);
                t.updateTaskProgress("b", p);
            }
            assertThat(o.count(EventType.TASK_PROGRESS))
                    .as("deferred, not yet observed")
                    .isLessThanOrEqualTo(2);
            t.completeTask("a");
            t.flush(Duration.ofSeconds(5));

            List<ProgressEvent> progress = o.seen.stream()
                    .filter(e -> e.type() == EventType.TASK_PROGRESS)
                    .toList();
            // latest per task only, each with its own values
            assertThat(progress)
                    .extracting(e -> ((TaskEvent) e).task().percent())
                    .containsOnly(50.0);
            assertThat(progress)
                    .extracting(e -> ((TaskEvent) e).task().taskId())
                    .containsExactlyInAnyOrder("a", "b");
            assertThat(sequences(o.seen)).isSorted().doesNotHaveDuplicates();
            assertThat(o.seen.get(o.seen.size() - 1).type()).isEqualTo(EventType.TASK_COMPLETED);
            // the sinks saw every update: conflation is the observer's, not the stream's
            assertThat(sink.count(EventType.TASK_PROGRESS)).isEqualTo(100);
        }
    }

    @Test
    void anObserverThatRefusesConflationSeesEveryUpdateAtOnce() {
        ScriptedObserver o = new ScriptedObserver();
        o.conflated = false;
        try (ProgressTracker t = tracker(o, TrackingMode.ENHANCED)) {
            for (int p = 1; p <= 50; p++) {
                t.updateTaskProgress("a", p);
                assertThat(o.count(EventType.TASK_PROGRESS)).isEqualTo(p);
            }
            assertThat(sequences(o.seen)).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void readsHandTheObserverEveryPendingProgressFirst() {
        ScriptedObserver o = new ScriptedObserver();
        try (ProgressTracker t = tracker(o, TrackingMode.ENHANCED)) {
            for (int p = 1; p <= 10; p++) {
                t.updateTaskProgress("a", p);
            }
            t.summary();
            assertThat(o.seen.get(o.seen.size() - 1))
                    .isInstanceOfSatisfying(
                            TaskEvent.class, e -> assertThat(e.task().percent()).isEqualTo(10.0));
            t.updateTaskProgress("a", 20);
            t.eta();
            assertThat(((TaskEvent) o.seen.get(o.seen.size() - 1)).task().percent())
                    .isEqualTo(20.0);
        }
    }

    @Test
    void alertChangesBecomeEventsRightAfterTheirEventAndAlertEventsNeverCascade() {
        ScriptedObserver o = new ScriptedObserver();
        Alert slow = new Alert("slow:a", "slow", Alert.Severity.WARNING, "a is slow", "a");
        Alert echo = new Alert("echo", "echo", Alert.Severity.INFO, "must never be raised", null);
        o.onEvent = (e, run) -> {
            if (e instanceof AlertEvent) {
                return new AlertChanges(List.of(echo), List.of()); // ignored: alerts do not trigger alerts
            }
            if (e.type() == EventType.TASK_PAUSED) {
                assertThat(run.activeAlerts()).isEmpty();
                return new AlertChanges(List.of(slow), List.of());
            }
            if (e.type() == EventType.TASK_RESUMED) {
                assertThat(run.activeAlerts()).containsKey("slow:a");
                return new AlertChanges(List.of(), List.of("slow:a"));
            }
            return AlertChanges.NONE;
        };
        try (ProgressTracker t = tracker(o, TrackingMode.COMPREHENSIVE)) {
            long paused = t.pauseTask("a", "wait").toCompletableFuture().join();
            assertThat(t.activeAlerts()).containsExactly(slow);
            long resumed = t.resumeTask("a").toCompletableFuture().join();
            assertThat(t.activeAlerts()).isEmpty();
            t.flush(Duration.ofSeconds(5));

            List<ProgressEvent> all = sink.events();
            assertThat(sequences(all)).isSorted().doesNotHaveDuplicates();
            ProgressEvent raised = all.stream()
                    .filter(e -> e.sequence() == paused + 1)
                    .findFirst()
                    .orElseThrow();
            assertThat(raised)
                    .isInstanceOfSatisfying(
                            AlertEvent.AlertRaised.class,
                            e -> assertThat(e.alert()).isEqualTo(slow));
            ProgressEvent cleared = all.stream()
                    .filter(e -> e.sequence() == resumed + 1)
                    .findFirst()
                    .orElseThrow();
            assertThat(cleared.type()).isEqualTo(EventType.ALERT_CLEARED);
            assertThat(sink.count(EventType.ALERT_RAISED)).isEqualTo(1);
            assertThat(o.count(EventType.ALERT_RAISED))
                    .as("the observer sees alert events too")
                    .isEqualTo(1);
            assertThat(o.count(EventType.ALERT_CLEARED)).isEqualTo(1);
        }
    }

    @Test
    void evaluateAlertsAsksTheObserverForAReviewAndEmitsClearsBeforeRaises() {
        ScriptedObserver o = new ScriptedObserver();
        Alert first = new Alert("first", "r", Alert.Severity.INFO, "1", null);
        Alert second = new Alert("second", "r", Alert.Severity.CRITICAL, "2", "b");
        try (ProgressTracker t = tracker(o, TrackingMode.COMPREHENSIVE)) {
            o.onReview = run -> new AlertChanges(List.of(first), List.of());
            t.evaluateAlerts();
            t.evaluateAlerts(); // already raised: no second event
            o.onReview = run -> new AlertChanges(List.of(second), List.of("first"));
            t.evaluateAlerts();
            t.flush(Duration.ofSeconds(5));
            assertThat(sink.events())
                    .filteredOn(e -> e instanceof AlertEvent)
                    .extracting(
                            ProgressEvent::type, e -> ((AlertEvent) e).alert().alertId())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(EventType.ALERT_RAISED, "first"),
                            org.assertj.core.groups.Tuple.tuple(EventType.ALERT_CLEARED, "first"),
                            org.assertj.core.groups.Tuple.tuple(EventType.ALERT_RAISED, "second"));
            assertThat(t.activeAlerts()).containsExactly(second);
        }
    }

    @Test
    void aFailingObserverCostsTheCallerNothingAndTheRunGoesOn() {
        ScriptedObserver o = new ScriptedObserver();
        o.conflated = false;
        o.onEvent = (e, run) -> {
            if (e.type() == EventType.TASK_PROGRESS) {
                throw new IllegalStateException("observer bug");
            }
            if (e.type() == EventType.TASK_COMPLETED) { // an alert naming a task the run does not have
                return new AlertChanges(
                        List.of(new Alert("ghost", "r", Alert.Severity.INFO, "", "no-such-task")), List.of());
            }
            return AlertChanges.NONE;
        };
        o.onReview = run -> {
            throw new IllegalStateException("review bug");
        };
        try (ProgressTracker t = tracker(o, TrackingMode.COMPREHENSIVE)) {
            for (int p = 1; p <= 10; p++) {
                t.updateTaskProgress("a", p * 10);
            }
            t.completeTask("a");
            t.evaluateAlerts();
            t.completeTask("b");
            t.completeUpgrade();
            t.flush(Duration.ofSeconds(5));
            assertThat(t.activeAlerts()).isEmpty();
            assertThat(sink.count(EventType.TASK_PROGRESS)).isEqualTo(10);
            assertThat(sink.count(EventType.TASK_COMPLETED)).isEqualTo(2);
            assertThat(sink.count(EventType.UPGRADE_COMPLETED)).isEqualTo(1);
            assertThat(sequences(sink.events()))
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(
                                    1, t.summary().lastSequence())
                            .boxed()
                            .toList());
            assertThat(o.count(EventType.TASK_PROGRESS)).isEqualTo(10); // each one was offered
        }
    }

    /** A named estimator that answers a fixed ETA. */
    record NamedEstimator(String name) implements EtaEstimator {
        @Override
        public void observe(EtaSample sample) {}

        @Override
        public Optional<Eta> estimate(Instant now) {
            return Optional.of(new Eta(60, 50, 70, 0.5, name));
        }
    }

    @Test
    void theEstimatorIsTheBuildersElseTheHooksElseLinear() {
        AnalyticsHook withEstimator = new AnalyticsHook() {
            @Override
            public Optional<EtaEstimator> newEstimator() {
                return Optional.of(new NamedEstimator("from-hook"));
            }

            @Override
            public RunObserver newObserver(ProgressTracker tracker) {
                return RunObserver.NONE;
            }
        };
        try (ProgressTracker plain =
                        ProgressTracker.builder().runId("plain").clock(clock).build();
                ProgressTracker hooked = ProgressTracker.builder()
                        .runId("hooked")
                        .clock(clock)
                        .analytics(withEstimator)
                        .build();
                ProgressTracker both = ProgressTracker.builder()
                        .runId("both")
                        .clock(clock)
                        .analytics(withEstimator)
                        .etaEstimator(() -> new NamedEstimator("from-builder"))
                        .build()) {
            for (ProgressTracker t : List.of(plain, hooked, both)) {
                t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
                t.startUpgrade(null);
                t.startTask("a");
                clock.advance(Duration.ofSeconds(10));
                t.updateTaskProgress("a", 50);
            }
            assertThat(plain.eta()).get().extracting(Eta::method).isEqualTo("linear");
            assertThat(hooked.eta()).get().extracting(Eta::method).isEqualTo("from-hook");
            assertThat(both.eta()).get().extracting(Eta::method).isEqualTo("from-builder");
        }
    }

    @Test
    void aResumedRunHandsTheObserverItsRestoredTasksAndCloseReachesItOnce() {
        InMemoryProgressStore store = new InMemoryProgressStore();
        try (TrackerFactory factory =
                TrackerFactory.builder().store(store).clock(clock).build()) {
            try (ProgressTracker first = factory.tracker("resumed")) {
                first.addTasks(List.of(
                        TaskSpec.of("a", "A", TaskType.UPGRADE_STEP), TaskSpec.of("b", "B", TaskType.UPGRADE_STEP)));
                first.startUpgrade(null);
                first.startTask("a");
                first.completeTask("a");
            }
        }
        ScriptedObserver o = new ScriptedObserver();
        try (TrackerFactory factory = TrackerFactory.builder()
                .store(store)
                .clock(clock)
                .analytics(hook(o))
                .build()) {
            ProgressTracker again = factory.tracker("resumed");
            assertThat(o.restored)
                    .extracting(TaskView::taskId, TaskView::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("a", TaskStatus.COMPLETED),
                            org.assertj.core.groups.Tuple.tuple("b", TaskStatus.NOT_STARTED));
            again.startTask("b");
            assertThat(o.seen)
                    .singleElement()
                    .extracting(ProgressEvent::sequence)
                    .isEqualTo(6L); // 2 added, started, a started, a completed
            again.close();
            again.close();
            assertThat(o.closes).hasValue(1);
        }
    }

    @Test
    void aFactoryOpensOneObserverPerTracker() {
        List<ProgressTracker> asked = new CopyOnWriteArrayList<>();
        Map<String, ScriptedObserver> byRun = new java.util.concurrent.ConcurrentHashMap<>();
        AnalyticsHook hook = tracker -> {
            asked.add(tracker);
            return byRun.computeIfAbsent(tracker.runId(), id -> new ScriptedObserver());
        };
        try (TrackerFactory factory =
                        TrackerFactory.builder().clock(clock).analytics(hook).build();
                ProgressTracker one = factory.tracker("one");
                ProgressTracker two = factory.tracker("two")) {
            one.startUpgrade(null);
            two.startUpgrade(null);
            two.setCurrentPhase("p");
            assertThat(asked).containsExactly(one, two);
            assertThat(byRun.get("one").seen)
                    .extracting(ProgressEvent::runId)
                    .containsOnly("one")
                    .hasSize(1);
            assertThat(byRun.get("two").seen)
                    .extracting(ProgressEvent::runId)
                    .containsOnly("two")
                    .hasSize(2);
        }
    }
}

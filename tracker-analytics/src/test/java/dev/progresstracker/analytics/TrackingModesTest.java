package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each tracking mode emits and computes, on the same drive with a stall in it. */
class TrackingModesTest {

    private record Outcome(CollectingSink sink, ProgressTracker tracker) {
        long count(EventType t) {
            return sink.count(t);
        }

        boolean anyRunBlockHasEta() {
            return sink.events.stream().map(ProgressEvent::run).anyMatch(r -> r.eta() != null);
        }
    }

    private static Outcome drive(TrackingMode mode) {
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        CollectingSink sink = new CollectingSink();
        AnalyticsConfig analytics = AnalyticsConfig.builder()
                .stallTimeout(Duration.ofMinutes(2))
                .etaDeviationPercent(1000)
                .evaluationInterval(Duration.ZERO)
                .build();
        ProgressTracker t = ProgressTracker.builder()
                .runId("modes-" + mode)
                .clock(clock)
                .sink(sink)
                .config(TrackerConfig.builder().trackingMode(mode).build())
                .analytics(TrackerAnalytics.of(mode, analytics))
                .build();
        t.addTasks(List.of(TaskSpec.of("a", "A", TaskType.UPGRADE_STEP), TaskSpec.of("b", "B", TaskType.UPGRADE_STEP)));
        t.startUpgrade("one");
        t.startTask("a");
        for (int p = 10; p <= 100; p += 10) {
            clock.advanceSeconds(10);
            t.updateTaskProgress("a", p, null, java.util.Map.of("items", p));
        }
        t.completeTask("a");
        t.startTask("b");
        clock.advance(Duration.ofMinutes(3)); // b stalls
        t.evaluateAlerts();
        t.flush(Duration.ofSeconds(5));
        return new Outcome(sink, t);
    }

    @Test
    void minimalEmitsLifecycleOnly() {
        Outcome o = drive(TrackingMode.MINIMAL);
        assertThat(o.count(EventType.TASK_PROGRESS)).isZero();
        assertThat(o.count(EventType.TASK_COMPLETED)).isEqualTo(1);
        assertThat(o.sink.events)
                .allMatch(e -> e.type().isLifecycle()
                        || e.type() == EventType.TASK_ADDED
                        || e.type() == EventType.PHASE_CHANGED);
        assertThat(o.anyRunBlockHasEta()).isFalse();
        assertThat(o.tracker.eta()).isEmpty();
        assertThat(o.count(EventType.ALERT_RAISED)).isZero();
        assertThat(TrackerAnalytics.report(o.tracker).throughput().tasksPerMinute())
                .isZero();
        assertThat(o.tracker.task("a").percent()).isEqualTo(100); // state still tracked
        o.tracker.close();
    }

    @Test
    void basicAddsProgressButNoEta() {
        Outcome o = drive(TrackingMode.BASIC);
        assertThat(o.count(EventType.TASK_PROGRESS)).isEqualTo(10);
        assertThat(o.anyRunBlockHasEta()).isFalse();
        assertThat(o.tracker.eta()).isEmpty();
        assertThat(o.count(EventType.ALERT_RAISED)).isZero();
        assertThat(TrackerAnalytics.report(o.tracker).insights())
                .anyMatch(s -> s.contains("analytics are off in BASIC"));
        o.tracker.close();
    }

    @Test
    void enhancedAddsEtaAndThroughputButNoAlerts() {
        Outcome o = drive(TrackingMode.ENHANCED);
        assertThat(o.count(EventType.TASK_PROGRESS)).isEqualTo(10);
        assertThat(o.anyRunBlockHasEta()).isTrue();
        assertThat(o.tracker.eta())
                .hasValueSatisfying(e -> assertThat(e.method()).isEqualTo("adaptive"));
        assertThat(TrackerAnalytics.report(o.tracker).throughput().averageTasksPerMinute())
                .isPositive();
        assertThat(TrackerAnalytics.report(o.tracker).throughput().itemsTotal()).isEqualTo(100);
        assertThat(o.count(EventType.ALERT_RAISED)).isZero(); // the stall goes unreported
        assertThat(o.tracker.activeAlerts()).isEmpty();
        o.tracker.close();
    }

    @Test
    void comprehensiveAddsAlerts() {
        Outcome o = drive(TrackingMode.COMPREHENSIVE);
        assertThat(o.count(EventType.TASK_PROGRESS)).isEqualTo(10);
        assertThat(o.anyRunBlockHasEta()).isTrue();
        assertThat(o.count(EventType.ALERT_RAISED)).isEqualTo(1);
        assertThat(o.tracker.activeAlerts())
                .singleElement()
                .satisfies(a -> assertThat(a.alertId()).isEqualTo("stalled-task:b"));
        o.tracker.close();
    }

    @Test
    void eventEtaIsReusedWithinTheRefreshIntervalButEtaIsFresh() {
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        CollectingSink sink = new CollectingSink();
        ProgressTracker t = ProgressTracker.builder()
                .runId("eta-refresh")
                .clock(clock)
                .sink(sink)
                .config(TrackerConfig.builder()
                        .etaRefreshInterval(Duration.ofSeconds(1))
                        .build())
                .analytics(TrackerAnalytics.of(TrackingMode.ENHANCED))
                .build();
        t.addTasks(List.of(TaskSpec.of("a", "A", TaskType.UPGRADE_STEP), TaskSpec.of("b", "B", TaskType.UPGRADE_STEP)));
        t.startUpgrade("one");
        t.startTask("a");
        for (int p = 1; p <= 40; p++) {
            clock.advance(Duration.ofMillis(100));
            t.updateTaskProgress("a", p, null, null);
        }
        t.flush(Duration.ofSeconds(5));
        List<ProgressEvent> progress = sink.events.stream()
                .filter(e -> e.type() == EventType.TASK_PROGRESS)
                .toList();
        long distinct = progress.stream().map(e -> e.run().eta()).distinct().count();
        // 4 s of updates every 100 ms with a 1 s refresh: about 4 distinct ETAs among 40 events, not 40.
        assertThat(distinct).isBetween(3L, 6L);
        clock.advance(Duration.ofMillis(500));
        assertThat(t.eta()).isPresent();
        assertThat(t.eta().get())
                .isNotEqualTo(progress.get(progress.size() - 1).run().eta()); // fresh, not the cached one
        t.completeTask("a"); // changes the remaining work: recomputed at once
        t.flush(Duration.ofSeconds(5));
        ProgressEvent done = sink.events.get(sink.events.size() - 1);
        assertThat(done.type()).isEqualTo(EventType.TASK_COMPLETED);
        assertThat(done.run().eta()).isEqualTo(t.eta().orElseThrow());
        t.close();
    }
}

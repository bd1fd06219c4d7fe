package dev.progresstracker.eventbridge.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.EventHeader;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.SampleRuns;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RunMetricsSinkTest {

    private static final Map<String, String> PLAN = Map.of("ClusterName", "prod-eu", "PlanId", "plan-1");
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

    static Optional<Double> value(List<MetricSample> samples, TrackerMetric m, Map<String, String> dims) {
        return samples.stream()
                .filter(s -> s.metric() == m && s.dimensions().equals(dims))
                .map(MetricSample::value)
                .findFirst();
    }

    private static Map<String, String> with(Map<String, String> dims, String name, String value) {
        Map<String, String> d = new java.util.HashMap<>(dims);
        d.put(name, value);
        return d;
    }

    @Test
    void countsTasksOfASampleRunPerPlanAndPerPhase() {
        RunMetricsSink sink = new RunMetricsSink(false, null, clock);
        SampleRuns.upgrade("m-1").forEach(sink::publish);
        List<MetricSample> s = sink.samples();

        assertThat(value(s, TrackerMetric.TASKS_COMPLETED, PLAN)).contains(5.0);
        assertThat(value(s, TrackerMetric.TASKS_FAILED, PLAN)).contains(1.0);
        assertThat(value(s, TrackerMetric.TASKS_RETRIED, PLAN))
                .as("control-plane started again")
                .contains(1.0);
        assertThat(value(s, TrackerMetric.UPGRADES_COMPLETED, PLAN)).contains(1.0);
        assertThat(value(s, TrackerMetric.UPGRADES_FAILED, PLAN)).contains(0.0);
        assertThat(value(s, TrackerMetric.RUN_PERCENT, PLAN)).contains(100.0);
        assertThat(value(s, TrackerMetric.TASKS_COMPLETED, with(PLAN, "Phase", "preflight")))
                .contains(1.0);
        assertThat(value(s, TrackerMetric.TASKS_FAILED, with(PLAN, "Phase", "control-plane")))
                .contains(1.0);
        assertThat(value(s, TrackerMetric.TASKS_COMPLETED, with(PLAN, "Phase", "data-plane")))
                .contains(3.0);
        assertThat(s)
                .as("no run series without includeRunId")
                .noneMatch(x -> x.dimensions().containsKey("RunId"));
        assertThat(value(s, TrackerMetric.SECONDS_SINCE_PROGRESS, PLAN))
                .as("only while in progress")
                .isEmpty();
    }

    @Test
    void stalledTasksAndAlertsBySeverityFollowRaisedAndClearedAlerts() {
        RunMetricsSink sink = new RunMetricsSink(false, null, clock);
        List<ProgressEvent> events = SampleRuns.upgrade("m-2");
        int raised = indexOf(events, EventType.ALERT_RAISED);
        events.subList(0, raised + 1).forEach(sink::publish);
        List<MetricSample> during = sink.samples();
        assertThat(value(during, TrackerMetric.STALLED_TASKS, PLAN)).contains(1.0);
        assertThat(value(during, TrackerMetric.ALERTS_ACTIVE, with(PLAN, "Severity", "WARNING")))
                .contains(1.0);
        assertThat(value(during, TrackerMetric.ALERTS_ACTIVE, with(PLAN, "Severity", "CRITICAL")))
                .contains(0.0);

        events.subList(raised + 1, events.size()).forEach(sink::publish);
        List<MetricSample> after = sink.samples();
        assertThat(value(after, TrackerMetric.STALLED_TASKS, PLAN)).contains(0.0);
        assertThat(value(after, TrackerMetric.ALERTS_ACTIVE, with(PLAN, "Severity", "WARNING")))
                .contains(0.0);
    }

    @Test
    void secondsSinceProgressGrowsWhileNothingHappens() {
        RunMetricsSink sink = new RunMetricsSink(false, null, clock);
        List<ProgressEvent> events = SampleRuns.upgrade("m-3");
        events.subList(0, indexOf(events, EventType.TASK_STARTED) + 1).forEach(sink::publish);
        clock.advance(Duration.ofSeconds(90));
        assertThat(value(sink.samples(), TrackerMetric.SECONDS_SINCE_PROGRESS, PLAN))
                .contains(90.0);
    }

    @Test
    void etaSlipIsTheExcessOfTheProjectedDurationOverTheFirstProjection() {
        RunMetricsSink sink = new RunMetricsSink(false, null, clock);
        Instant start = Instant.parse("2026-11-23T10:00:00Z");
        sink.publish(progress(1, start, start.plusSeconds(100), 5, 900)); // before 10 %: no baseline
        assertThat(value(sink.samples(), TrackerMetric.ETA_SLIP_PERCENT, PLAN)).isEmpty();
        sink.publish(progress(2, start, start.plusSeconds(100), 10, 900)); // projection 1000 s: the baseline
        assertThat(value(sink.samples(), TrackerMetric.ETA_SLIP_PERCENT, PLAN)).contains(0.0);
        assertThat(value(sink.samples(), TrackerMetric.ETA_SECONDS, PLAN)).contains(900.0);
        sink.publish(progress(3, start, start.plusSeconds(500), 30, 1000)); // projection 1500 s
        assertThat(value(sink.samples(), TrackerMetric.ETA_SLIP_PERCENT, PLAN)).contains(50.0);
    }

    @Test
    void withRunIdEachRunHasItsOwnSeriesBesideThePlanSeries() {
        RunMetricsSink sink = new RunMetricsSink(true, null, clock);
        SampleRuns.upgrade("a").forEach(sink::publish);
        SampleRuns.upgrade("b").forEach(sink::publish);
        List<MetricSample> s = sink.samples();
        assertThat(value(s, TrackerMetric.TASKS_COMPLETED, PLAN)).contains(10.0);
        assertThat(value(s, TrackerMetric.TASKS_COMPLETED, with(PLAN, "RunId", "a")))
                .contains(5.0);
        assertThat(value(s, TrackerMetric.TASKS_COMPLETED, with(PLAN, "RunId", "b")))
                .contains(5.0);
    }

    @Test
    void keepsABoundedNumberOfSeries() {
        RunMetricsSink sink = new RunMetricsSink(true, null, clock);
        ProgressEvent first = SampleRuns.failure("x").get(0);
        for (int i = 0; i < RunMetricsSink.MAX_SERIES + 10; i++) {
            sink.publish(withRun(first, "r" + i));
        }
        assertThat(sink.samples().stream().filter(x -> x.metric() == TrackerMetric.RUN_PERCENT))
                .hasSize(RunMetricsSink.MAX_SERIES);
    }

    @Test
    void readsTheEventBridgeSinksLagAndOutboxDepthFromItsRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunMetricsSink sink = new RunMetricsSink(false, registry, clock);
        SampleRuns.upgrade("m-4").forEach(sink::publish);
        assertThat(sink.samples()).noneMatch(x -> x.metric().isProcessMetric());

        Timer lag = Timer.builder(RunMetricsSink.PUBLISH_LAG_METER)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        for (int i = 1; i <= 100; i++) {
            lag.record(i, TimeUnit.MILLISECONDS);
        }
        AtomicLong depth = new AtomicLong(7);
        Gauge.builder(RunMetricsSink.OUTBOX_DEPTH_METER, depth, AtomicLong::get).register(registry);
        List<MetricSample> s = sink.samples();
        assertThat(value(s, TrackerMetric.OUTBOX_DEPTH, Map.of("ClusterName", "prod-eu")))
                .contains(7.0);
        assertThat(value(s, TrackerMetric.PUBLISH_LAG_P99, Map.of("ClusterName", "prod-eu")))
                .get()
                .satisfies(v -> assertThat(v).isBetween(95.0, 105.0));
    }

    @Test
    void closingRunsEveryCloseAction() throws Exception {
        RunMetricsSink sink = new RunMetricsSink(false);
        AtomicLong closed = new AtomicLong();
        sink.onClose(() -> {
            throw new IllegalStateException("first fails");
        });
        sink.onClose(closed::incrementAndGet);
        org.assertj.core.api.Assertions.assertThatThrownBy(sink::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("first fails");
        assertThat(closed).hasValue(1);
    }

    private static int indexOf(List<ProgressEvent> events, EventType type) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type() == type) {
                return i;
            }
        }
        throw new AssertionError("no " + type);
    }

    private static ProgressEvent progress(long seq, Instant started, Instant at, double percent, long etaSeconds) {
        EventHeader h = new EventHeader(UUID.randomUUID(), "slip", seq, at, "prod-eu", "plan-1");
        RunView run = new RunView(
                RunStatus.IN_PROGRESS,
                "data-plane",
                percent,
                new Eta(etaSeconds, etaSeconds, etaSeconds, 0.8, "linear"),
                started,
                null);
        TaskView task = new TaskView(
                "t",
                "T",
                TaskType.UPGRADE_STEP,
                null,
                1,
                TaskStatus.IN_PROGRESS,
                percent,
                null,
                Map.of(),
                started,
                null,
                1);
        return new TaskEvent.TaskProgressed(h, run, task);
    }

    private static ProgressEvent withRun(ProgressEvent e, String runId) {
        EventHeader h = e.header();
        return new dev.progresstracker.core.event.RunEvent.UpgradeStarted(
                new EventHeader(h.eventId(), runId, h.sequence(), h.time(), h.clusterName(), h.planId()),
                e.run(),
                Map.of());
    }
}

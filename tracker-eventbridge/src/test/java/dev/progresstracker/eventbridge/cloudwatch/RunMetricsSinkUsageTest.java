package dev.progresstracker.eventbridge.cloudwatch;

import static dev.progresstracker.eventbridge.cloudwatch.RunMetricsSinkTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The usage counters count the increase of the tasks' usage totals, whatever events carried them. */
class RunMetricsSinkUsageTest {

    private static final Map<String, String> PLAN = Map.of("ClusterName", "prod-eu", "PlanId", "plan-1");
    private static final Map<String, String> EUR =
            Map.of("ClusterName", "prod-eu", "PlanId", "plan-1", "Currency", "EUR");
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

    /**
     * Task a: 3 calls (1 failed), a 1.5 s throttle, 1,000 / 200 tokens (0.8 EUR), quality 0.9 (weight 1);
     * task b (weight 3): 1 call, 2,000 / 0 tokens (1.0 EUR), quality 0.5.
     */
    private void knownRun(RunMetricsSink sink, String runId) {
        try (ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .planId("plan-1")
                .clusterName("prod-eu")
                .clock(clock)
                .config(TrackerConfig.builder()
                        .pricing(UsagePricing.builder()
                                .currency("EUR")
                                .model("m", 0.5, 1.5)
                                .build())
                        .build())
                .sink(sink)
                .build()) {
            t.addTasks(List.of(
                    TaskSpec.of("a", "A", TaskType.UPGRADE_STEP),
                    TaskSpec.of("b", "B", TaskType.VALIDATION).withWeight(3)));
            t.startUpgrade("preflight");
            t.startTask("a");
            t.recordApiCall("a", CallOutcome.SUCCEEDED, Duration.ofMillis(10));
            t.recordApiCall("a", CallOutcome.FAILED, Duration.ofMillis(10));
            t.recordRateLimit("a", Duration.ofMillis(1500));
            t.recordApiCall("a", CallOutcome.SUCCEEDED, Duration.ofMillis(10));
            t.recordUsage("a", 1000, 200, "m");
            t.setQuality("a", 0.9);
            t.completeTask("a");
            t.startTask("b");
            t.recordApiCall("b", CallOutcome.SUCCEEDED, Duration.ofMillis(10));
            t.recordUsage("b", 2000, 0, "m");
            t.setQuality("b", 0.5);
            t.completeTask("b");
            t.completeUpgrade();
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void countsTheRunsUsageOncePerPlanAndPerRun() {
        RunMetricsSink sink = new RunMetricsSink(true, null, clock);
        knownRun(sink, "u-1");
        List<MetricSample> s = sink.samples();
        Map<String, String> run = Map.of("ClusterName", "prod-eu", "PlanId", "plan-1", "RunId", "u-1");
        for (Map<String, String> dims : List.of(PLAN, run)) {
            assertThat(value(s, TrackerMetric.API_CALLS, dims)).contains(4.0);
            assertThat(value(s, TrackerMetric.API_CALLS_FAILED, dims)).contains(1.0);
            assertThat(value(s, TrackerMetric.RATE_LIMIT_HITS, dims)).contains(1.0);
            assertThat(value(s, TrackerMetric.RATE_LIMIT_DELAY, dims)).contains(1.5);
            assertThat(value(s, TrackerMetric.TOKENS_IN, dims)).contains(3000.0);
            assertThat(value(s, TrackerMetric.TOKENS_OUT, dims)).contains(200.0);
            assertThat(value(s, TrackerMetric.QUALITY_SCORE, dims).orElseThrow())
                    .as("(0.9 + 3 × 0.5) / 4")
                    .isCloseTo(0.6, offset(1e-9));
        }
        assertThat(value(s, TrackerMetric.ESTIMATED_COST, PLAN))
                .as("only with its currency")
                .isEmpty();
        assertThat(value(s, TrackerMetric.ESTIMATED_COST, EUR).orElseThrow()).isCloseTo(1.8, offset(1e-9));
    }

    @Test
    void aSecondRunAddsToTheCountersAndReplacesTheQuality() {
        RunMetricsSink sink = new RunMetricsSink(false, null, clock);
        knownRun(sink, "u-1");
        knownRun(sink, "u-2");
        List<MetricSample> s = sink.samples();
        assertThat(value(s, TrackerMetric.API_CALLS, PLAN)).contains(8.0);
        assertThat(value(s, TrackerMetric.TOKENS_IN, PLAN)).contains(6000.0);
        assertThat(value(s, TrackerMetric.ESTIMATED_COST, EUR).orElseThrow()).isCloseTo(3.6, offset(1e-9));
        assertThat(value(s, TrackerMetric.QUALITY_SCORE, PLAN).orElseThrow()).isCloseTo(0.6, offset(1e-9));
    }

    @Test
    void aRunWithoutUsagePublishesZeroCountsAndNoCostOrQuality() {
        RunMetricsSink sink = new RunMetricsSink(false, null, clock);
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("plain")
                .planId("plan-1")
                .clusterName("prod-eu")
                .clock(clock)
                .sink(sink)
                .build()) {
            t.addTasks(List.of(TaskSpec.of("a", "A", TaskType.UPGRADE_STEP)));
            t.startUpgrade("preflight");
            t.startTask("a");
            t.completeTask("a");
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
        }
        List<MetricSample> s = sink.samples();
        assertThat(value(s, TrackerMetric.API_CALLS, PLAN)).contains(0.0);
        assertThat(s)
                .noneMatch(
                        x -> x.metric() == TrackerMetric.ESTIMATED_COST || x.metric() == TrackerMetric.QUALITY_SCORE);
    }
}

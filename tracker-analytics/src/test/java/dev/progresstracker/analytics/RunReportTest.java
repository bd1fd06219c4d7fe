package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

    /** 12 steps of 30 s, then validations of 100 s; step 3 fails once; 10 items per step. */
    private ProgressTracker drive() {
        ProgressTracker t = ProgressTracker.builder()
                .runId("report")
                .clock(clock)
                .config(TrackerConfig.builder()
                        .trackingMode(TrackingMode.COMPREHENSIVE)
                        .build())
                .analytics(TrackerAnalytics.of(
                        TrackingMode.COMPREHENSIVE,
                        AnalyticsConfig.builder()
                                .evaluationInterval(Duration.ZERO)
                                .etaDeviationPercent(1000)
                                .build()))
                .build();
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            specs.add(TaskSpec.of("s" + i, "Step " + i, TaskType.UPGRADE_STEP));
        }
        for (int i = 0; i < 4; i++) {
            specs.add(TaskSpec.of("v" + i, "Validate " + i, TaskType.VALIDATION));
        }
        t.addTasks(specs);
        t.startUpgrade("steps");
        for (int i = 0; i < 12; i++) {
            t.startTask("s" + i);
            if (i == 3) {
                t.failTask("s3", "throttled");
                t.startTask("s3");
            }
            clock.advanceSeconds(15);
            t.updateTaskProgress("s" + i, 50, "half", Map.of("items", 5));
            clock.advanceSeconds(15);
            t.updateTaskProgress("s" + i, 100, "done", Map.of("items", 10));
            t.completeTask("s" + i);
        }
        for (int i = 0; i < 3; i++) {
            t.startTask("v" + i);
            clock.advanceSeconds(100);
            t.completeTask("v" + i);
        }
        return t;
    }

    @Test
    void figures() {
        try (ProgressTracker t = drive()) {
            RunReport r = TrackerAnalytics.report(t);
            assertThat(r.runId()).isEqualTo("report");
            assertThat(r.elapsed()).isEqualTo(Duration.ofSeconds(660));
            assertThat(r.tasksByStatus()).containsEntry("COMPLETED", 15).containsEntry("NOT_STARTED", 1);
            assertThat(r.retries()).isEqualTo(1);
            assertThat(r.errorRate()).isCloseTo(1 / 16.0, within(1e-9));
            assertThat(r.successRate()).isEqualTo(1.0);
            assertThat(r.throughput().itemsTotal()).isEqualTo(120);
            assertThat(r.throughput().averageTasksPerMinute()).isCloseTo(15 / 11.0, within(1e-9));
            assertThat(r.throughput().peakTasksPerMinute()).isEqualTo(2.0);
            assertThat(r.throughput().history()).hasSize(11);
            assertThat(r.byType().get("UPGRADE_STEP").meanSeconds()).isCloseTo(30, within(1e-9));
            assertThat(r.byType().get("VALIDATION")).isEqualTo(new RunReport.TypeStats(3, 100, 100, 100));
            assertThat(r.trend().direction()).isEqualTo(RunReport.Trend.Direction.DEGRADING);
            assertThat(r.eta()).isNotNull();
            assertThat(r.insights())
                    .anyMatch(s -> s.equals("validation tasks take 3.3× the median task (1m 40s vs 30s)"));
            assertThat(r.insights()).anyMatch(s -> s.startsWith("throughput is degrading"));
            assertThat(r.insights()).anyMatch(s -> s.equals("1 of 16 finished attempts failed (6 %), 1 retried"));
        }
    }

    @Test
    void jsonAndText() throws Exception {
        try (ProgressTracker t = drive()) {
            RunReport r = TrackerAnalytics.report(t);
            JsonNode n = WireFormat.reader().readTree(r.toJson());
            assertThat(n.get("runId").asText()).isEqualTo("report");
            assertThat(n.get("elapsedSeconds").asDouble()).isEqualTo(660);
            assertThat(n.get("throughput").get("itemsTotal").asDouble()).isEqualTo(120);
            assertThat(n.get("byType").get("VALIDATION").get("medianSeconds").asDouble())
                    .isEqualTo(100);
            assertThat(n.get("trend").get("direction").asText()).isEqualTo("DEGRADING");
            assertThat(n.get("eta").get("method").asText()).isEqualTo("adaptive");
            assertThat(n.get("insights").size()).isEqualTo(r.insights().size());
            assertThat(r.toText())
                    .contains("Run report: IN_PROGRESS")
                    .contains("Throughput:")
                    .contains("VALIDATION: 3 done")
                    .contains("- validation tasks take 3.3×");
        }
    }

    @Test
    void trendNeedsThreeBuckets() {
        assertThat(Insights.trend(List.of(), 5).direction()).isEqualTo(RunReport.Trend.Direction.UNKNOWN);
        List<RunReport.ThroughputPoint> flat = new ArrayList<>();
        List<RunReport.ThroughputPoint> up = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            flat.add(new RunReport.ThroughputPoint(clock.instant(), 4, 0));
            up.add(new RunReport.ThroughputPoint(clock.instant(), 2 + i, 0));
        }
        assertThat(Insights.trend(flat, 5).direction()).isEqualTo(RunReport.Trend.Direction.STABLE);
        assertThat(Insights.trend(flat, 5).confidence()).isEqualTo(1.0);
        RunReport.Trend trend = Insights.trend(up, 5);
        assertThat(trend.direction()).isEqualTo(RunReport.Trend.Direction.IMPROVING);
        assertThat(trend.changePercent()).isCloseTo(100, within(1e-9));
        assertThat(trend.confidence()).isEqualTo(1.0);
    }

    @Test
    void analyticsConfigValidatesAndReadsTheEnvironment() {
        assertThatThrownBy(() -> AnalyticsConfig.builder().slowTaskFactor(1).build())
                .hasMessageContaining("slowTaskFactor");
        assertThatThrownBy(() -> AnalyticsConfig.builder().maxErrorRate(0).build())
                .hasMessageContaining("maxErrorRate");
        assertThatThrownBy(() ->
                        AnalyticsConfig.builder().stallTimeout(Duration.ZERO).build())
                .hasMessageContaining("stallTimeout");
        assertThatThrownBy(() -> AnalyticsConfig.builder()
                        .evaluationInterval(Duration.ofMillis(1))
                        .build())
                .hasMessageContaining("evaluationInterval");
        assertThatThrownBy(() -> AnalyticsConfig.builder().minTasksPerMinute(-1).build())
                .hasMessageContaining("minTasksPerMinute");
        assertThatThrownBy(() -> AnalyticsConfig.builder().historySize(2).build())
                .hasMessageContaining("historySize");
        assertThatThrownBy(() -> AnalyticsConfig.builder().itemsDetailKey(" ").build())
                .hasMessageContaining("itemsDetailKey");
        assertThatThrownBy(() -> AnalyticsConfig.builder()
                        .slowTaskMinDuration(Duration.ofSeconds(-1))
                        .build())
                .hasMessageContaining("slowTaskMinDuration");
        AnalyticsConfig c = AnalyticsConfig.fromEnvironment(Map.of(
                "TRACKER_ALERT_STALL_TIMEOUT",
                "PT30S",
                "TRACKER_ALERT_MAX_ERROR_RATE",
                "0.5",
                "TRACKER_ANALYTICS_ITEMS_KEY",
                "drained",
                "TRACKER_ALERT_SLOW_TASK_MIN_DURATION",
                "PT1M"));
        assertThat(c.slowTaskMinDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.stallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxErrorRate()).isEqualTo(0.5);
        assertThat(c.itemsDetailKey()).isEqualTo("drained");
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThatThrownBy(() -> AnalyticsConfig.fromEnvironment(Map.of("TRACKER_ALERT_MAX_ERROR_RATE", "lots")))
                .hasMessageContaining("TRACKER_ALERT_MAX_ERROR_RATE");
    }
}

package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.UsagePricing;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The usage and resource alert rules on a real COMPREHENSIVE tracker with an injected clock. */
class UsageAlertsTest extends ComprehensiveAlertsFixture {

    private final AtomicReference<ResourceProbe> probe = new AtomicReference<>(ResourceProbe.none());

    private ProgressTracker tracker(AnalyticsConfig.Builder analytics, int tasks) {
        ResourceProbe live = new ResourceProbe() {
            @Override
            public double heapAfterGc() {
                return probe.get().heapAfterGc();
            }

            @Override
            public double processCpu() {
                return probe.get().processCpu();
            }
        };
        return start(
                ProgressTracker.builder().runId("usage-alerts").clock(clock),
                TrackerConfig.builder()
                        .pricing(UsagePricing.builder()
                                .currency("EUR")
                                .model("m", 1.0, 2.0)
                                .build()),
                analytics,
                a -> a.withResourceProbe(live),
                tasks);
    }

    private Map<String, Alert> active() {
        Map<String, Alert> out = new java.util.LinkedHashMap<>();
        t.activeAlerts().forEach(a -> out.put(a.alertId(), a));
        return out;
    }

    @Test
    void rateLimitingOverTheThresholdRecommendsSmallerBatchesOrAPauseAndClearsWhenTheWindowCalms() {
        tracker(
                AnalyticsConfig.builder()
                        .maxRateLimitsPerMinute(5)
                        .throughputBucket(Duration.ofMinutes(1))
                        .throughputWindow(2),
                1);
        t.startTask("t0");
        for (int i = 0; i < 9; i++) {
            t.recordRateLimit("t0", Duration.ofSeconds(4));
        }
        t.evaluateAlerts();
        assertThat(active())
                .as("judged only once the run has lasted one bucket")
                .doesNotContainKey(AlertRules.RATE_LIMITING);
        clock.advanceSeconds(60);
        for (int i = 0; i < 3; i++) {
            t.recordRateLimit("t0", Duration.ofSeconds(4));
        }
        t.evaluateAlerts();
        assertThat(active().get(AlertRules.RATE_LIMITING)).isNotNull().satisfies(a -> {
            assertThat(a.message())
                    .as("raised by the first hit of the second minute")
                    .contains("10.0 rate-limit hits/min, above 5.0")
                    .contains("smaller batches")
                    .contains("BatchSizeAdvisor")
                    .contains("pause at least 4s");
            assertThat(a.severity()).isEqualTo(Alert.Severity.WARNING);
        });
        clock.advanceSeconds(180); // the window (2 buckets) no longer holds the hits
        t.evaluateAlerts();
        assertThat(active()).doesNotContainKey(AlertRules.RATE_LIMITING);
    }

    @Test
    void zeroTurnsTheRateLimitRuleOff() {
        tracker(AnalyticsConfig.builder().maxRateLimitsPerMinute(0), 1);
        t.startTask("t0");
        clock.advanceSeconds(60);
        for (int i = 0; i < 100; i++) {
            t.recordRateLimit("t0", Duration.ofMillis(10));
        }
        t.evaluateAlerts();
        assertThat(active()).doesNotContainKey(AlertRules.RATE_LIMITING);
    }

    @Test
    void costOverTheBudgetIsCriticalAndNamesTheCurrency() {
        tracker(AnalyticsConfig.builder().costBudget(5), 2);
        t.startTask("t0");
        t.recordUsage("t0", 1000, 1000, "m"); // 1 + 2 = 3 EUR
        t.evaluateAlerts();
        assertThat(active()).doesNotContainKey(AlertRules.COST_OVER_BUDGET);
        t.startTask("t1");
        t.recordUsage("t1", 1000, 1000, "m"); // 6 EUR
        t.flush(Duration.ofSeconds(5));
        assertThat(active().get(AlertRules.COST_OVER_BUDGET))
                .as("raised by the usage event itself")
                .isNotNull()
                .satisfies(a -> {
                    assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL);
                    assertThat(a.message()).isEqualTo("estimated cost 6.00 EUR is over the budget 5.00 EUR");
                });
    }

    @Test
    void qualityBelowTheMinimumOverTheRecentWindow() {
        tracker(AnalyticsConfig.builder().minQuality(0.68).qualityWindow(3).qualityDrop(0), 4);
        t.setQuality("t0", 0.9);
        t.setQuality("t1", 0.6);
        t.evaluateAlerts();
        assertThat(active()).as("fewer scores than the window").doesNotContainKey(AlertRules.QUALITY_DEGRADATION);
        t.setQuality("t2", 0.5);
        t.evaluateAlerts();
        assertThat(active().get(AlertRules.QUALITY_DEGRADATION))
                .isNotNull()
                .satisfies(
                        a -> assertThat(a.message()).isEqualTo("the last 3 quality scores average 0.67, below 0.68"));
        t.setQuality("t3", 1.0); // recent: 0.6, 0.5, 1.0 → 0.70, run mean 0.75, both above 0.68
        t.evaluateAlerts();
        assertThat(active()).doesNotContainKey(AlertRules.QUALITY_DEGRADATION);
    }

    @Test
    void fallingQualityIsAnAlertEvenAboveTheMinimum() {
        tracker(AnalyticsConfig.builder().minQuality(0.5).qualityWindow(2).qualityDrop(0.15), 4);
        t.setQuality("t0", 1.0);
        t.setQuality("t1", 1.0);
        t.setQuality("t2", 0.8);
        t.setQuality("t3", 0.8);
        t.evaluateAlerts();
        assertThat(active().get(AlertRules.QUALITY_DEGRADATION))
                .isNotNull()
                .satisfies(a ->
                        assertThat(a.message()).isEqualTo("quality fell from 1.00 to 0.80 over the last 2 scores"));
    }

    @Test
    void resourcePressureFromTheProbeOnRunLevelEvaluationsOnly() {
        tracker(AnalyticsConfig.builder().maxHeapAfterGc(0.8).maxProcessCpu(0.9), 1);
        t.startTask("t0");
        probe.set(ResourceProbe.of(0.85, 0.1));
        t.updateTaskProgress("t0", 10);
        t.flush(Duration.ofSeconds(5));
        assertThat(active()).as("not asked per task event").doesNotContainKey(AlertRules.RESOURCE_PRESSURE);
        t.evaluateAlerts();
        assertThat(active().get(AlertRules.RESOURCE_PRESSURE))
                .isNotNull()
                .satisfies(a -> assertThat(a.message())
                        .isEqualTo("the agent's heap after GC at 85 % of the maximum (threshold 80 %)"));
        t.updateTaskProgress("t0", 20);
        t.flush(Duration.ofSeconds(5));
        assertThat(active()).as("kept through task events").containsKey(AlertRules.RESOURCE_PRESSURE);
        probe.set(ResourceProbe.of(0.5, 0.95));
        t.evaluateAlerts();
        assertThat(active()).as("kept as raised, the cause lives on").containsKey(AlertRules.RESOURCE_PRESSURE);
        probe.set(ResourceProbe.of(0.5, 0.2));
        t.evaluateAlerts();
        assertThat(active()).doesNotContainKey(AlertRules.RESOURCE_PRESSURE);
        probe.set(ResourceProbe.of(0.1, 0.95));
        t.evaluateAlerts();
        assertThat(active().get(AlertRules.RESOURCE_PRESSURE).message())
                .isEqualTo("the agent's process CPU at 95 % (threshold 90 %)");
    }

    @Test
    void theJvmProbeReadsThisJvm() {
        ResourceProbe jvm = ResourceProbe.jvm();
        double heap = jvm.heapAfterGc();
        assertThat(Double.isNaN(heap) || heap >= 0 && heap <= 1)
                .as("heap %s", heap)
                .isTrue();
        double cpu = jvm.processCpu();
        assertThat(Double.isNaN(cpu) || cpu >= 0 && cpu <= 1).as("cpu %s", cpu).isTrue();
        assertThat(ResourceProbe.Jvm.longLived("G1 Old Gen")).isTrue();
        assertThat(ResourceProbe.Jvm.longLived("G1 Eden Space")).isFalse();
    }

    @Test
    void thresholdsComeFromTheEnvironmentAndBadOnesAreNamed() {
        AnalyticsConfig c = AnalyticsConfig.fromEnvironment(Map.of(
                "TRACKER_ALERT_COST_BUDGET",
                "12.5",
                "TRACKER_ALERT_MAX_RATE_LIMITS_PER_MINUTE",
                "3",
                "TRACKER_ALERT_MIN_QUALITY",
                "0.6",
                "TRACKER_ALERT_MAX_HEAP_AFTER_GC",
                "0.75"));
        assertThat(c.costBudget()).isEqualTo(12.5);
        assertThat(c.maxRateLimitsPerMinute()).isEqualTo(3);
        assertThat(c.minQuality()).isEqualTo(0.6);
        assertThat(c.maxHeapAfterGc()).isEqualTo(0.75);
        assertThatThrownBy(() -> AnalyticsConfig.builder().minQuality(1.5)).hasMessageContaining("minQuality");
        assertThatThrownBy(() -> AnalyticsConfig.builder().costBudget(-1)).hasMessageContaining("costBudget");
    }

    @Test
    void apiCallsAloneRaiseNothing() {
        tracker(AnalyticsConfig.builder(), 1);
        t.startTask("t0");
        t.recordApiCall("t0", CallOutcome.FAILED, Duration.ofMillis(5));
        t.evaluateAlerts();
        assertThat(active()).isEmpty();
    }
}

package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.EventType;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Alert rules on a real COMPREHENSIVE tracker with an injected clock (timer off; evaluateAlerts() by hand). */
class AlertRulesTest extends ComprehensiveAlertsFixture {

    private final CollectingSink sink = new CollectingSink();

    private ProgressTracker tracker(AnalyticsConfig.Builder analytics, int tasks) {
        return start(
                ProgressTracker.builder().runId("alerts").clock(clock).sink(sink),
                TrackerConfig.builder(),
                analytics,
                UnaryOperator.identity(),
                tasks);
    }

    private List<Alert> raised() {
        t.flush(Duration.ofSeconds(5));
        return sink.events.stream()
                .filter(e -> e.type() == EventType.ALERT_RAISED)
                .map(e -> ((AlertEvent) e).alert())
                .toList();
    }

    private long cleared() {
        t.flush(Duration.ofSeconds(5));
        return sink.count(EventType.ALERT_CLEARED);
    }

    @Test
    void stalledTaskIsRaisedOnceAfterTheTimeoutAndClearedByProgress() {
        tracker(AnalyticsConfig.builder().stallTimeout(Duration.ofSeconds(60)), 1);
        t.startTask("t0");
        clock.advanceSeconds(59);
        t.evaluateAlerts();
        assertThat(raised()).isEmpty();
        clock.advanceSeconds(1);
        t.evaluateAlerts();
        t.evaluateAlerts(); // de-duplicated
        clock.advanceSeconds(30);
        t.evaluateAlerts();
        assertThat(raised()).singleElement().satisfies(a -> {
            assertThat(a.alertId()).isEqualTo("stalled-task:t0");
            assertThat(a.taskId()).isEqualTo("t0");
            assertThat(a.message()).contains("no progress for 1m 0s");
        });
        t.updateTaskProgress("t0", 10);
        assertThat(cleared()).isEqualTo(1);
        assertThat(t.activeAlerts()).isEmpty();
    }

    @Test
    void pausedTaskIsNotStalled() {
        tracker(AnalyticsConfig.builder().stallTimeout(Duration.ofSeconds(60)), 1);
        t.startTask("t0");
        t.pauseTask("t0", "PDB");
        clock.advance(Duration.ofMinutes(10));
        t.evaluateAlerts();
        assertThat(raised()).isEmpty();
    }

    @Test
    void slowProcessingNeedsEnoughSamplesAndFiresAboveTheFactor() {
        tracker(
                AnalyticsConfig.builder()
                        .slowTaskFactor(3)
                        .minSamplesPerType(3)
                        .stallTimeout(Duration.ofHours(1))
                        .etaDeviationPercent(1000),
                5);
        for (int i = 0; i < 3; i++) {
            t.startTask("t" + i);
            clock.advanceSeconds(10);
            t.completeTask("t" + i);
        }
        t.startTask("t3");
        clock.advanceSeconds(30); // exactly 3× the 10 s median: not over it
        t.evaluateAlerts();
        assertThat(raised()).isEmpty();
        clock.advanceSeconds(1);
        t.evaluateAlerts();
        assertThat(raised()).singleElement().satisfies(a -> {
            assertThat(a.alertId()).isEqualTo("slow-processing:t3");
            assertThat(a.message()).contains("3.1× the median UPGRADE_STEP task");
        });
        t.completeTask("t3");
        assertThat(cleared()).isEqualTo(1);
    }

    @Test
    void aTaskOfAFastTypeIsNotSlowBeforeTheMinimumDuration() {
        tracker(
                AnalyticsConfig.builder()
                        .slowTaskFactor(3)
                        .minSamplesPerType(3)
                        .stallTimeout(Duration.ofHours(1))
                        .etaDeviationPercent(1_000_000),
                5); // slowTaskMinDuration: the default 10 s
        for (int i = 0; i < 3; i++) {
            t.startTask("t" + i);
            clock.advanceSeconds(0.2);
            t.completeTask("t" + i);
        }
        t.startTask("t3");
        clock.advanceSeconds(9.9); // 50x the 0.2 s median, but under 10 s
        t.evaluateAlerts();
        assertThat(raised()).isEmpty();
        clock.advanceSeconds(0.2);
        t.evaluateAlerts();
        assertThat(raised())
                .singleElement()
                .satisfies(a -> assertThat(a.alertId()).isEqualTo("slow-processing:t3"));
    }

    @Test
    void highErrorRateIsRaisedAboveTheThresholdAndClearedWithHysteresis() {
        tracker(AnalyticsConfig.builder().maxErrorRate(0.25).minAttempts(4), 8);
        for (int i = 0; i < 3; i++) {
            t.startTask("t" + i);
            t.completeTask("t" + i);
        }
        t.startTask("t3");
        t.failTask("t3", "boom"); // 1 of 4 = 25 %: not above
        assertThat(raised()).isEmpty();
        t.startTask("t3");
        t.failTask("t3", "boom again"); // 2 of 5 = 40 %
        assertThat(raised()).singleElement().satisfies(a -> {
            assertThat(a.alertId()).isEqualTo("high-error-rate");
            assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL);
        });
        t.startTask("t4");
        t.completeTask("t4"); // 2 of 6 = 33 %: still above 80 % of the threshold (20 %)
        t.startTask("t5");
        t.completeTask("t5"); // 2 of 7 = 28.6 %
        t.startTask("t6");
        t.completeTask("t6"); // 2 of 8 = 25 %
        assertThat(cleared()).isZero();
        t.startTask("t7");
        t.completeTask("t7"); // 2 of 9 = 22 %
        t.startTask("t3");
        t.completeTask("t3"); // 2 of 10 = 20 %: at 80 % of the threshold → cleared
        assertThat(cleared()).isEqualTo(1);
        assertThat(raised()).hasSize(1);
    }

    @Test
    void lowThroughputIsJudgedAfterAFullWindow() {
        tracker(
                AnalyticsConfig.builder()
                        .minTasksPerMinute(1)
                        .throughputWindow(2)
                        .stallTimeout(Duration.ofHours(1)),
                10);
        t.startTask("t0");
        clock.advanceSeconds(90);
        t.evaluateAlerts();
        assertThat(raised()).isEmpty(); // less than the 2-minute window so far
        clock.advanceSeconds(60);
        t.evaluateAlerts();
        assertThat(raised()).extracting(Alert::alertId).containsExactly("low-throughput");
        for (int i = 1; i <= 3; i++) {
            t.completeTask("t" + (i - 1));
            t.startTask("t" + i);
        }
        assertThat(cleared()).isEqualTo(1);
    }

    @Test
    void etaDeviationFiresWhenTheProjectionGrowsAndClearsWhenTheRunFinishes() {
        tracker(AnalyticsConfig.builder().etaDeviationPercent(50).stallTimeout(Duration.ofHours(1)), 10);
        for (int i = 0; i < 3; i++) {
            t.startTask("t" + i);
            clock.advanceSeconds(10);
            t.completeTask("t" + i);
        }
        assertThat(raised()).isEmpty();
        for (int i = 3; i < 6; i++) { // ten times slower
            t.startTask("t" + i);
            clock.advanceSeconds(100);
            t.completeTask("t" + i);
        }
        assertThat(raised()).extracting(Alert::alertId).contains("eta-deviation");
        for (int i = 6; i < 10; i++) {
            t.startTask("t" + i);
            t.completeTask("t" + i);
        }
        t.completeUpgrade();
        assertThat(cleared()).isEqualTo(raised().size());
        assertThat(t.activeAlerts()).isEmpty();
    }

    @Test
    void callerAlertsAreLeftAlone() {
        tracker(AnalyticsConfig.builder(), 1);
        t.raiseAlert(new Alert("mine", "custom", Alert.Severity.INFO, "by hand", null));
        t.startTask("t0");
        t.evaluateAlerts();
        assertThat(t.activeAlerts()).extracting(Alert::alertId).containsExactly("mine");
    }

    @Test
    void timerEvaluatesWithoutEvents() throws Exception {
        t = ProgressTracker.builder()
                .runId("timer")
                .clock(clock)
                .sink(sink)
                .config(TrackerConfig.builder()
                        .trackingMode(TrackingMode.COMPREHENSIVE)
                        .build())
                .analytics(TrackerAnalytics.of(
                        TrackingMode.COMPREHENSIVE,
                        AnalyticsConfig.builder()
                                .stallTimeout(Duration.ofSeconds(30))
                                .evaluationInterval(Duration.ofMillis(20))
                                .build()))
                .build();
        t.addTask("t0", "T", TaskType.UPGRADE_STEP, null);
        t.startUpgrade(null);
        t.startTask("t0");
        clock.advanceSeconds(31); // no event after this: only the timer can notice
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(t.activeAlerts()).extracting(Alert::alertId).containsExactly("stalled-task:t0"));
    }
}

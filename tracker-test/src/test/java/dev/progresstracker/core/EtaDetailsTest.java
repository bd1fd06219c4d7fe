package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.RecordingSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ETA's completion time and factors, on the default linear estimator and a controlled clock. */
class EtaDetailsTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final Instant t0 = clock.instant();
    private final RecordingSink sink = new RecordingSink("rec", OverflowPolicy.BLOCK, 10_000);
    private ProgressTracker tracker;

    private void open(TrackingMode mode, TaskSpec... specs) {
        tracker = ProgressTracker.builder()
                .runId("run-e")
                .clock(clock)
                .sink(sink)
                .config(TrackerConfig.builder().trackingMode(mode).build())
                .build();
        tracker.addTasks(List.of(specs));
        tracker.startUpgrade("p");
        tracker.startTask(specs[0].taskId());
    }

    @AfterEach
    void tearDown() {
        tracker.close();
    }

    @Test
    void theEtaCarriesItsCompletionTimeThroughputsAndRateLimitImpact() {
        open(
                TrackingMode.ENHANCED,
                new TaskSpec("a", "A", TaskType.UPGRADE_STEP, null, 1),
                new TaskSpec("b", "B", TaskType.UPGRADE_STEP, null, 1));
        clock.advanceSeconds(60);
        tracker.updateTaskProgress("a", 50); // run 25 % after 60 s: linear says 180 s to go
        tracker.recordRateLimit("a", Duration.ofSeconds(6));

        Eta eta = tracker.eta().orElseThrow();
        assertThat(eta.seconds()).isEqualTo(180);
        assertThat(eta.estimatedCompletion()).isEqualTo(t0.plusSeconds(240));
        EtaFactors f = eta.factors();
        assertThat(f.averageThroughput()).isCloseTo(25.0, within(1e-9));
        assertThat(f.currentThroughput()).as("no earlier ETA: the average").isCloseTo(25.0, within(1e-9));
        assertThat(f.rateLimitImpact()).isCloseTo(0.1, within(1e-9));
        assertThat(f.complexityFactor()).isCloseTo(1.0, within(1e-9));
        assertThat(f.historicalAccuracy()).isNull();

        clock.advanceSeconds(60);
        tracker.updateTaskProgress("a", 70); // run 35 %: 10 points in the last minute
        EtaFactors later = tracker.eta().orElseThrow().factors();
        assertThat(later.currentThroughput()).isCloseTo(10.0, within(1e-9));
        assertThat(later.averageThroughput()).isCloseTo(17.5, within(1e-9));
        assertThat(later.rateLimitImpact()).isCloseTo(0.05, within(1e-9));
    }

    @Test
    void historicalAccuracyComparesTheProgressAnEtaPredictedAWindowAgoWithTheProgressMade() {
        open(TrackingMode.ENHANCED, new TaskSpec("a", "A", TaskType.UPGRADE_STEP, null, 1));
        clock.advanceSeconds(60);
        tracker.updateTaskProgress("a", 10);
        assertThat(tracker.eta().orElseThrow().seconds()).isEqualTo(540);
        clock.advanceSeconds(EtaFactors.WINDOW_SECONDS);
        tracker.updateTaskProgress("a", 40); // predicted +50 points in 300 s (90 × 300/540), made +30
        assertThat(tracker.eta().orElseThrow().factors().historicalAccuracy()).isCloseTo(0.6, within(1e-9));
    }

    @Test
    void theComplexityFactorComparesTheWeightOfUnfinishedTasksWithTheAverage() {
        open(
                TrackingMode.ENHANCED,
                new TaskSpec("a", "A", TaskType.UPGRADE_STEP, null, 1),
                new TaskSpec("b", "B", TaskType.UPGRADE_STEP, null, 1),
                new TaskSpec("c", "C", TaskType.UPGRADE_STEP, null, 4));
        tracker.skipTask("c", "light run");
        clock.advanceSeconds(10);
        tracker.updateTaskProgress("a", 10);
        assertThat(tracker.eta().orElseThrow().factors().complexityFactor())
                .as("(2/2) / (6/3)")
                .isCloseTo(0.5, within(1e-9));
    }

    @Test
    void eventsCarryTheDetailsOnTheWireAndModesWithoutAnEtaHaveNone() {
        open(TrackingMode.ENHANCED, new TaskSpec("a", "A", TaskType.UPGRADE_STEP, null, 1));
        clock.advanceSeconds(30);
        tracker.updateTaskProgress("a", 50);
        tracker.completeTask("a");
        assertThat(tracker.flush(Duration.ofSeconds(10))).isTrue();
        List<ProgressEvent> events = sink.events();
        ProgressEvent withEta = events.stream()
                .filter(e -> e.run().eta() != null)
                .reduce((x, y) -> y)
                .orElseThrow();
        Eta eta = withEta.run().eta();
        assertThat(eta.estimatedCompletion()).isNotNull();
        assertThat(eta.factors()).isNotNull();
        String json = WireFormat.toJson(withEta);
        assertThat(json).contains("\"estimatedCompletion\":").contains("\"factors\":{\"currentThroughput\":");
        assertThat(WireFormat.fromJson(json).run().eta()).isEqualTo(eta);
        tracker.close();

        open(TrackingMode.BASIC, new TaskSpec("a", "A", TaskType.UPGRADE_STEP, null, 1));
        clock.advanceSeconds(30);
        tracker.updateTaskProgress("a", 50);
        assertThat(tracker.eta()).isEmpty();
    }
}

package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.EtaSample;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * ENHANCED mode observes {@code task.progress} lazily: the latest per task, in sequence order, before
 * the next non-progress event or read. COMPREHENSIVE (per-event alert rules) observes every update.
 */
class DeferredProgressAnalyticsTest {

    /** Records what it is told; the ETA is a constant so the tracker has something to write. */
    static final class RecordingEstimator implements EtaEstimator {
        final List<String> calls = new ArrayList<>();
        final List<EtaSample> samples = new ArrayList<>();
        RuntimeException failOnTaskPercent;
        double failPercent = -1;

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void observe(EtaSample s) {
            if (s.task() != null && s.task().percent() == failPercent) {
                throw failOnTaskPercent;
            }
            samples.add(s);
            calls.add(s.type().wireName()
                    + (s.task() == null
                            ? ""
                            : " " + s.task().taskId() + "@" + s.task().percent()));
        }

        @Override
        public Optional<Eta> estimate(Instant now) {
            calls.add("estimate");
            return Optional.of(new Eta(60, 50, 70, 0.5, name()));
        }
    }

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final CollectingSink sink = new CollectingSink();
    private final RecordingEstimator estimator = new RecordingEstimator();

    private ProgressTracker tracker(TrackingMode mode) {
        ProgressTracker t = ProgressTracker.builder()
                .runId("deferred-" + mode)
                .clock(clock)
                .sink(sink)
                .config(TrackerConfig.builder()
                        .trackingMode(mode)
                        .etaRefreshInterval(Duration.ofSeconds(1))
                        .build())
                .analytics(TrackerAnalytics.of(
                        mode,
                        AnalyticsConfig.builder()
                                .evaluationInterval(Duration.ZERO)
                                .build()))
                .etaEstimator(() -> estimator)
                .build();
        t.addTasks(List.of(TaskSpec.of("a", "A", TaskType.UPGRADE_STEP), TaskSpec.of("b", "B", TaskType.UPGRADE_STEP)));
        t.startUpgrade("one");
        t.startTask("a");
        t.startTask("b");
        estimator.calls.clear();
        estimator.samples.clear();
        return t;
    }

    private List<String> progressCalls() {
        return estimator.calls.stream()
                .filter(c -> c.startsWith("task.progress"))
                .toList();
    }

    @Test
    void enhancedObservesTheLatestProgressPerTaskInSequenceOrderBeforeTheNextLifecycleEvent() {
        ProgressTracker t = tracker(TrackingMode.ENHANCED);
        clock.advance(Duration.ofMillis(10));
        t.updateTaskProgress("a", 10, null, null);
        t.updateTaskProgress("b", 20, null, null);
        t.updateTaskProgress("a", 30, null, null);
        t.updateTaskProgress("a", 40, null, null);
        assertThat(progressCalls()).isEmpty(); // nothing read yet: nothing observed yet

        t.completeTask("b");

        assertThat(estimator.calls)
                .containsSubsequence("task.progress b@20.0", "task.progress a@40.0", "task.completed b@100.0");
        assertThat(progressCalls()).containsExactly("task.progress b@20.0", "task.progress a@40.0");
        t.flush(Duration.ofSeconds(5));
        // Each observed sample carries the values of the event it stands for, not the values at fold time.
        ProgressEvent lastOfA = sink.events.stream()
                .filter(e -> e.type() == EventType.TASK_PROGRESS)
                .reduce((x, y) -> y)
                .orElseThrow();
        EtaSample sampleOfA = estimator.samples.get(1);
        assertThat(sampleOfA.time()).isEqualTo(lastOfA.header().time());
        assertThat(sampleOfA.runPercent()).isCloseTo(lastOfA.run().percent(), Offset.offset(0.001));
        assertThat(sampleOfA.runPercent())
                .isCloseTo(30.0, Offset.offset(0.001)); // (a 40 + b 20) / 2, before b completed
        t.close();
    }

    @Test
    void readsFoldFirstSoEtaAndReportSeeEveryUpdate() {
        ProgressTracker t = tracker(TrackingMode.ENHANCED);
        clock.advance(Duration.ofMillis(10));
        t.updateTaskProgress("a", 25, null, Map.of("items", 7));
        t.updateTaskProgress("a", 50, null, Map.of("items", 12));
        assertThat(t.eta()).isPresent();
        assertThat(estimator.calls).containsExactly("task.progress a@50.0", "estimate");
        assertThat(TrackerAnalytics.report(t).throughput().itemsTotal()).isEqualTo(12.0);
        assertThat(progressCalls()).hasSize(1); // folded once, not again by the report
        t.close();
    }

    @Test
    void aRefreshDueObservesTheUpdateImmediately() {
        ProgressTracker t = tracker(TrackingMode.ENHANCED);
        clock.advance(Duration.ofMillis(10));
        t.updateTaskProgress("a", 10, null, null);
        clock.advance(Duration.ofSeconds(2)); // past the 1 s refresh: the next event's ETA is recomputed
        t.updateTaskProgress("b", 20, null, null);
        assertThat(estimator.calls).containsExactly("task.progress a@10.0", "task.progress b@20.0", "estimate");
        t.close();
    }

    @Test
    void comprehensiveObservesEveryUpdateAtOnce() {
        ProgressTracker t = tracker(TrackingMode.COMPREHENSIVE);
        clock.advance(Duration.ofMillis(10));
        t.updateTaskProgress("a", 10, null, null);
        t.updateTaskProgress("a", 30, null, null);
        assertThat(progressCalls()).containsExactly("task.progress a@10.0", "task.progress a@30.0");
        t.close();
    }

    @Test
    void aThrowingEstimatorLosesOneObservationNotTheCallerOrTheOthers() {
        ProgressTracker t = tracker(TrackingMode.ENHANCED);
        estimator.failPercent = 10;
        estimator.failOnTaskPercent = new IllegalStateException("estimator bug");
        clock.advance(Duration.ofMillis(10));
        t.updateTaskProgress("a", 10, null, null);
        t.updateTaskProgress("b", 20, null, null);
        assertThat(t.eta()).isPresent();
        assertThat(progressCalls()).containsExactly("task.progress b@20.0");
        assertThat(t.task("a").percent()).isEqualTo(10);
        t.close();
    }
}

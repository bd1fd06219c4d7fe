package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.NonClosingStore;
import dev.progresstracker.test.RecordingSink;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageTrackingTest {

    private static final UsagePricing PRICING = UsagePricing.builder()
            .currency("EUR")
            .model("small", 0.5, 1.5)
            .model("large", 3, 15)
            .build();

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final RecordingSink sink = new RecordingSink("rec", OverflowPolicy.BLOCK, 100_000);
    private ProgressTracker tracker;

    private ProgressTracker open(TrackingMode mode, UsagePricing pricing) {
        tracker = ProgressTracker.builder()
                .runId("run-u")
                .clock(clock)
                .sink(sink)
                .config(TrackerConfig.builder()
                        .trackingMode(mode)
                        .pricing(pricing)
                        .build())
                .build();
        tracker.addTasks(List.of(
                new TaskSpec("phase", "Phase", TaskType.UPGRADE_PLAN, null, 1),
                new TaskSpec("a", "A", TaskType.UPGRADE_STEP, "phase", 1),
                new TaskSpec("b", "B", TaskType.UPGRADE_STEP, "phase", 3),
                new TaskSpec("v", "V", TaskType.VALIDATION, null, 1)));
        tracker.startUpgrade("p");
        return tracker;
    }

    @AfterEach
    void tearDown() {
        if (tracker != null) {
            tracker.close();
        }
    }

    private List<ProgressEvent> events() {
        assertThat(tracker.flush(Duration.ofSeconds(10))).isTrue();
        return sink.events();
    }

    @Test
    void countersAddUpPerTaskPerParentPerTypeAndPerRun() {
        open(TrackingMode.ENHANCED, PRICING);
        tracker.recordApiCall("a", CallOutcome.SUCCEEDED, Duration.ofMillis(120));
        tracker.recordApiCall("a", CallOutcome.FAILED, Duration.ofMillis(80));
        tracker.recordApiCall("b", CallOutcome.SUCCEEDED, Duration.ofMillis(50));
        tracker.recordRateLimit("a", Duration.ofSeconds(2));
        tracker.recordRateLimit("v", Duration.ofMillis(500));
        tracker.recordUsage("a", 2000, 1000, "small"); // 1.0 + 1.5 = 2.5 EUR
        tracker.recordUsage("b", 1000, 1000, "large"); // 3 + 15 = 18 EUR
        tracker.recordUsage("v", 500, 0, "small"); // 0.25 EUR

        TaskUsage a = tracker.task("a").usage();
        assertThat(a.apiCalls()).isEqualTo(2);
        assertThat(a.apiCallsFailed()).isEqualTo(1);
        assertThat(a.apiCallsSucceeded()).isEqualTo(1);
        assertThat(a.apiLatencyMillis()).isEqualTo(200);
        assertThat(a.rateLimitHits()).isEqualTo(1);
        assertThat(a.rateLimitDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(a.tokensIn()).isEqualTo(2000);
        assertThat(a.tokensOut()).isEqualTo(1000);
        assertThat(a.cost()).isCloseTo(2.5, within(1e-9));
        assertThat(a.currency()).isEqualTo("EUR");

        UsageTotals phase = tracker.usage("phase");
        assertThat(phase.tasks()).isEqualTo(3);
        assertThat(phase.apiCalls()).isEqualTo(3);
        assertThat(phase.successRate().getAsDouble()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(phase.tokensIn()).isEqualTo(3000);
        assertThat(phase.cost()).isCloseTo(20.5, within(1e-9));

        RunUsage run = tracker.usage();
        assertThat(run.run().apiCalls()).isEqualTo(3);
        assertThat(run.run().rateLimitHits()).isEqualTo(2);
        assertThat(run.run().rateLimitDelay()).isEqualTo(Duration.ofMillis(2500));
        assertThat(run.run().cost()).isCloseTo(20.75, within(1e-9));
        assertThat(run.run().currency()).isEqualTo("EUR");
        assertThat(run.byType().get(TaskType.UPGRADE_STEP).tokensOut()).isEqualTo(2000);
        assertThat(run.byType().get(TaskType.VALIDATION).cost()).isCloseTo(0.25, within(1e-9));
        assertThat(run.byType().get(TaskType.UPGRADE_PLAN).apiCalls()).isZero();
    }

    @Test
    void perCompletedTaskFiguresRetriesAndTheWeightedQualityMean() {
        open(TrackingMode.ENHANCED, PRICING);
        tracker.startTask("a");
        tracker.failTask("a", "boom");
        tracker.startTask("a"); // a retry
        tracker.recordUsage("a", 1000, 0, "small");
        tracker.completeTask("a");
        tracker.startTask("b");
        tracker.recordUsage("b", 1000, 0, "small");
        tracker.completeTask("b");
        tracker.setQuality("a", 1.0); // weight 1
        tracker.setQuality("b", 0.6); // weight 3

        UsageTotals run = tracker.usage().run();
        assertThat(run.completedTasks())
                .as("leaves only: the parent completed too but is not counted")
                .isEqualTo(2);
        assertThat(run.costPerCompletedTask().getAsDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(run.tokensPerCompletedTask().getAsDouble()).isCloseTo(1000, within(1e-9));
        assertThat(run.retries()).isEqualTo(1);
        assertThat(run.quality().getAsDouble()).isCloseTo((1.0 * 1 + 0.6 * 3) / 4, within(1e-9));
        assertThat(tracker.usage("v").quality()).isEmpty();
        assertThat(tracker.usage("v").successRate()).isEmpty();
    }

    @Test
    void runUsageOfTaskViewsIsTheTrackersRollUpAndRetriesCountLeavesOnly() {
        open(TrackingMode.ENHANCED, PRICING);
        tracker.startTask("a");
        tracker.startTask("b");
        tracker.completeTask("b");
        tracker.failTask("a", "boom"); // every child of phase settled, one failed: phase FAILED
        tracker.startTask("a"); // a retry: phase starts again, one more attempt
        tracker.recordUsage("a", 100, 0, "small");
        tracker.setQuality("a", 0.5);
        assertThat(tracker.task("phase").attempt()).isEqualTo(2);

        assertThat(tracker.usage().run().retries())
                .as("a's retry, not again as its parent's second attempt")
                .isEqualTo(1);
        assertThat(RunUsage.of(tracker.tasks()))
                .as("one computation over the views")
                .isEqualTo(tracker.usage());
        assertThat(UsageTotals.of(List.of(tracker.task("phase"), tracker.task("a"), tracker.task("b"))))
                .isEqualTo(tracker.usage("phase"));
    }

    @Test
    void everyRecordingEmitsTaskUsageWithTheTaskTotalsThatSurviveTheWire() {
        open(TrackingMode.BASIC, PRICING);
        tracker.recordApiCall("a", CallOutcome.SUCCEEDED, Duration.ofMillis(10));
        tracker.recordUsage("a", 100, 10, "large");
        tracker.setQuality("a", 0.75);

        List<TaskEvent> usage = events().stream()
                .filter(e -> e.type() == EventType.TASK_USAGE)
                .map(TaskEvent.class::cast)
                .toList();
        assertThat(usage).hasSize(3);
        TaskEvent last = usage.get(2);
        assertThat(last.type().wireName()).isEqualTo("task.usage");
        assertThat(last.type().isLifecycle()).isFalse();
        assertThat(last.task().usage())
                .usingRecursiveComparison()
                .withComparatorForType((x, y) -> Math.abs(x - y) < 1e-9 ? 0 : Double.compare(x, y), Double.class)
                .isEqualTo(new TaskUsage(1, 0, 10, 0, 0, 100, 10, 0.45, "EUR", 0.75));

        String json = WireFormat.toJson(last);
        assertThat(json)
                .contains("\"usage\":{\"apiCalls\":1,")
                .contains("\"currency\":\"EUR\"")
                .contains("\"quality\":0.75");
        assertThat(((TaskEvent) WireFormat.fromJson(json)).task()).isEqualTo(last.task());
        assertThat(((TaskEvent) WireFormat.readEvent(parse(json))).task()).isEqualTo(last.task());
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return WireFormat.reader().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTaskWithoutUsageWritesNoUsageBlock() {
        open(TrackingMode.BASIC, UsagePricing.NONE);
        tracker.startTask("a");
        ProgressEvent started = events().get(events().size() - 1);
        assertThat(WireFormat.toJson(started)).doesNotContain("usage").doesNotContain("stage");
    }

    @Test
    void withoutPricingTokensAreCountedAtNoCostAndWithPricingAnUnknownModelIsRefused() {
        open(TrackingMode.ENHANCED, UsagePricing.NONE);
        tracker.recordUsage("a", 10, 20, "any-model");
        assertThat(tracker.task("a").usage()).isEqualTo(new TaskUsage(0, 0, 0, 0, 0, 10, 20, 0, null, null));
        tracker.close();

        open(TrackingMode.ENHANCED, PRICING);
        TaskUsage before = tracker.task("a").usage();
        assertThatThrownBy(() -> tracker.recordUsage("a", 10, 20, "medium"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("run 'run-u', task 'a'")
                .hasMessageContaining("model 'medium' has no price")
                .hasMessageContaining("[small, large]");
        assertThat(tracker.task("a").usage()).isEqualTo(before);
    }

    @Test
    void badUsageValuesAreRefusedNamingRunTaskAndFieldAndChangeNothing() {
        open(TrackingMode.ENHANCED, PRICING);
        long sequence = tracker.summary().lastSequence();
        assertThatThrownBy(() -> tracker.recordApiCall("a", CallOutcome.SUCCEEDED, Duration.ofMillis(-1)))
                .hasMessageContaining("run 'run-u', task 'a': latency");
        assertThatThrownBy(() -> tracker.recordApiCall("a", null, Duration.ZERO))
                .hasMessageContaining("run 'run-u', task 'a': outcome");
        assertThatThrownBy(() -> tracker.recordRateLimit("a", null))
                .hasMessageContaining("run 'run-u', task 'a': delay");
        assertThatThrownBy(() -> tracker.recordUsage("a", -1, 0, "small"))
                .hasMessageContaining("run 'run-u', task 'a': token");
        assertThatThrownBy(() -> tracker.setQuality("a", 1.01)).hasMessageContaining("run 'run-u', task 'a': quality");
        assertThatThrownBy(() -> tracker.setQuality("a", Double.NaN)).hasMessageContaining("quality");
        assertThatThrownBy(() -> tracker.recordApiCall("nope", CallOutcome.SUCCEEDED, Duration.ZERO))
                .hasMessageContaining("run 'run-u' has no task 'nope'");
        assertThat(tracker.task("a").usage()).isEqualTo(TaskUsage.NONE);
        assertThat(tracker.summary().lastSequence()).isEqualTo(sequence);
    }

    @Test
    void inMinimalModeUsageEmitsNothingAndTravelsWithTheNextLifecycleEvent() {
        open(TrackingMode.MINIMAL, PRICING);
        tracker.startTask("a");
        tracker.recordApiCall("a", CallOutcome.SUCCEEDED, Duration.ofMillis(5));
        tracker.recordUsage("a", 1000, 0, "small");
        assertThat(events()).noneMatch(e -> e.type() == EventType.TASK_USAGE);
        tracker.completeTask("a");
        TaskEvent completed = events().stream()
                .filter(e -> e.type() == EventType.TASK_COMPLETED)
                .map(TaskEvent.class::cast)
                .filter(e -> e.taskId().equals("a"))
                .findFirst()
                .orElseThrow();
        assertThat(completed.task().usage().apiCalls()).isEqualTo(1);
        assertThat(completed.task().usage().cost()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aResumedRunKeepsItsUsageAndCountsOn() {
        InMemoryProgressStore store = new InMemoryProgressStore();
        TrackerConfig config = TrackerConfig.builder().pricing(PRICING).build();
        try (ProgressTracker first = ProgressTracker.builder()
                .runId("resume-u")
                .clock(clock)
                .config(config)
                .store(new NonClosingStore(store))
                .build()) {
            first.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            first.startUpgrade("p");
            first.startTask("a");
            first.updateTaskStage("a", "drain", 40);
            first.recordApiCall("a", CallOutcome.FAILED, Duration.ofMillis(30));
            first.recordRateLimit("a", Duration.ofSeconds(1));
            first.recordUsage("a", 1000, 1000, "small");
            first.setQuality("a", 0.5);
            assertThat(first.flush(Duration.ofSeconds(10))).isTrue();
        }
        try (ProgressTracker second = ProgressTracker.builder()
                .runId("resume-u")
                .clock(clock)
                .config(config)
                .store(new NonClosingStore(store))
                .build()) {
            TaskView a = second.task("a");
            assertThat(a.usage()).isEqualTo(new TaskUsage(1, 1, 30, 1, 1000, 1000, 1000, 2.0, "EUR", 0.5));
            assertThat(a.stage()).isEqualTo("drain");
            assertThat(a.stageProgress()).isEqualTo(40.0);
            second.recordApiCall("a", CallOutcome.SUCCEEDED, Duration.ofMillis(10));
            assertThat(second.usage().run().apiCalls()).isEqualTo(2);
            assertThat(second.usage().run().rateLimitDelay()).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void usageOnAFinishedRunIsRefused() {
        open(TrackingMode.ENHANCED, PRICING);
        tracker.cancelUpgrade("stop");
        assertThatThrownBy(() -> tracker.setQuality("a", 0.5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run 'run-u'");
    }
}

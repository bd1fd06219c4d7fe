package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cost and quality per type in the history, and a run compared with the latest earlier runs. */
class RunComparisonTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryProgressStore store = new InMemoryProgressStore();

    /** A run of plan {@code plan}: two drains of {@code seconds} each (the first fails once), one check. */
    private void run(String runId, String plan, double seconds, double quality, boolean finish) {
        ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .planId(plan)
                .clock(clock)
                .store(store)
                .config(TrackerConfig.builder()
                        .pricing(UsagePricing.builder().model("m", 1, 1).build())
                        .build())
                .build();
        t.addTasks(List.of(
                TaskSpec.of("d1", "Drain 1", TaskType.UPGRADE_STEP),
                TaskSpec.of("d2", "Drain 2", TaskType.UPGRADE_STEP),
                TaskSpec.of("v", "Check", TaskType.VALIDATION)));
        t.startUpgrade("drain");
        for (String d : List.of("d1", "d2")) {
            t.startTask(d);
            if (d.equals("d1")) {
                t.failTask(d, "throttled");
                t.startTask(d);
            }
            t.recordApiCall(d, CallOutcome.SUCCEEDED, Duration.ofMillis(5));
            t.recordUsage(d, 500, 500, "m"); // 1.0
            t.setQuality(d, quality);
            clock.advanceSeconds(seconds);
            t.completeTask(d);
        }
        t.startTask("v");
        clock.advanceSeconds(5);
        t.completeTask("v");
        if (finish) {
            t.completeUpgrade();
        }
        t.flush(Duration.ofSeconds(5));
        t.close();
        clock.advanceSeconds(60);
    }

    @Test
    void historyHasCostAndQualityPerType() {
        run("a", null, 30, 0.8, true);
        RunHistory.TypeHistory steps =
                RunHistory.of(store).type(TaskType.UPGRADE_STEP).orElseThrow();
        assertThat(steps.completed()).isEqualTo(2);
        assertThat(steps.cost()).isCloseTo(2.0, within(1e-9));
        assertThat(steps.costPerCompletedTask()).isCloseTo(1.0, within(1e-9));
        assertThat(steps.quality()).isCloseTo(0.8, within(1e-9));
        assertThat(RunHistory.of(store).type(TaskType.VALIDATION).orElseThrow().quality())
                .isNaN();
    }

    @Test
    void aSlowerRunIsComparedWithTheLatestEarlierRuns() {
        run("old", null, 300, 0.9, true); // the oldest: left out of the last 2
        run("r1", null, 30, 0.9, true);
        run("r2", null, 30, 0.7, true);
        run("other-plan", "other", 1, 0.1, true);
        run("now", null, 54, 0.5, false);
        RunHistory earlier = RunHistory.latest(store, null, 3, "now");
        assertThat(earlier.runs()).extracting(i -> i.runId()).containsExactlyInAnyOrder("r1", "r2", "other-plan");
        RunHistory sameNoPlan = RunHistory.latest(store, "other", 5, "now");
        assertThat(sameNoPlan.runs()).extracting(i -> i.runId()).containsExactly("other-plan");

        RunExport now = RunExport.load(store, "now");
        RunHistory two = RunHistory.latest(store, null, 2, "now");
        assertThat(two.runs()).extracting(i -> i.runId()).containsExactlyInAnyOrder("r2", "other-plan");
        RunHistory baseline = RunHistory.of(List.of(
                RunExport.load(store, "r1").state(), RunExport.load(store, "r2").state()));
        List<RunComparison> cs = RunComparison.of(RunHistory.ofRun(now.state(), now.events()), baseline);
        RunComparison drains = cs.stream()
                .filter(c -> c.name().equals("UPGRADE_STEP") && c.measure().equals("medianSeconds"))
                .findFirst()
                .orElseThrow();
        assertThat(drains.ratio()).isCloseTo(1.8, within(1e-9));
        assertThat(drains.describe())
                .isEqualTo(
                        "this run's UPGRADE_STEP tasks take 1.80× as long as in the last 2 runs (54s vs 30s median)");
        assertThat(cs)
                .filteredOn(c -> c.name().equals("UPGRADE_STEP") && c.measure().equals("quality"))
                .singleElement()
                .satisfies(c -> assertThat(c.describe())
                        .isEqualTo("UPGRADE_STEP tasks mean quality 0.50, 0.80 in the last 2 runs"));
        assertThat(cs)
                .filteredOn(c -> c.measure().equals("failureRate") && c.name().equals("UPGRADE_STEP"))
                .singleElement()
                .satisfies(c -> assertThat(c.describe())
                        .isEqualTo("UPGRADE_STEP tasks failed 33 % of attempts, 33 % in the last 2 runs"));
        assertThat(cs)
                .filteredOn(c ->
                        c.measure().equals("costPerCompletedTask") && c.name().equals("UPGRADE_STEP"))
                .singleElement()
                .satisfies(c -> assertThat(c.ratio()).isCloseTo(1.0, within(1e-9)));
        assertThat(cs)
                .as("VALIDATION has no quality on either side")
                .noneMatch(c -> c.name().equals("VALIDATION") && c.measure().equals("quality"));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> RunHistory.latest(store, null, 0, null))
                .hasMessage("lastRuns must be at least 1, got 0");
    }
}

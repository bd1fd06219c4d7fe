package dev.progresstracker.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressSummary;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tracker's own run passes; each inconsistency injected into its state is named. */
class RunValidationTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private ProgressTracker t;
    private RunState state;

    @BeforeEach
    void run() {
        t = ProgressTracker.builder()
                .runId("valid")
                .clock(clock)
                .config(TrackerConfig.builder()
                        .trackingMode(TrackingMode.ENHANCED)
                        .pricing(UsagePricing.builder().model("m", 0.5, 1.5).build())
                        .build())
                .analytics(TrackerAnalytics.of(TrackingMode.ENHANCED))
                .build();
        t.addTasks(List.of(
                TaskSpec.of("ng", "Node group", TaskType.UPGRADE_PLAN),
                TaskSpec.child("ng", "n1", "Node 1", TaskType.UPGRADE_STEP),
                TaskSpec.child("ng", "n2", "Node 2", TaskType.UPGRADE_STEP).withWeight(3),
                TaskSpec.of("v", "Validate", TaskType.VALIDATION)));
        t.startUpgrade(null);
        t.startTask("n1");
        t.recordApiCall("n1", CallOutcome.SUCCEEDED, Duration.ofMillis(30));
        t.recordUsage("n1", 1200, 300, "m");
        t.setQuality("n1", 0.9);
        clock.advanceSeconds(20);
        t.completeTask("n1");
        t.startTask("n2");
        t.updateTaskProgress("n2", 40);
        state = t.snapshot();
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void aTrackersOwnRunHasNoProblemsAndTheReportSaysSo() {
        assertThat(RunValidation.check(state, t.summary())).isEmpty();
        assertThat(TrackerAnalytics.report(t).problems()).isEmpty();
    }

    private List<RunValidation.Problem> injected(String taskId, UnaryOperator<TaskView> change) {
        List<TaskView> tasks = new ArrayList<>();
        for (TaskView v : state.tasks()) {
            tasks.add(v.taskId().equals(taskId) ? change.apply(v) : v);
        }
        return RunValidation.check(new RunState(state.info(), tasks, state.activeAlerts()));
    }

    private static TaskView with(
            TaskView v,
            TaskStatus status,
            double percent,
            java.time.Instant started,
            java.time.Instant finished,
            int attempt,
            String parent,
            TaskUsage usage) {
        return new TaskView(
                v.taskId(),
                v.name(),
                v.type(),
                parent,
                v.weight(),
                status,
                percent,
                v.message(),
                v.details(),
                started,
                finished,
                attempt,
                v.stage(),
                v.stageProgress(),
                usage);
    }

    private static UnaryOperator<TaskView> percent(double p) {
        return v -> with(v, v.status(), p, v.startedAt(), v.finishedAt(), v.attempt(), v.parentTaskId(), v.usage());
    }

    @Test
    void eachInjectedInconsistencyIsNamed() {
        assertThat(injected("v", percent(140)))
                .extracting(RunValidation.Problem::code)
                .containsExactly("percent-range");
        assertThat(injected("v", percent(Double.NaN)))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("task v percent is NaN, outside 0..100"));
        assertThat(injected(
                        "n1",
                        v -> with(
                                v,
                                v.status(),
                                v.percent(),
                                v.startedAt(),
                                v.startedAt().minusSeconds(1),
                                v.attempt(),
                                v.parentTaskId(),
                                v.usage())))
                .extracting(RunValidation.Problem::code, RunValidation.Problem::taskId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("finished-before-started", "n1"));
        assertThat(injected(
                        "n1",
                        v -> with(
                                v,
                                v.status(),
                                v.percent(),
                                v.startedAt(),
                                null,
                                v.attempt(),
                                v.parentTaskId(),
                                v.usage())))
                .extracting(RunValidation.Problem::code)
                .containsExactly("finish-missing");
        assertThat(injected(
                        "n2",
                        v -> with(v, v.status(), v.percent(), v.startedAt(), null, 0, v.parentTaskId(), v.usage())))
                .extracting(RunValidation.Problem::code)
                .containsExactly("attempt");
        assertThat(injected(
                        "n1",
                        v -> with(
                                v,
                                v.status(),
                                v.percent(),
                                v.startedAt(),
                                v.finishedAt(),
                                v.attempt(),
                                v.parentTaskId(),
                                new TaskUsage(1, 0, 0, 0, 0, 10, 10, 0.5, null, null))))
                .extracting(RunValidation.Problem::message)
                .containsExactly("task n1 has a cost of 0.5 without a currency");
        assertThat(injected(
                        "v",
                        v -> with(
                                v,
                                v.status(),
                                v.percent(),
                                v.startedAt(),
                                v.finishedAt(),
                                v.attempt(),
                                "gone",
                                v.usage())))
                .extracting(RunValidation.Problem::code)
                .containsExactly("unknown-parent");
        assertThat(injected(
                        "ng",
                        v -> with(
                                v,
                                TaskStatus.COMPLETED,
                                v.percent(),
                                v.startedAt(),
                                clock.instant(),
                                v.attempt(),
                                null,
                                v.usage())))
                .extracting(RunValidation.Problem::message)
                .containsExactly("parent ng is COMPLETED while its child n2 is IN_PROGRESS");
        assertThat(injected("ng", percent(90)))
                .extracting(RunValidation.Problem::code)
                .containsExactly("parent-percent");
        assertThat(injected("n1", v -> v)).isEmpty();
    }

    @Test
    void aRunFinishedBeforeItStartedAndCountsThatDoNotAddUp() {
        RunInfo i = state.info();
        RunInfo bad = new RunInfo(
                i.runId(),
                i.planId(),
                i.clusterName(),
                i.attributes(),
                i.status(),
                i.phase(),
                -1,
                i.eta(),
                i.startedAt(),
                i.startedAt().minusSeconds(5),
                i.lastSequence(),
                i.updatedAt());
        assertThat(RunValidation.check(new RunState(bad, state.tasks(), state.activeAlerts())))
                .extracting(RunValidation.Problem::code)
                .containsExactly("percent-range", "finished-before-started");

        ProgressSummary s = t.summary();
        Map<TaskStatus, Integer> counts = new EnumMap<>(s.taskCounts());
        counts.merge(TaskStatus.COMPLETED, 1, Integer::sum);
        ProgressSummary wrong = new ProgressSummary(
                s.runId(),
                s.planId(),
                s.clusterName(),
                s.status(),
                s.currentPhase(),
                s.percent(),
                counts,
                s.totalTasks(),
                s.startedAt(),
                s.elapsed(),
                s.eta(),
                s.lastSequence(),
                s.storeHealth());
        assertThat(RunValidation.check(state, wrong))
                .extracting(RunValidation.Problem::message)
                .containsExactly(
                        "task counts per status add up to 5, not the total 4",
                        "the summary counts 2 COMPLETED tasks, the run has 1");
    }
}

package dev.progresstracker.test;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Realistic event streams for contract tests: a small EKS upgrade that uses every event type.
 * The events come from a real tracker, so they are exactly what sinks and stores meet.
 */
public final class SampleRuns {

    private SampleRuns() {}

    /** Every event of a sample upgrade of run {@code runId}, sequence 1..n, every event type present. */
    public static List<ProgressEvent> upgrade(String runId) {
        return record(runId, SampleRuns::drive);
    }

    /** Every event of a run that fails and is then cancelled. */
    public static List<ProgressEvent> failure(String runId) {
        return record(runId, SampleRuns::driveFailure);
    }

    /** The events {@code driver} produces on a fresh in-memory tracker of {@code runId}. */
    public static List<ProgressEvent> record(
            String runId, java.util.function.BiConsumer<ProgressTracker, MutableClock> driver) {
        return record(runId, dev.progresstracker.core.TrackerConfig.defaults(), driver);
    }

    /** Same, with {@code config} (for example {@link LimitCases#generous()} for events above the default limits). */
    public static List<ProgressEvent> record(
            String runId,
            dev.progresstracker.core.TrackerConfig config,
            java.util.function.BiConsumer<ProgressTracker, MutableClock> driver) {
        RecordingSink sink = new RecordingSink("sample", dev.progresstracker.core.spi.OverflowPolicy.BLOCK, 1_000_000);
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        try (ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .planId("plan-1")
                .clusterName("prod-eu")
                .attribute("targetVersion", "1.31")
                .clock(clock)
                .sink(sink)
                .config(config)
                .build()) {
            driver.accept(t, clock);
            t.flush(Duration.ofSeconds(10));
        }
        return sink.events();
    }

    /** Drives {@code t} through a sample upgrade (every event type), moving {@code clock}. */
    public static void drive(ProgressTracker t, MutableClock clock) {
        t.addTasks(List.of(
                TaskSpec.of("preflight", "Preflight checks", TaskType.VALIDATION),
                TaskSpec.of("control-plane", "Upgrade control plane", TaskType.UPGRADE_STEP)
                        .withWeight(2),
                TaskSpec.of("nodegroups", "Upgrade node groups", TaskType.UPGRADE_PLAN)
                        .withWeight(3),
                TaskSpec.child("nodegroups", "ng-1", "Node group 1", TaskType.UPGRADE_STEP),
                TaskSpec.child("nodegroups", "ng-2", "Node group 2", TaskType.UPGRADE_STEP),
                TaskSpec.of("addons", "Upgrade add-ons", TaskType.UPGRADE_STEP),
                TaskSpec.of("cleanup", "Cleanup", TaskType.CLEANUP)));
        t.startUpgrade("preflight");
        tick(clock);
        t.startTask("preflight");
        t.updateTaskProgress("preflight", 50, "half the checks", Map.of("checks", 4, "ok", true));
        tick(clock);
        t.completeTask("preflight");
        t.setCurrentPhase("control-plane");
        t.startTask("control-plane");
        t.updateTaskProgress("control-plane", 40, "updating", null);
        tick(clock);
        t.failTask("control-plane", "API throttled");
        t.startTask("control-plane");
        t.updateTaskProgress("control-plane", 100, "done", Map.of("version", "1.31"));
        t.completeTask("control-plane");
        t.setCurrentPhase("data-plane");
        t.startTask("nodegroups");
        t.startTask("ng-1");
        t.raiseAlert(new Alert("stalled:ng-1", "stalled-task", Alert.Severity.WARNING, "no progress for 60 s", "ng-1"));
        tick(clock);
        t.updateTaskProgress("ng-1", 37.5, "12/32 nodes drained", Map.of("drained", 12, "total", 32));
        t.pauseTask("ng-1", "waiting for PDB");
        t.resumeTask("ng-1");
        t.clearAlert("stalled:ng-1");
        t.updateTaskProgress("ng-1", 100, "32/32 nodes drained", Map.of("drained", 32, "total", 32));
        t.completeTask("ng-1");
        t.skipTask("ng-2", "already on target version");
        t.completeTask("nodegroups");
        t.cancelTask("addons", "not needed");
        t.startTask("cleanup");
        t.completeTask("cleanup");
        tick(clock);
        t.completeUpgrade();
    }

    /** A run that fails, then is cancelled: covers upgrade.failed and upgrade.cancelled. */
    public static void driveFailure(ProgressTracker t, MutableClock clock) {
        t.addTask("only", "Only step", TaskType.UPGRADE_STEP, null);
        t.startUpgrade("preflight");
        t.startTask("only");
        tick(clock);
        t.failTask("only", "boom");
        t.failUpgrade("step 'only' failed");
        t.cancelUpgrade("operator gave up");
    }

    /**
     * A run whose one step has a stage and records usage (task.usage): a failed, throttled API call
     * and 1,500 + 400 tokens of {@code model-a}. Kept apart from the other samples because sinks may
     * coalesce a task's consecutive usage events, which tests that count deliveries do not expect.
     */
    public static void driveUsage(ProgressTracker t, MutableClock clock) {
        t.addTask("only", "Only step", TaskType.UPGRADE_STEP, null);
        t.startUpgrade("preflight");
        t.startTask("only");
        t.updateTaskStage("only", "apply", 50);
        t.recordApiCall("only", CallOutcome.FAILED, Duration.ofMillis(1200));
        t.recordRateLimit("only", Duration.ofSeconds(2));
        t.recordUsage("only", 1500, 400, "model-a");
        t.setQuality("only", 0.25);
        tick(clock);
        t.completeTask("only");
        t.completeUpgrade();
    }

    /** Every event of {@link #driveUsage}. */
    public static List<ProgressEvent> usage(String runId) {
        return record(runId, SampleRuns::driveUsage);
    }

    private static void tick(MutableClock clock) {
        clock.advance(Duration.ofSeconds(7));
    }
}

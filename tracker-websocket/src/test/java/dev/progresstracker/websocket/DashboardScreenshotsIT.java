package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the README's screenshots of the dashboard, mid-run and finished, into the folder named by
 * {@code -Ddashboard.screenshots=…}; run by {@code scripts/dashboard-screenshots}, off otherwise.
 */
@EnabledIfSystemProperty(named = "dashboard.screenshots", matches = ".+")
class DashboardScreenshotsIT {

    @Test
    void midRunAndFinished() throws Exception {
        Path dir = Path.of(System.getProperty("dashboard.screenshots"));
        Files.createDirectories(dir);
        InMemoryProgressStore store = new InMemoryProgressStore();
        try (DashboardStack stack = DashboardStack.start(
                        store,
                        WebSocketConfig.builder().port(0).build(),
                        TrackerConfig.builder()
                                .pricing(UsagePricing.builder()
                                        .model("agent-model", 0.003, 0.015)
                                        .build())
                                .build());
                ProgressTracker other = stack.factory
                        .tracker()
                        .runId("upgrade-prod-us")
                        .clusterName("prod-us")
                        .build();
                ProgressTracker t = stack.factory
                        .tracker()
                        .runId("upgrade-prod-eu")
                        .clusterName("prod-eu")
                        .build()) {
            BrowserPage page = stack.open("#run=upgrade-prod-eu", "dashboard-screenshots.log");
            page.waitText("#conn-state", "connected");
            other.addTasks(List.of(TaskSpec.of("preflight", "Preflight checks", TaskType.VALIDATION)));
            other.startUpgrade("preflight");
            other.startTask("preflight");
            other.updateTaskProgress("preflight", 40, "12/30 checks", null);
            List<TaskSpec> specs = new ArrayList<>(List.of(
                    TaskSpec.of("preflight", "Preflight checks", TaskType.VALIDATION),
                    TaskSpec.of("control-plane", "Upgrade control plane to 1.31", TaskType.UPGRADE_STEP)
                            .withWeight(2),
                    TaskSpec.of("addons", "Update add-ons", TaskType.UPGRADE_STEP),
                    TaskSpec.of("nodegroups", "Roll node groups", TaskType.UPGRADE_PLAN)
                            .withWeight(4)));
            for (int i = 1; i <= 4; i++) {
                specs.add(TaskSpec.child("nodegroups", "ng-" + i, "Node group " + i, TaskType.UPGRADE_STEP));
            }
            specs.add(TaskSpec.of("cleanup", "Clean up old launch templates", TaskType.CLEANUP));
            t.addTasks(specs);
            t.startUpgrade("preflight");
            step(t, "preflight", "checks");
            t.setCurrentPhase("control-plane");
            step(t, "control-plane", "updating");
            step(t, "addons", "vpc-cni, coredns, kube-proxy");
            t.setCurrentPhase("data-plane");
            t.startTask("nodegroups");
            step(t, "ng-1", "nodes drained");
            t.startTask("ng-2");
            t.updateTaskProgress("ng-2", 30, "9/30 nodes drained", null);
            t.recordApiCall("ng-2", CallOutcome.FAILED, Duration.ofMillis(900));
            t.recordRateLimit("ng-2", Duration.ofMillis(2500));
            t.failTask("ng-2", "PodDisruptionBudget blocks eviction");
            t.raiseAlert(
                    new Alert("stalled:ng-2", "stalled-task", Alert.Severity.WARNING, "no progress for 120 s", "ng-2"));
            Thread.sleep(400);
            t.startTask("ng-2");
            t.updateTaskProgress("ng-2", 55, "17/30 nodes drained", null);
            t.startTask("ng-3");
            t.updateTaskProgress("ng-3", 20, "6/30 nodes drained", null);
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            page.waitText("[data-task-id=\"ng-3\"] .task-percent", "20.0%");
            Thread.sleep(1500); // let the page draw a frame or two after the last event
            page.screenshot(dir.resolve("dashboard-mid-run.png"));

            t.clearAlert("stalled:ng-2");
            t.updateTaskProgress("ng-2", 100);
            t.completeTask("ng-2");
            t.updateTaskProgress("ng-3", 100);
            t.completeTask("ng-3");
            step(t, "ng-4", "nodes drained");
            t.completeTask("nodegroups");
            t.setCurrentPhase("cleanup");
            t.skipTask("cleanup", "no old templates");
            t.completeUpgrade();
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            page.waitText(".run-status", "COMPLETED");
            Thread.sleep(1500);
            page.screenshot(dir.resolve("dashboard-finished.png"));
        }
        assertThat(Files.size(dir.resolve("dashboard-finished.png"))).isGreaterThan(10_000);
    }

    private static void step(ProgressTracker t, String taskId, String what) throws InterruptedException {
        t.startTask(taskId);
        for (int p = 25; p < 100; p += 25) {
            Thread.sleep(120);
            t.updateTaskProgress(taskId, p, p + "% " + what, null);
        }
        Thread.sleep(120);
        t.recordApiCall(taskId, CallOutcome.SUCCEEDED, Duration.ofMillis(120));
        t.recordUsage(taskId, 1200 + 100L * taskId.length(), 300, "agent-model");
        t.setQuality(taskId, 0.8 + taskId.length() % 3 * 0.05);
        t.completeTask(taskId);
    }
}

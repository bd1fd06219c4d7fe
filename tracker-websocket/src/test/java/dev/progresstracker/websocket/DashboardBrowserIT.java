package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in headless Chromium: it shows percent and status as events arrive, and after the
 * WebSocket server is killed and restarted it reconnects, resumes and misses no event. Needs Debian
 * {@code chromium} and {@code npm install} in {@code src/test/browser}; skipped without them unless
 * {@code CI=true}, where their absence fails the build.
 */
class DashboardBrowserIT {

    private static final String RUN = "demo-run";

    private BrowserPage page;

    @Test
    void showsProgressAndRecoversFromAServerRestartWithoutMissingEvents() throws Exception {
        try (DashboardStack stack = DashboardStack.start(new InMemoryProgressStore());
                ProgressTracker t = stack.factory
                        .tracker()
                        .runId(RUN)
                        .clusterName("prod-eu")
                        .build()) {
            WebSocketProgressServer server = stack.server;
            page = stack.open("", "dashboard-browser.log");
            waitText("#conn-state", "connected");
            // "connected" shows on open; the page's subscribe may still be on its way to the server.
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(server.subscriptionCount())
                            .as("the page subscribed")
                            .isEqualTo(1));

            t.addTasks(List.of(
                    TaskSpec.of("preflight", "Preflight checks", TaskType.VALIDATION),
                    TaskSpec.of("control-plane", "Upgrade control plane", TaskType.UPGRADE_STEP)
                            .withWeight(2),
                    TaskSpec.of("nodegroups", "Upgrade node groups", TaskType.UPGRADE_PLAN),
                    TaskSpec.child("nodegroups", "ng-1", "Node group 1", TaskType.UPGRADE_STEP),
                    TaskSpec.child("nodegroups", "ng-2", "Node group 2", TaskType.UPGRADE_STEP)));
            t.startUpgrade("preflight");
            waitText(".run-status", "IN_PROGRESS");
            waitText(".run-phase .value", "preflight");

            t.startTask("preflight");
            t.updateTaskProgress("preflight", 50, "half the checks", null);
            waitText("[data-task-id=\"preflight\"] .task-percent", "50.0%");
            waitText("[data-task-id=\"preflight\"] .task-status", "IN_PROGRESS");
            waitText(".run-percent .value", pct(t.summary().percent()));
            t.completeTask("preflight");
            waitText("[data-task-id=\"preflight\"] .task-status", "COMPLETED");
            waitText(".run-percent .value", pct(t.summary().percent()));

            // Kill the WebSocket server; the run goes on while the page is cut off.
            server.stop();
            waitText("#conn-state", "reconnecting");
            t.setCurrentPhase("control-plane");
            t.startTask("control-plane");
            t.updateTaskProgress("control-plane", 40, "updating", null);
            t.completeTask("control-plane");
            t.setCurrentPhase("data-plane");
            t.startTask("nodegroups");
            t.startTask("ng-1");
            t.raiseAlert(
                    new Alert("stalled:ng-1", "stalled-task", Alert.Severity.WARNING, "no progress for 60 s", "ng-1"));
            t.updateTaskProgress("ng-1", 25, "8/32 nodes drained", null);
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            Thread.sleep(300);
            server.start();

            waitText("#conn-state", "connected");
            waitText(".run-phase .value", "data-plane");
            waitText("[data-task-id=\"ng-1\"] .task-percent", "25.0%");
            waitText("[data-task-id=\"control-plane\"] .task-status", "COMPLETED");
            waitText(".active-alerts .alert-text", "WARNING: no progress for 60 s (ng-1)");
            waitText(".run-percent .value", pct(t.summary().percent()));

            t.completeTask("ng-1");
            t.skipTask("ng-2", "already on target");
            t.completeTask("nodegroups");
            t.clearAlert("stalled:ng-1");
            t.completeUpgrade();
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            waitText(".run-status", "COMPLETED");
            waitText(".run-percent .value", "100.0%");

            assertThat(page.seenSequences(RUN))
                    .as("every event, in order, none twice, across the restart")
                    .isEqualTo(BrowserPage.sequences(stack.emitted.events(RUN)));
            assertThat(eval("window.__dashboard.connects")).isEqualTo("2");
            assertThat(eval("window.__dashboard.snapshots"))
                    .as("resumed, not re-snapshotted")
                    .isEqualTo("0");
            Path shot = Path.of("target", "dashboard.png").toAbsolutePath();
            page.screenshot(shot);
            assertThat(Files.size(shot)).isGreaterThan(1000);
        }
    }

    private static String pct(double percent) {
        return String.format(Locale.ROOT, "%.1f%%", Math.round(percent * 10) / 10.0);
    }

    private void waitText(String selector, String expected) throws Exception {
        page.waitText(selector, expected);
    }

    private String eval(String js) throws Exception {
        return page.eval(js);
    }
}

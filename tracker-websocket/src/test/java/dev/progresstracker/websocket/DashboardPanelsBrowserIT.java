package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a person sees on the dashboard, in headless Chromium: bars painted right at known percents
 * (colours read from a screenshot), charts with one point per change after a known run, the
 * timeline's rows and failure and pause marks, alerts appearing, clearing and kept in the history,
 * the same state after a reload mid-run, final figures of a finished run, and the run list with
 * two runs of two clusters, a silent agent and deep links. Needs what {@link BrowserPage} needs.
 */
class DashboardPanelsBrowserIT {

    private static final int[] TRACK = {227, 230, 236};
    private static final int[] BLUE = {21, 101, 192};
    private static final int[] GREEN = {46, 125, 50};

    private final InMemoryProgressStore store = new InMemoryProgressStore();
    private DashboardStack stack;
    private BrowserPage page;

    private void start(String fragment, String... driverOptions) throws Exception {
        stack = DashboardStack.start(store);
        page = stack.open(fragment, "dashboard-panels-browser.log", driverOptions);
        page.waitText("#conn-state", "connected");
        // Connected is not yet subscribed; a run begun before the page's "*" subscription is streamed to it
        // from its start all the same (the server's rule for runs its summary did not list).
    }

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void barsPaintTheFilledPartInTheStatusColourAndTheRestAsEmptyTrack() throws Exception {
        start("");
        try (ProgressTracker t =
                stack.factory.tracker().runId("bars").clusterName("prod-eu").build()) {
            t.addTasks(List.of(
                    TaskSpec.of("p0", "At 0", TaskType.UPGRADE_STEP),
                    TaskSpec.of("p19", "At 19.2", TaskType.UPGRADE_STEP),
                    TaskSpec.of("p62", "At 62.5", TaskType.UPGRADE_STEP),
                    TaskSpec.of("p100", "At 100", TaskType.UPGRADE_STEP)));
            t.startUpgrade("bars");
            t.startTask("p19");
            t.updateTaskProgress("p19", 19.2);
            t.startTask("p62");
            t.updateTaskProgress("p62", 62.5);
            t.startTask("p100");
            t.completeTask("p100");
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            page.waitText("[data-task-id=\"p100\"] .task-status", "COMPLETED");
            page.waitText("[data-task-id=\"p62\"] .task-percent", "62.5%");

            assertBar("[data-task-id=\"p0\"] > .task-row .bar", 0, BLUE);
            assertBar("[data-task-id=\"p19\"] > .task-row .bar", 19.2, BLUE);
            assertBar("[data-task-id=\"p62\"] > .task-row .bar", 62.5, BLUE);
            assertBar("[data-task-id=\"p100\"] > .task-row .bar", 100, GREEN);
            assertBar(".run-header .bar", t.summary().percent(), BLUE);
        }
    }

    /** Computed styles say track and fill colours and the fill's share; the screenshot says what is painted. */
    private void assertBar(String selector, double percent, int[] fill) throws Exception {
        String styles =
                page.eval("(b => { const f = b.querySelector('.fill'); return [getComputedStyle(b).backgroundColor, "
                        + "getComputedStyle(f).backgroundColor, f.getBoundingClientRect().width / b.getBoundingClientRect().width]; })"
                        + "(document.querySelector('" + selector.replace("'", "\\'") + "'))");
        assertThat(styles)
                .as(selector + " track colour")
                .startsWith("[\"rgb(227, 230, 236)\",\"rgb(" + fill[0] + ", " + fill[1] + ", " + fill[2] + ")\"");
        double share = Double.parseDouble(styles.substring(styles.lastIndexOf(',') + 1, styles.length() - 1));
        assertThat(share)
                .as(selector + " fill share")
                .isCloseTo(percent / 100, org.assertj.core.data.Offset.offset(0.01));
        double[] at = {0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95};
        List<int[]> painted = page.pixels(selector, at);
        for (int i = 0; i < at.length; i++) {
            if (Math.abs(at[i] * 100 - percent) < 3) {
                continue; // the edge of the fill
            }
            int[] expected = at[i] * 100 < percent ? fill : TRACK;
            assertThat(painted.get(i))
                    .as(selector + " at " + Math.round(at[i] * 100) + "% of its width (percent " + percent + ")")
                    .containsExactly(expected);
        }
    }

    @Test
    void chartsTimelineAlertsAndFinalFiguresAfterAKnownRunAndTheSameStateAfterAReload() throws Exception {
        start("");
        try (ProgressTracker t = stack.factory
                .tracker()
                .runId("known-run")
                .clusterName("prod-eu")
                .build()) {
            t.addTasks(List.of(
                    TaskSpec.of("prep", "Preflight", TaskType.VALIDATION),
                    TaskSpec.of("nodegroups", "Node groups", TaskType.UPGRADE_PLAN),
                    TaskSpec.child("nodegroups", "ng-1", "Node group 1", TaskType.UPGRADE_STEP),
                    TaskSpec.child("nodegroups", "ng-2", "Node group 2", TaskType.UPGRADE_STEP),
                    TaskSpec.of("cleanup", "Cleanup", TaskType.CLEANUP)));
            t.startUpgrade("preflight");
            t.startTask("prep");
            t.updateTaskProgress("prep", 50);
            t.completeTask("prep");
            t.setCurrentPhase("data-plane");
            t.startTask("ng-1");
            t.updateTaskProgress("ng-1", 33, "11/33 nodes drained", null);
            page.waitText("[data-task-id=\"ng-1\"] .task-percent", "33.0%");
            page.waitText("[data-task-id=\"nodegroups\"] > .task-row .task-percent", "16.5%");

            t.raiseAlert(
                    new Alert("stalled:ng-1", "stalled-task", Alert.Severity.WARNING, "no progress for 60 s", "ng-1"));
            page.waitText(".active-alerts .alert-text", "WARNING: no progress for 60 s (ng-1)");
            t.failTask("ng-1", "drain timed out");
            t.startTask("ng-1");
            t.startTask("ng-2");
            t.pauseTask("ng-2", "PodDisruptionBudget");
            t.resumeTask("ng-2");
            t.clearAlert("stalled:ng-1");
            // Raised and cleared between two looks: only the history shows it.
            t.raiseAlert(new Alert("slow", "slow-processing", Alert.Severity.CRITICAL, "slow processing", null));
            t.clearAlert("slow");
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            waitCaughtUp("known-run");
            page.waitText(".active-alerts li", "No active alerts.");
            assertThat(page.eval("[...document.querySelectorAll('.alert-history li')].map(li => li.className)"))
                    .isEqualTo(
                            "[\"cleared sev-CRITICAL\",\"raised sev-CRITICAL\",\"cleared sev-WARNING\",\"raised sev-WARNING\"]");

            String before = page.eval(STATE);
            page.reload();
            page.waitText("#conn-state", "connected");
            waitCaughtUp("known-run");
            assertThat(page.eval(STATE)).as("the page after a reload mid-run").isEqualTo(before);

            t.updateTaskProgress("ng-1", 100);
            t.completeTask("ng-1");
            t.completeTask("ng-2");
            if (t.task("nodegroups").status() == TaskStatus.NOT_STARTED) {
                t.startTask("nodegroups");
            }
            if (!t.task("nodegroups").status().isFinal()) {
                t.completeTask("nodegroups");
            }
            t.skipTask("cleanup", "nothing to clean");
            t.completeUpgrade();
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            waitCaughtUp("known-run");
            page.waitText(".run-status", "COMPLETED");

            List<ProgressEvent> events = stack.emitted.events("known-run");
            assertThat(page.eval("__dashboard.charts().progress.data[0].length"))
                    .as("percent/ETA chart: a point per change")
                    .isEqualTo(String.valueOf(progressChanges(events)));
            assertThat(page.eval("__dashboard.charts().throughput.data[0].length"))
                    .as("throughput chart: a point per completion")
                    .isEqualTo(String.valueOf(events.stream()
                            .filter(e -> e.type() == EventType.TASK_COMPLETED)
                            .count()));
            long started = events.stream()
                    .filter(e -> e.type() == EventType.TASK_STARTED)
                    .map(e -> ((TaskEvent) e).task().taskId())
                    .distinct()
                    .count();
            assertThat(page.eval("document.querySelectorAll('.tl-row').length")).isEqualTo(String.valueOf(started));
            assertThat(page.eval(timeline("ng-1")))
                    .as("ng-1: failed, retried")
                    .isEqualTo("[\"tl-seg tl-FAILED\",\"tl-seg tl-COMPLETED\",\"tl-mark tl-mark-failed\"]");
            assertThat(page.eval(timeline("ng-2")))
                    .as("ng-2: paused, resumed")
                    .isEqualTo("[\"tl-seg tl-PAUSED\",\"tl-seg tl-COMPLETED\",\"tl-mark tl-mark-paused\"]");
            assertThat(page.eval(timeline("prep"))).isEqualTo("[\"tl-seg tl-COMPLETED\"]");

            page.waitText(
                    ".run-outcome .value",
                    "completed: " + count(t, TaskStatus.COMPLETED) + " completed, 0 failed, 1 skipped");
            assertThat(page.eval("document.querySelector('.run-duration .value').textContent"))
                    .matches("\"\\d+ s\"");
            assertThat(page.eval("document.querySelector('.run-throughput .value').textContent"))
                    .matches("\"[\\d.]+ tasks/min\"");
            assertThat(page.eval("document.querySelectorAll('.run-eta, .run-phase').length"))
                    .as("no frozen ETA or phase")
                    .isEqualTo("0");
            page.screenshot(Path.of("target", "dashboard-finished.png"));
        }
    }

    /**
     * The race a page loading while a run starts meets, made to happen: the page has its summary (no
     * runs), the run begins, then the page's {@code "*"} subscription arrives. The page gets every event
     * of the run from sequence 1, no snapshot, and its charts hold every point.
     */
    @Test
    void aRunBegunBetweenThePagesSummaryAndItsSubscriptionIsShownFromItsStart() throws Exception {
        start("", "--hold-first-subscribe");
        page.command("HELD");
        assertThat(page.eval("__dashboard.runs.size")).isEqualTo("0");
        try (ProgressTracker t = stack.factory
                .tracker()
                .runId("racing-run")
                .clusterName("prod-eu")
                .build()) {
            t.addTasks(List.of(
                    TaskSpec.of("a", "Step A", TaskType.UPGRADE_STEP),
                    TaskSpec.of("b", "Step B", TaskType.UPGRADE_STEP),
                    TaskSpec.of("c", "Step C", TaskType.UPGRADE_STEP)));
            t.startUpgrade("control-plane");
            for (String id : List.of("a", "b")) {
                t.startTask(id);
                t.updateTaskProgress(id, 50);
                t.completeTask(id);
            }
            t.startTask("c");
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(stack.server.subscriptionCount())
                    .as("the page is not subscribed yet")
                    .isZero();

            page.command("RELEASE");
            waitCaughtUp("racing-run");
            List<ProgressEvent> events = stack.emitted.events("racing-run");
            assertThat(page.eval("__dashboard.snapshots")).isEqualTo("0");
            assertThat(page.seenSequences("racing-run"))
                    .as("every event, in order")
                    .isEqualTo(BrowserPage.sequences(events));
            assertThat(page.eval("__dashboard.charts().progress.data[0].length"))
                    .as("percent/ETA chart: a point per change since the run began")
                    .isEqualTo(String.valueOf(progressChanges(events)));
            assertThat(page.eval("__dashboard.charts().throughput.data[0].length"))
                    .isEqualTo("2");
        }
    }

    private static final String STATE =
            "JSON.stringify({percent: q('.run-percent .value'), throughput: q('.run-throughput .value'),"
                    + " tasks: [...document.querySelectorAll('.task-percent, .task-status')].map(e => e.textContent),"
                    + " active: [...document.querySelectorAll('.active-alerts .alert-text')].map(e => e.textContent),"
                    + " history: [...document.querySelectorAll('.alert-history li')].map(e => e.textContent),"
                    + " timeline: [...document.querySelectorAll('.tl-row span')].map(e => e.className),"
                    + " charts: __dashboard.charts().progress.data.concat(__dashboard.charts().throughput.data)})";

    private void waitCaughtUp(String runId) throws Exception {
        page.waitCaughtUp(runId, stack.emitted.events(runId));
    }

    private static String timeline(String taskId) {
        return "[...document.querySelectorAll('.tl-row[data-task-id=\"" + taskId
                + "\"] .tl-track > span')].map(e => e.className)";
    }

    private static long count(ProgressTracker t, TaskStatus status) {
        return t.tasks().stream().filter(v -> v.status() == status).count();
    }

    /** Events after which the run's percent or ETA differs from the one before: the chart's points. */
    static long progressChanges(List<ProgressEvent> events) {
        long points = 0;
        Object last = null;
        for (ProgressEvent e : events) {
            Eta eta = e.run().eta();
            Object now = List.of(e.run().percent(), eta == null ? "" : List.of(eta.seconds(), eta.low(), eta.high()));
            if (!Objects.equals(now, last)) {
                points++;
                last = now;
            }
        }
        return points;
    }

    @Test
    void runListShowsTwoClustersFiltersThemMarksASilentAgentAndFollowsDeepLinks() throws Exception {
        start("#stale=1");
        try (ProgressTracker eu = stack.factory
                        .tracker()
                        .runId("upgrade-eu")
                        .clusterName("prod-eu")
                        .build();
                ProgressTracker us = stack.factory
                        .tracker()
                        .runId("upgrade-us")
                        .clusterName("prod-us")
                        .build()) {
            for (ProgressTracker t : List.of(eu, us)) {
                t.addTasks(List.of(
                        TaskSpec.of("a", "Step A", TaskType.UPGRADE_STEP),
                        TaskSpec.of("b", "Step B", TaskType.UPGRADE_STEP)));
                t.startUpgrade("control-plane");
                t.startTask("a");
            }
            us.updateTaskProgress("a", 40);
            assertThat(eu.flush(Duration.ofSeconds(10)) && us.flush(Duration.ofSeconds(10)))
                    .isTrue();
            page.waitTrue("document.querySelectorAll('.run-item').length === 2");
            assertThat(page.eval(
                            "[...document.querySelectorAll('.run-item')].map(e => e.querySelector('.run-id').textContent + '@' "
                                    + "+ e.querySelector('.run-cluster').textContent).sort()"))
                    .isEqualTo("[\"upgrade-eu@prod-eu\",\"upgrade-us@prod-us\"]");

            page.eval(
                    "(s => { s.value = 'prod-us'; s.dispatchEvent(new Event('change')); return s.value; })(document.getElementById('filter-cluster'))");
            page.waitTrue(
                    "document.querySelectorAll('.run-item').length === 1 && document.querySelector('.run-item').dataset.runId === 'upgrade-us'");
            page.eval(
                    "(s => { s.value = ''; s.dispatchEvent(new Event('change')); return s.value; })(document.getElementById('filter-cluster'))");
            page.waitTrue("document.querySelectorAll('.run-item').length === 2");

            // Both agents go quiet (the page was told a cadence floor of 1 s): both are shown as silent, not as
            // running.
            page.waitText("[data-run-id=\"upgrade-eu\"] .run-item-status", "NO_UPDATES");
            us.updateTaskProgress("a", 60);
            page.waitText("[data-run-id=\"upgrade-us\"] .run-item-percent", "30.0%");

            page.go(stack.dashboard.uri() + "#run=upgrade-us&task=b&stale=1");
            page.waitText("#conn-state", "connected");
            page.waitText(".run-header h2", "upgrade-us — prod-us");
            page.waitTrue(
                    "document.querySelector('li.focused') !== null && document.querySelector('li.focused').dataset.taskId === 'b'");
        }
    }
}

package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard over a store that kept 1,200 finished runs (more than the 1,088 resume points the
 * server accepted from a client before it counted its summary), in headless Chromium: the page asks
 * for the history of the run in progress and of the ten newest finished runs only, gets every event
 * of the active run from sequence 1 and a snapshot of each older finished run, lists the active run
 * first and the newest 100 finished runs, and stays live, also after a reload. Needs what {@link
 * BrowserPage} needs.
 */
class DashboardManyRunsBrowserIT {

    private static final int FINISHED = 1_200;

    private final InMemoryProgressStore store = new InMemoryProgressStore();
    private DashboardStack stack;
    private BrowserPage page;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void withThousandsOfFinishedRunsThePageShowsTheActiveRunLiveFromItsFirstEvent() throws Exception {
        FinishedRuns.fill(store, FINISHED);
        stack = DashboardStack.start(store);
        try (ProgressTracker t = stack.factory
                .tracker()
                .runId("active-run")
                .clusterName("prod-eu")
                .build()) {
            t.addTasks(List.of(
                    TaskSpec.of("a", "Step A", TaskType.UPGRADE_STEP),
                    TaskSpec.of("b", "Step B", TaskType.UPGRADE_STEP)));
            t.startUpgrade("control-plane");
            t.startTask("a");
            t.updateTaskProgress("a", 40);
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();

            page = stack.open("", "dashboard-many-runs-browser.log");
            page.waitText("#conn-state", "connected");
            t.completeTask("a");
            t.startTask("b");
            t.updateTaskProgress("b", 50);
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            page.waitCaughtUp("active-run", stack.emitted.events("active-run"));
            assertEveryEventAndTheList(101, FINISHED - 100);

            page.reload();
            page.waitText("#conn-state", "connected");
            t.completeTask("b");
            t.completeUpgrade();
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            page.waitCaughtUp("active-run", stack.emitted.events("active-run"));
            page.waitText(".run-status", "COMPLETED");
            // Finished now: the newest of 1,201 finished runs, still listed first.
            assertEveryEventAndTheList(100, FINISHED + 1 - 100);
        }
    }

    private void assertEveryEventAndTheList(int listed, int notShown) throws Exception {
        List<ProgressEvent> events = stack.emitted.events("active-run");
        assertThat(page.eval("__dashboard.errors")).as("no protocol error").isEqualTo("[]");
        assertThat(page.eval("__dashboard.connects")).as("never dropped").isEqualTo("1");
        assertThat(page.eval("__dashboard.resumePoints"))
                .as("the run in progress and the ten newest finished ones")
                .isEqualTo("11");
        assertThat(page.seenSequences("active-run"))
                .as("every event of the active run, in order, from its first")
                .isEqualTo(BrowserPage.sequences(events));
        page.waitTrue("__dashboard.snapshots === " + (FINISHED - 10));
        assertThat(page.eval("__dashboard.runs.size")).isEqualTo(String.valueOf(FINISHED + 1));
        assertThat(page.eval("document.querySelector('.run-item').dataset.runId"))
                .as("the run that matters first")
                .isEqualTo("\"active-run\"");
        assertThat(page.eval("document.querySelectorAll('.run-item').length")).isEqualTo(String.valueOf(listed));
        assertThat(page.eval("document.querySelector('.run-more').textContent"))
                .isEqualTo("\"" + notShown + " older finished runs not shown\"");
    }
}

package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard reloaded in the middle of a run whose history is larger than the default 1 MiB send
 * buffer (an upgrade with hundreds of tasks), in headless Chromium: the page asks for the whole
 * history to draw its charts, gets every event from sequence 1, shows every point and stays
 * connected (before history was paced, it was closed with 1008 and reconnected to ask again). Needs
 * what {@link BrowserPage} needs.
 */
class DashboardLongHistoryBrowserIT {

    private static final String RUN = "long-run";
    private static final String NAME = "n".repeat(400);
    private static final int TASKS = 1_000;

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
    void aReloadMidRunShowsEveryPointOfAHistoryLargerThanTheSendBufferAndStaysConnected() throws Exception {
        stack = DashboardStack.start(store);
        try (ProgressTracker t =
                stack.factory.tracker().runId(RUN).clusterName("prod-eu").build()) {
            t.startUpgrade("nodegroups");
            for (int i = 0; i < TASKS; i++) {
                t.addTask("t" + i, NAME, TaskType.UPGRADE_STEP, null);
            }
            t.addTask("last", "Last step", TaskType.UPGRADE_STEP, null);
            for (int i = 0; i < TASKS; i++) {
                t.startTask("t" + i);
                t.completeTask("t" + i);
            }
            assertThat(t.flush(Duration.ofSeconds(60))).isTrue();
            long historyBytes = stack.emitted.events(RUN).stream()
                    .mapToLong(e -> WireFormat.toJson(e).length())
                    .sum();
            assertThat(historyBytes)
                    .as("history larger than the default send buffer")
                    .isGreaterThan(1L << 20);

            page = stack.open("", "dashboard-long-history-browser.log");
            page.waitText("#conn-state", "connected");
            page.waitCaughtUp(RUN, stack.emitted.events(RUN));

            page.reload(); // mid-run: the page asks for the whole history again
            page.waitText("#conn-state", "connected");
            t.startTask("last");
            t.completeTask("last");
            t.completeUpgrade();
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            page.waitCaughtUp(RUN, stack.emitted.events(RUN));
            page.waitText(".run-status", "COMPLETED");

            List<ProgressEvent> events = stack.emitted.events(RUN);
            assertThat(page.eval("__dashboard.errors")).as("no protocol error").isEqualTo("[]");
            assertThat(page.eval("__dashboard.connects")).as("never dropped").isEqualTo("1");
            assertThat(page.eval("__dashboard.snapshots")).isEqualTo("0");
            assertThat(page.seenSequences(RUN))
                    .as("every event, in order, from the first")
                    .isEqualTo(BrowserPage.sequences(events));
            assertThat(page.eval("__dashboard.charts().progress.data[0].length"))
                    .as("percent/ETA chart: a point per change")
                    .isEqualTo(String.valueOf(DashboardPanelsBrowserIT.progressChanges(events)));
            assertThat(page.eval("__dashboard.charts().throughput.data[0].length"))
                    .as("throughput chart: a point per completion")
                    .isEqualTo(String.valueOf(events.stream()
                            .filter(e -> e.type() == EventType.TASK_COMPLETED)
                            .count()));
        }
    }
}

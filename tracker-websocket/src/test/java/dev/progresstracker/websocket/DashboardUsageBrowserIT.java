package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The usage panel in headless Chromium: after a known run with known API calls, throttles, tokens,
 * prices and quality scores it shows the expected figures (as text) for the run, per phase and per
 * task type, and the same after a reload; a page that gets only a snapshot (no history to replay)
 * still shows the run and task-type figures and puts the phase split under "earlier". Needs what
 * {@link BrowserPage} needs.
 */
class DashboardUsageBrowserIT {

    private static final String ROWS = "[...document.querySelectorAll('#usage-panel tr.usage-row')]"
            + ".map(tr => [...tr.children].map(c => c.textContent).join(' | '))";
    private static final String RUN = "run | 5 | 2 | 2 | 3.0 s | 4,000 | 1,600 | 4.4000 EUR | 0.77";
    private static final String PREFLIGHT = "preflight | 3 | 1 | 0 | 0.0 s | 1,000 | 200 | 0.8000 EUR | 0.90";
    private static final String DATA_PLANE = "data-plane | 2 | 1 | 2 | 3.0 s | 3,000 | 1,400 | 3.6000 EUR | 0.70";
    private static final String UPGRADE_STEP = "UPGRADE_STEP | 2 | 0 | 2 | 3.0 s | 2,000 | 400 | 1.6000 EUR | 0.60";
    private static final String VALIDATION = "VALIDATION | 3 | 2 | 0 | 0.0 s | 2,000 | 1,200 | 2.8000 EUR | 0.85";

    private final InMemoryProgressStore store = new InMemoryProgressStore();
    private DashboardStack stack;
    private BrowserPage page;

    private void start(WebSocketConfig config) throws Exception {
        stack = DashboardStack.start(
                store,
                config,
                TrackerConfig.builder()
                        .pricing(UsagePricing.builder()
                                .currency("EUR")
                                .model("m", 0.5, 1.5)
                                .build())
                        .build());
    }

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void showsTheKnownUsagePerRunPhaseAndTaskTypeAndTheSameAfterAReload() throws Exception {
        start(WebSocketConfig.builder().port(0).build());
        // The run exists when the page loads, so the page lists it and follows it from sequence 0 (one that
        // starts between the page's getSummary and its subscribe is streamed from its start by the server).
        try (ProgressTracker t = startRun("usage-run")) {
            page = stack.open("", "dashboard-usage-browser.log");
            page.waitText("#conn-state", "connected");
            waitCaughtUp("usage-run");
            page.waitText("#usage-panel p", "No usage recorded in this run.");
            driveUsage(t);
            assertThat(t.usage().run().cost())
                    .as("the tracker's own roll-up")
                    .isCloseTo(4.4, org.assertj.core.data.Offset.offset(1e-9));
            waitCaughtUp("usage-run");
            assertThat(page.eval(ROWS)).isEqualTo(json(RUN, PREFLIGHT, DATA_PLANE, UPGRADE_STEP, VALIDATION));

            page.reload();
            page.waitText("#conn-state", "connected");
            waitCaughtUp("usage-run");
            assertThat(page.eval(ROWS))
                    .as("after a reload")
                    .isEqualTo(json(RUN, PREFLIGHT, DATA_PLANE, UPGRADE_STEP, VALIDATION));
            assertThat(page.eval("document.querySelector('#usage-panel thead').textContent"))
                    .isEqualTo("\"calls okcalls failedthrottlesthrottle delaytokens intokens outcostquality\"");
        }
    }

    @Test
    void aPageThatGetsOnlyASnapshotShowsTheTotalsAndTheUnsplitUsageAsEarlier() throws Exception {
        start(WebSocketConfig.builder().port(0).maxReplayEvents(0).build());
        try (ProgressTracker t = startRun("usage-snapshot")) {
            driveUsage(t);
            assertThat(t.usage().run().apiCalls()).isEqualTo(7);
            page = stack.open("", "dashboard-usage-browser.log");
            page.waitText("#conn-state", "connected");
            waitCaughtUp("usage-snapshot");
            assertThat(page.eval("__dashboard.runs.get('usage-snapshot').fromHistory"))
                    .as("no history replayed")
                    .isEqualTo("false");
            assertThat(page.eval(ROWS))
                    .isEqualTo(json(
                            RUN,
                            RUN.replace("run |", "earlier (before the page’s history) |")
                                    .replace(" | 0.77", " | —"),
                            UPGRADE_STEP,
                            VALIDATION));
        }
    }

    /**
     * Prices (the factory's) 0.5 / 1.5 EUR per 1,000 tokens in / out. Preflight: prep (VALIDATION) 3 ok and 1 failed
     * call, 1,000 / 200 tokens (0.8 EUR), quality 0.9. Data plane: ng-1 (UPGRADE_STEP) 2 ok calls,
     * 2 throttles of 1.5 s, 2,000 / 400 tokens (1.6 EUR), quality 0.6; verify (VALIDATION) 1 failed
     * call, 1,000 / 1,000 tokens (2.0 EUR), quality 0.8.
     */
    private void driveUsage(ProgressTracker t) throws Exception {
        t.startTask("prep");
        for (CallOutcome o :
                List.of(CallOutcome.SUCCEEDED, CallOutcome.FAILED, CallOutcome.SUCCEEDED, CallOutcome.SUCCEEDED)) {
            t.recordApiCall("prep", o, Duration.ofMillis(40));
        }
        t.recordUsage("prep", 1000, 200, "m");
        t.setQuality("prep", 0.9);
        t.completeTask("prep");
        assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
        t.setCurrentPhase("data-plane");
        t.startTask("ng-1");
        t.recordApiCall("ng-1", CallOutcome.SUCCEEDED, Duration.ofMillis(40));
        t.recordRateLimit("ng-1", Duration.ofMillis(1500));
        t.recordApiCall("ng-1", CallOutcome.SUCCEEDED, Duration.ofMillis(40));
        t.recordRateLimit("ng-1", Duration.ofMillis(1500));
        t.recordUsage("ng-1", 2000, 400, "m");
        t.setQuality("ng-1", 0.6);
        t.startTask("verify");
        t.recordApiCall("verify", CallOutcome.FAILED, Duration.ofMillis(40));
        t.recordUsage("verify", 1000, 1000, "m");
        t.setQuality("verify", 0.8);
        assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
    }

    private ProgressTracker startRun(String runId) throws Exception {
        ProgressTracker t =
                stack.factory.tracker().runId(runId).clusterName("prod-eu").build();
        t.addTasks(List.of(
                TaskSpec.of("prep", "Preflight", TaskType.VALIDATION),
                TaskSpec.of("ng-1", "Node group 1", TaskType.UPGRADE_STEP),
                TaskSpec.of("verify", "Verify", TaskType.VALIDATION)));
        t.startUpgrade("preflight");
        assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
        return t;
    }

    private void waitCaughtUp(String runId) throws Exception {
        page.waitCaughtUp(runId, stack.emitted.events(runId));
    }

    private static String json(String... rows) {
        StringBuilder b = new StringBuilder("[");
        for (String r : rows) {
            b.append(b.length() > 1 ? "," : "").append('"').append(r).append('"');
        }
        return b.append(']').toString();
    }
}

package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store holding more runs than {@code maxSubscriptionsPerClient + 1024} (an agent that has run for
 * weeks keeps its finished runs): a client may name a resume point for every run its summary listed,
 * and one that names more gets an error naming the limit and the count.
 */
class ManyRunsTest {

    private static final int FINISHED = 1_200;

    /** Finished runs whose history the dashboard asks for (dashboard.js: RECENT_FINISHED_WITH_HISTORY). */
    private static final int RECENT_FINISHED = 10;

    private final InMemoryProgressStore store = new InMemoryProgressStore();
    private RunsOnServer on;

    @BeforeEach
    void fill() {
        FinishedRuns.fill(store, FINISHED);
    }

    private void start(WebSocketConfig.Builder config) {
        on = new RunsOnServer(config, store);
    }

    /**
     * With defaults: the history of 1,200 runs (≈ 1.3 MB) is more than the default 1 MiB send buffer,
     * and is paced into it as the client reads (it used to close this client with 1008).
     */
    private void startWithRoomForEveryHistory() {
        start(WebSocketConfig.builder());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (on != null) {
            on.closeAll();
        }
    }

    private TestClient client() throws InterruptedException {
        return on.client();
    }

    private static List<String> summary(TestClient c) {
        c.request("{\"type\":\"getSummary\"}");
        JsonNode summary = c.await(m -> m.path("type").asText().equals("summary"));
        List<String> ids = new ArrayList<>();
        summary.path("runs").forEach(r -> ids.add(r.path("runId").asText()));
        return ids;
    }

    private static String subscribeAllFrom(List<String> runIds, long since) {
        return runIds.stream()
                .map(id -> "\"" + id + "\":" + since)
                .collect(Collectors.joining(",", "{\"type\":\"subscribe\",\"runId\":\"*\",\"sinceSequences\":{", "}}"));
    }

    private ProgressTracker active(String runId) {
        ProgressTracker t = on.tracker(runId);
        t.startUpgrade("control-plane");
        t.addTask("a", "Step A", TaskType.UPGRADE_STEP, null);
        t.startTask("a");
        assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
        return t;
    }

    @Test
    void aResumePointForEveryListedRunIsAcceptedAndTheActiveRunStaysLive() throws Exception {
        startWithRoomForEveryHistory();
        ProgressTracker t = active("active"); // 3 events
        TestClient c = client();
        List<String> listed = summary(c);
        assertThat(listed).hasSize(FINISHED + 1).contains("active");

        // What the dashboard sent before this fix: 0 for every listed run.
        c.request(subscribeAllFrom(listed, 0));
        c.sync();
        assertThat(c.ofType("error")).as("the subscribe is not rejected").isEmpty();
        t.updateTaskProgress("a", 50);
        t.completeTask("a");
        t.completeUpgrade();
        assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
        c.await(
                m -> m.path("event").path("runId").asText().equals("active")
                        && m.path("event").path("sequence").asLong() == 6,
                Duration.ofSeconds(60));
        c.sync();

        assertThat(c.ofType("error")).isEmpty();
        assertThat(c.sequences("active"))
                .isEqualTo(LongStream.rangeClosed(1, 6).boxed().toList());
        assertThat(c.check("active", 0).complete()).isTrue();
        assertThat(c.sequences("finished-0000")).as("a finished run's history").containsExactly(1L, 2L);
        assertThat(on.server.subscriptionCount()).isEqualTo(1);
    }

    @Test
    void moreResumePointsThanTheSummaryListedAreRefusedNamingTheLimitAndTheCount() throws Exception {
        startWithRoomForEveryHistory();
        TestClient c = client();
        List<String> listed = summary(c);
        assertThat(listed).hasSize(FINISHED);
        List<String> more = new ArrayList<>(listed);
        for (int i = 0; i < 100; i++) {
            more.add("never-listed-" + i);
        }

        c.request(subscribeAllFrom(more, 0));
        JsonNode error = c.await(m -> m.path("type").asText().equals("error"));
        assertThat(error.path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(error.path("message").asText())
                .contains("'sinceSequences' has " + (FINISHED + 100) + " entries")
                .contains("the limit is " + FINISHED + " on this connection");
        assertThat(on.server.subscriptionCount()).as("state unchanged").isZero();

        c.request(subscribeAllFrom(listed, 0));
        c.await(m -> m.path("event").path("runId").asText().equals("finished-1199"), Duration.ofSeconds(60));
        assertThat(on.server.subscriptionCount()).isEqualTo(1);
    }

    @Test
    void withoutASummaryTheLimitIsMaxSubscriptionsPlus1024() throws Exception {
        startWithRoomForEveryHistory();
        TestClient c = client();
        List<String> ids = FinishedRuns.ids(FINISHED);

        c.request(subscribeAllFrom(ids.subList(0, 64 + 1024 + 1), 0));
        JsonNode error = c.await(m -> m.path("type").asText().equals("error"));
        assertThat(error.path("message").asText())
                .contains("has 1089 entries")
                .contains("the limit is 1088")
                .contains("maxSubscriptionsPerClient + 1024");
        assertThat(on.server.subscriptionCount()).isZero();

        c.request(subscribeAllFrom(ids.subList(0, 64 + 1024), 0));
        c.await(m -> m.path("event").path("runId").asText().equals("finished-1087"), Duration.ofSeconds(60));
        assertThat(c.ofType("error")).hasSize(1);
    }

    @Test
    void theDashboardsRequestWithDefaultsGetsTheActiveRunsHistoryAndSnapshotsOfOlderFinishedRuns() throws Exception {
        start(WebSocketConfig.builder());
        ProgressTracker t = active("active");
        TestClient c = client();
        List<String> listed = summary(c);
        List<String> newestFinished = listed.stream()
                .filter(id -> !id.equals("active"))
                .limit(RECENT_FINISHED)
                .toList();
        List<String> withHistory = new ArrayList<>(newestFinished);
        withHistory.add("active");

        c.request(subscribeAllFrom(withHistory, 0));
        t.updateTaskProgress("a", 50);
        t.completeTask("a");
        assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
        c.await(m -> m.path("event").path("sequence").asLong() == 5, Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> c.ofType("snapshot").size() == FINISHED - RECENT_FINISHED);
        c.sync();

        assertThat(c.ofType("error")).isEmpty();
        assertThat(c.closeCode).as("still open").isEqualTo(-1);
        assertThat(c.sequences("active"))
                .isEqualTo(LongStream.rangeClosed(1, 5).boxed().toList());
        assertThat(c.check("active", 0).complete()).isTrue();
        for (String id : newestFinished) {
            assertThat(c.sequences(id)).as(id).containsExactly(1L, 2L);
        }
        assertThat(c.ofType("snapshot"))
                .as("a snapshot of every other finished run: its final state, not counted in the send buffer")
                .hasSize(FINISHED - RECENT_FINISHED)
                .allSatisfy(
                        m -> assertThat(m.path("run").path("status").asText()).isEqualTo("COMPLETED"));
    }
}

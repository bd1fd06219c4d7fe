package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.DeliveredStreamCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A run begun between a client's {@code summary} and its subscription: the client could not name a
 * resume point for it, so it is streamed from its start, not sent as a snapshot (the race a dashboard
 * loading while a run starts met). Each case makes the race happen in order: summary, run, subscribe.
 */
class RunBegunAfterSummaryTest {

    private RunsOnServer on;

    @AfterEach
    void tearDown() throws Exception {
        if (on != null) {
            on.closeAll();
        }
    }

    private void start(WebSocketConfig.Builder config, ProgressStore store) {
        on = new RunsOnServer(config, store);
    }

    private void start() {
        start(WebSocketConfig.builder(), new InMemoryProgressStore());
    }

    private TestClient client() throws InterruptedException {
        return on.client();
    }

    private ProgressTracker run(String runId, int tasks) {
        return on.run(runId, tasks);
    }

    private static List<String> listed(TestClient c) {
        JsonNode summary = c.await(m -> m.path("type").asText().equals("summary"));
        List<String> ids = new ArrayList<>();
        summary.path("runs").forEach(r -> ids.add(r.path("runId").asText()));
        return ids;
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    private static List<JsonNode> snapshotsOf(TestClient c, String runId) {
        return c.ofType("snapshot").stream()
                .filter(m -> m.path("runId").asText().equals(runId))
                .toList();
    }

    private static void assertComplete(DeliveredStreamCheck.Report report) {
        assertThat(report.complete()).as(report.toString()).isTrue();
    }

    @Test
    void aRunBegunAfterTheSummaryReachesAStarSubscriberFromItsFirstEvent() throws Exception {
        start();
        run("listed", 2); // 7 events
        TestClient c = client();
        c.request("{\"type\":\"getSummary\"}");
        assertThat(listed(c)).containsExactly("listed");

        run("begun", 3); // 10 events, before the client subscribes
        c.request("{\"type\":\"subscribe\",\"runId\":\"*\"}");
        c.await(m -> m.path("event").path("runId").asText().equals("begun")
                && m.path("event").path("sequence").asLong() == 10);
        c.sync();

        assertThat(snapshotsOf(c, "begun"))
                .as("no snapshot of the run begun after the summary")
                .isEmpty();
        assertThat(c.sequences("begun")).as("every event, in order").isEqualTo(range(1, 10));
        assertThat(c.events().stream()
                        .filter(e -> e.runId().equals("begun"))
                        .findFirst()
                        .orElseThrow()
                        .delivery()
                        .previous())
                .isZero();
        assertComplete(c.check("begun", 0));

        assertThat(snapshotsOf(c, "listed"))
                .as("a listed run without a resume point: a snapshot, as before")
                .singleElement()
                .satisfies(s -> assertThat(s.path("sequence").asLong()).isEqualTo(7));
        assertThat(c.sequences("listed")).isEmpty();
    }

    @Test
    void aRunBegunAfterTheSummaryAndNamedWithoutResumePointIsStreamedFromItsStart() throws Exception {
        start();
        run("listed", 1);
        TestClient c = client();
        c.request("{\"type\":\"getSummary\"}");
        assertThat(listed(c)).containsExactly("listed");

        run("begun", 2); // 7 events
        c.request("{\"type\":\"subscribe\",\"runIds\":[\"begun\",\"listed\"]}");
        c.await(m -> m.path("event").path("sequence").asLong() == 7);
        c.sync();

        assertThat(snapshotsOf(c, "begun")).isEmpty();
        assertThat(c.sequences("begun")).isEqualTo(range(1, 7));
        assertComplete(c.check("begun", 0));
        assertThat(snapshotsOf(c, "listed")).hasSize(1);
    }

    @Test
    void withoutASummaryEveryRunWithoutResumePointIsASnapshot() throws Exception {
        start();
        run("first", 1);
        TestClient c = client();
        run("second", 2);
        c.request("{\"type\":\"subscribe\",\"runId\":\"*\"}");
        c.sync();

        assertThat(snapshotsOf(c, "first")).hasSize(1);
        assertThat(snapshotsOf(c, "second"))
                .singleElement()
                .satisfies(s -> assertThat(s.path("sequence").asLong()).isEqualTo(7));
        assertThat(c.events()).isEmpty();
    }

    @Test
    void aRunBegunAfterTheSummaryAndNoLongerInMemoryIsReplayedFromTheStore() throws Exception {
        start(WebSocketConfig.builder().replayBufferEvents(4), new InMemoryProgressStore());
        TestClient c = client();
        c.request("{\"type\":\"getSummary\"}");
        assertThat(listed(c)).isEmpty();

        run("begun", 10); // 31 events, the last 4 in memory
        c.request("{\"type\":\"subscribe\",\"runId\":\"*\"}");
        c.await(m -> m.path("event").path("sequence").asLong() == 31);

        assertThat(c.ofType("snapshot")).isEmpty();
        assertThat(c.sequences("begun")).isEqualTo(range(1, 31));
        assertComplete(c.check("begun", 0));
    }

    @Test
    void aRunBegunAfterTheSummaryWhoseFirstEventsAreGoneIsASnapshotAsBefore() throws Exception {
        start(WebSocketConfig.builder().replayBufferEvents(2), new InMemoryProgressStore(5));
        TestClient c = client();
        c.request("{\"type\":\"getSummary\"}");

        ProgressTracker begun = run("begun", 10); // 31 events: memory and store keep only the last few
        c.request("{\"type\":\"subscribe\",\"runId\":\"*\"}");
        JsonNode snap = c.await(m -> m.path("type").asText().equals("snapshot"));
        assertThat(snap.path("sequence").asLong()).isEqualTo(31);
        assertThat(snap.path("tasks")).hasSize(10);

        begun.addTask("late", "Late", TaskType.UPGRADE_STEP, null);
        assertThat(begun.flush(Duration.ofSeconds(10))).isTrue();
        c.await(m -> m.path("event").path("sequence").asLong() == 32);
        assertThat(c.sequences("begun")).containsExactly(32L);
        assertComplete(c.check("begun", 0));
    }

    @Test
    void theLatestSummaryCountsAndARepeatedSubscribeSendsNothingTwice() throws Exception {
        start();
        TestClient c = client();
        c.request("{\"type\":\"getSummary\"}");
        run("begun", 1); // 4 events
        c.request("{\"type\":\"subscribe\",\"runId\":\"*\"}");
        c.request("{\"type\":\"subscribe\",\"runId\":\"*\"}");
        c.await(m -> m.path("event").path("sequence").asLong() == 4);
        c.sync();
        assertThat(c.sequences("begun")).isEqualTo(range(1, 4));
        assertThat(c.ofType("snapshot")).isEmpty();

        c.request("{\"type\":\"unsubscribe\",\"runId\":\"*\"}");
        c.request("{\"type\":\"getSummary\"}");
        assertThat(c.ofType("summary")).hasSize(2);
        c.request("{\"type\":\"subscribe\",\"runId\":\"*\"}");
        JsonNode snap = c.await(m -> m.path("type").asText().equals("snapshot"));
        assertThat(snap.path("runId").asText()).isEqualTo("begun");
        assertThat(snap.path("sequence").asLong()).isEqualTo(4);
        assertThat(c.sequences("begun")).isEqualTo(range(1, 4));
    }
}

package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.DeliveredStreamCheck;
import dev.progresstracker.test.ScriptedStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The protocol as a client meets it: hello, subscribe, snapshot, events, resume, errors. */
class ProtocolTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private record Setup(WebSocketProgressServer server, TrackerFactory factory, ProgressTracker tracker) {}

    private Setup setup(WebSocketConfig.Builder config, ProgressStore store, String runId) {
        WebSocketProgressServer server = WebSocketProgressServer.builder()
                .config(config.port(0).build())
                .store(store)
                .start();
        TrackerFactory f = TrackerFactory.builder().store(store).sink(server).build();
        toClose.add(f);
        toClose.add(server);
        ProgressTracker t = f.tracker(runId);
        toClose.add(t);
        return new Setup(server, f, t);
    }

    private Setup setup(String runId) {
        return setup(WebSocketConfig.builder(), new InMemoryProgressStore(), runId);
    }

    private TestClient client(WebSocketProgressServer server) throws InterruptedException {
        TestClient c = TestClient.open(server.uri());
        toClose.add(c::closeBlocking);
        return c;
    }

    /** Adds {@code n} tasks and completes them: 3 events each. */
    private static void work(ProgressTracker t, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            t.addTask(id, "Task " + id, TaskType.UPGRADE_STEP, null);
            t.startTask(id);
            t.completeTask(id);
        }
        assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    @Test
    void helloAnnouncesServerAndProtocolVersion() throws Exception {
        Setup s = setup("r1");
        TestClient c = client(s.server());
        JsonNode hello = c.ofType("hello").get(0);
        assertThat(hello.path("protocolVersion").asInt()).isEqualTo(1);
        assertThat(hello.path("serverVersion").asText()).isNotBlank();
        assertThat(c.messages.get(0).path("type").asText()).isEqualTo("hello");
    }

    @Test
    void subscribeGivesASnapshotThenEveryLaterEventInOrder() throws Exception {
        Setup s = setup("r1");
        s.tracker().startUpgrade("prep");
        work(s.tracker(), "a", 3);
        TestClient c = client(s.server());
        c.request("{\"type\":\"subscribe\",\"runId\":\"r1\",\"unknownField\":{\"x\":1}}");
        JsonNode snap = c.await(m -> m.path("type").asText().equals("snapshot"));
        assertThat(snap.path("sequence").asLong()).isEqualTo(10);
        assertThat(snap.path("runId").asText()).isEqualTo("r1");
        assertThat(snap.path("run").path("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(snap.path("tasks")).hasSize(3);

        work(s.tracker(), "b", 2);
        c.await(m -> m.path("event").path("sequence").asLong() == 16);
        assertThat(c.sequences("r1")).isEqualTo(range(11, 16));
        assertComplete(c.check("r1", 0));
    }

    @Test
    void aRunNotYetStartedGivesAnEmptySnapshotThenItsEventsFromTheFirst() throws Exception {
        Setup s = setup("r1");
        TestClient c = client(s.server());
        c.request("{\"type\":\"subscribe\",\"runId\":\"later\"}");
        JsonNode snap = c.await(m -> m.path("type").asText().equals("snapshot"));
        assertThat(snap.path("sequence").asLong()).isZero();
        assertThat(snap.path("run").path("status").asText()).isEqualTo("NOT_STARTED");
        try (ProgressTracker later = s.factory().tracker("later")) {
            later.startUpgrade("p");
            work(later, "x", 1);
        }
        c.await(m -> m.path("event").path("sequence").asLong() == 4);
        assertThat(c.sequences("later")).isEqualTo(range(1, 4));
        assertThat(c.sequences("r1")).isEmpty();
    }

    @Test
    void resumeFromMemoryReplaysExactlyTheMissedEvents() throws Exception {
        Setup s = setup("r1");
        work(s.tracker(), "a", 4); // 12 events
        TestClient c = client(s.server());
        c.request("{\"type\":\"subscribe\",\"runId\":\"r1\",\"sinceSequence\":5}");
        c.await(m -> m.path("event").path("sequence").asLong() == 12);
        work(s.tracker(), "b", 1);
        c.await(m -> m.path("event").path("sequence").asLong() == 15);
        assertThat(c.ofType("snapshot")).isEmpty();
        assertThat(c.sequences("r1")).isEqualTo(range(6, 15));
        assertComplete(c.check("r1", 5));
    }

    private static void assertComplete(DeliveredStreamCheck.Report report) {
        assertThat(report.complete()).as(report.toString()).isTrue();
    }

    /** A task's burst of progress, a failure and a retry: 1 added, 2 started, 3-12 progress, 13 failed, 14 started, 15-19 progress, 20 completed. */
    private static void burst(ProgressTracker t) {
        t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
        t.startTask("a");
        for (int i = 1; i <= 10; i++) {
            t.updateTaskProgress("a", i * 5);
        }
        t.failTask("a", "throttled");
        t.startTask("a");
        for (int i = 11; i <= 15; i++) {
            t.updateTaskProgress("a", i * 5);
        }
        t.completeTask("a");
        assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aResumeWhoseProgressIsConflatedIsProvenCompleteAndALossIsNamed() throws Exception {
        Setup s = setup("r1");
        burst(s.tracker());
        TestClient c = client(s.server());
        c.request("{\"type\":\"subscribe\",\"runId\":\"r1\",\"sinceSequence\":2}");
        c.await(m -> m.path("event").path("sequence").asLong() == 20);

        // The replay is queued at once, so this client's buffer keeps only the latest progress of the task.
        assertThat(c.sequences("r1"))
                .as("progress conflated in the replay")
                .hasSizeLessThan(18)
                .contains(13L, 14L, 20L);
        assertComplete(c.check("r1", 2));
        java.util.List<dev.progresstracker.core.event.ProgressEvent> got = c.events();
        assertThat(got.stream().mapToLong(e -> e.delivery().superseded()).sum()).isEqualTo(18 - got.size());

        DeliveredStreamCheck lossy = new DeliveredStreamCheck().startAfter("r1", 2);
        got.stream().filter(e -> e.sequence() != 13).forEach(lossy::add);
        assertThat(lossy.report().missingLifecycle())
                .containsExactly(new DeliveredStreamCheck.Missing(
                        "r1", 13, dev.progresstracker.core.event.EventType.TASK_FAILED));
    }

    @Test
    void aResumeFromTheStoreIsStampedForThisClient() throws Exception {
        Setup s = setup(WebSocketConfig.builder().replayBufferEvents(2), new InMemoryProgressStore(), "r1");
        burst(s.tracker());
        TestClient c = client(s.server());
        c.request("{\"type\":\"subscribe\",\"runId\":\"r1\",\"sinceSequence\":1}");
        c.await(m -> m.path("event").path("sequence").asLong() == 20);

        assertThat(c.ofType("snapshot")).isEmpty();
        assertThat(c.events()).first().extracting(e -> e.delivery().previous()).isEqualTo(1L);
        assertComplete(c.check("r1", 1));
    }

    @Test
    void resumeBeyondMemoryReplaysFromTheStore() throws Exception {
        Setup s = setup(WebSocketConfig.builder().replayBufferEvents(4), new InMemoryProgressStore(), "r1");
        work(s.tracker(), "a", 10); // 30 events, only the last 4 in memory
        TestClient c = client(s.server());
        c.request("{\"type\":\"subscribe\",\"runId\":\"r1\",\"sinceSequence\":3}");
        c.await(m -> m.path("event").path("sequence").asLong() == 30);
        assertThat(c.ofType("snapshot")).isEmpty();
        assertThat(c.sequences("r1")).isEqualTo(range(4, 30));
        assertComplete(c.check("r1", 3));
    }

    /**
     * The store writes behind the live stream: a client asking for the run from its start while the
     * newest events are not stored yet gets the stored ones, then the rest from memory, not a snapshot.
     */
    @Test
    void aResumeWhileTheStoreLagsBehindTheStreamIsBridgedFromMemory() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        Setup s = setup(WebSocketConfig.builder().replayBufferEvents(16), store, "r1");
        work(s.tracker(), "a", 7); // 21 events, stored
        TestClient live = client(s.server());
        live.request("{\"type\":\"subscribe\",\"runId\":\"r1\"}");
        live.await(m -> m.path("type").asText().equals("snapshot"));
        store.hold();
        try {
            for (int i = 0; i < 3; i++) { // 9 more events, on their way to the store but not in it
                String id = "b" + i;
                s.tracker().addTask(id, "Task " + id, TaskType.UPGRADE_STEP, null);
                s.tracker().startTask(id);
                s.tracker().completeTask(id);
            }
            live.await(m -> m.path("event").path("sequence").asLong() == 30);
            assertThat(store.eventsSince("r1", 0, 100).orElseThrow())
                    .as("the store is behind")
                    .hasSize(21);

            TestClient c = client(s.server());
            c.request("{\"type\":\"subscribe\",\"runId\":\"r1\",\"sinceSequence\":0}");
            c.await(m -> m.path("event").path("sequence").asLong() == 30);
            assertThat(c.ofType("snapshot")).isEmpty();
            assertThat(c.sequences("r1")).isEqualTo(range(1, 30));
            assertComplete(c.check("r1", 0));
        } finally {
            store.release();
        }
    }

    @Test
    void resumeOfEventsNoLongerKeptGivesAFreshSnapshot() throws Exception {
        Setup s = setup(WebSocketConfig.builder().replayBufferEvents(2), new InMemoryProgressStore(5), "r1");
        work(s.tracker(), "a", 10);
        TestClient c = client(s.server());
        c.request("{\"type\":\"subscribe\",\"runId\":\"r1\",\"sinceSequence\":3}");
        JsonNode snap = c.await(m -> m.path("type").asText().equals("snapshot"));
        assertThat(snap.path("sequence").asLong()).isEqualTo(30);
        assertThat(snap.path("tasks")).hasSize(10);
        assertThat(c.events()).isEmpty();
        work(s.tracker(), "b", 1);
        c.await(m -> m.path("event").path("sequence").asLong() == 33);
        assertThat(c.sequences("r1")).isEqualTo(range(31, 33));
        assertComplete(c.check("r1", 3));
    }

    @Test
    void afterAServerRestartAClientResumesWithoutMissingEvents() throws Exception {
        Setup s = setup("r1");
        work(s.tracker(), "a", 2);
        TestClient first = client(s.server());
        first.request("{\"type\":\"subscribe\",\"runId\":\"*\"}");
        first.await(m -> m.path("type").asText().equals("snapshot"));
        work(s.tracker(), "b", 1);
        first.await(m -> m.path("event").path("sequence").asLong() == 9);
        int port = s.server().port();

        s.server().stop();
        assertThat(first.awaitClose(Duration.ofSeconds(10))).isTrue();
        work(s.tracker(), "c", 3); // 10..18 while nobody listens
        s.server().start();
        assertThat(s.server().port()).isEqualTo(port);

        TestClient second = client(s.server());
        second.request("{\"type\":\"subscribe\",\"runId\":\"*\",\"sinceSequences\":{\"r1\":9}}");
        work(s.tracker(), "d", 1);
        second.await(m -> m.path("event").path("sequence").asLong() == 21);
        assertThat(second.ofType("snapshot")).isEmpty();
        assertThat(second.sequences("r1")).isEqualTo(range(10, 21));
        assertComplete(second.check("r1", 9));
        assertComplete(first.check("r1", 0));
    }

    @Test
    void badMessagesGetAnErrorNamingTheProblemAndTheConnectionStays() throws Exception {
        Setup s = setup("r1");
        TestClient c = client(s.server());
        String[][] cases = {
            {"{not json", "BAD_JSON", "not valid JSON"},
            {"[1,2]", "BAD_REQUEST", "JSON object"},
            {"{\"runId\":\"r1\"}", "BAD_REQUEST", "'type'"},
            {"{\"type\":\"launchMissiles\"}", "UNKNOWN_TYPE", "launchMissiles"},
            {"{\"type\":\"subscribe\"}", "BAD_REQUEST", "runId"},
            {"{\"type\":\"subscribe\",\"runId\":\"../etc\"}", "BAD_REQUEST", "runId"},
            {"{\"type\":\"subscribe\",\"runId\":7}", "BAD_REQUEST", "'runId' must be a string"},
            {"{\"type\":\"subscribe\",\"runId\":\"r1\",\"sinceSequence\":-1}", "BAD_REQUEST", "sinceSequence"},
            {"{\"type\":\"subscribe\",\"runIds\":[\"a\",\"b\"],\"sinceSequence\":1}", "BAD_REQUEST", "sinceSequences"},
            {"{\"type\":\"subscribe\",\"runId\":\"*\",\"sinceSequences\":[1]}", "BAD_REQUEST", "sinceSequences"},
            {"{\"a\":" + "[".repeat(50) + "]".repeat(50) + "}", "BAD_JSON", "nesting"},
        };
        for (String[] bad : cases) {
            int before = c.ofType("error").size();
            c.request(bad[0]);
            JsonNode err = c.ofType("error").get(before);
            assertThat(err.path("code").asText()).as(bad[0]).isEqualTo(bad[1]);
            assertThat(err.path("message").asText()).as(bad[0]).containsIgnoringCase(bad[2]);
        }
        assertThat(c.isOpen()).isTrue();
        assertThat(c.ofType("snapshot"))
                .as("no bad message subscribed anything")
                .isEmpty();
        assertThat(s.server().counters().protocolErrors.sum()).isEqualTo(cases.length);
        c.request("{\"type\":\"subscribe\",\"runId\":\"r1\"}");
        c.await(m -> m.path("type").asText().equals("snapshot"));
    }

    @Test
    void tooManySubscriptionsAreRefusedAndChangeNothing() throws Exception {
        Setup s = setup(WebSocketConfig.builder().maxSubscriptionsPerClient(2), new InMemoryProgressStore(), "r1");
        TestClient c = client(s.server());
        c.request("{\"type\":\"subscribe\",\"runIds\":[\"a\",\"b\"]}");
        c.request("{\"type\":\"subscribe\",\"runIds\":[\"c\"]}");
        JsonNode err = c.ofType("error").get(0);
        assertThat(err.path("code").asText()).isEqualTo("TOO_MANY_SUBSCRIPTIONS");
        assertThat(err.path("message").asText()).contains("limit of 2");
        try (ProgressTracker t = s.factory().tracker("c")) {
            work(t, "x", 1);
        }
        try (ProgressTracker t = s.factory().tracker("a")) {
            work(t, "x", 1);
        }
        c.await(m -> m.path("event").path("runId").asText().equals("a")
                && m.path("event").path("sequence").asLong() == 3);
        assertThat(c.sequences("c")).isEmpty();
        assertThat(c.ofType("snapshot"))
                .extracting(m -> m.path("runId").asText())
                .containsExactly("a", "b");
    }

    @Test
    void pingSummaryAndUnsubscribe() throws Exception {
        Setup s = setup("r1");
        s.tracker().startUpgrade("prep");
        work(s.tracker(), "a", 1);
        TestClient c = client(s.server());
        c.request("{\"type\":\"ping\",\"id\":\"42\"}");
        assertThat(c.ofType("pong").get(0).path("id").asText()).isEqualTo("42");
        c.request("{\"type\":\"getSummary\"}");
        JsonNode summary = c.ofType("summary").get(0);
        assertThat(summary.path("connections").asInt()).isEqualTo(1);
        assertThat(summary.path("runs").get(0).path("runId").asText()).isEqualTo("r1");
        assertThat(summary.path("runs").get(0).path("lastSequence").asLong()).isEqualTo(4);

        c.request("{\"type\":\"subscribe\",\"runId\":\"r1\"}");
        c.request("{\"type\":\"unsubscribe\",\"runId\":\"r1\"}");
        work(s.tracker(), "b", 1);
        c.sync();
        assertThat(c.events()).isEmpty();
    }
}

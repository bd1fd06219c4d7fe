package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots larger than the send buffer (a 10,000-task run: ≈ 2 MB against the default 1 MiB
 * {@code sendBufferBytes}). A snapshot is not counted toward the limit; the events queued behind it
 * are. Readers that keep reading are never closed and get every event after their snapshot, in
 * order; a client that does not read holds at most one unsent snapshot per run it follows.
 */
class LargeSnapshotTest {

    private static final String RUN = "big";
    private static final int TASKS = 10_000;
    private static final int READERS = 6;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final InMemoryProgressStore store = new InMemoryProgressStore();
    private WebSocketProgressServer server;
    private ProgressTracker tracker;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private void startBigRun() {
        server = WebSocketProgressServer.builder()
                .store(store)
                .config(WebSocketConfig.builder().port(0).build())
                .start();
        toClose.add(server);
        TrackerFactory factory =
                TrackerFactory.builder().store(store).sink(server).build();
        toClose.add(factory);
        tracker = factory.tracker(RUN);
        toClose.add(tracker);
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            specs.add(TaskSpec.of(taskId(i), "Upgrade node group step " + i, TaskType.UPGRADE_STEP));
        }
        for (int i = 0; i < TASKS; i += 500) {
            tracker.addTasks(specs.subList(i, i + 500));
        }
        assertThat(tracker.flush(Duration.ofSeconds(30))).isTrue();
    }

    private static String taskId(int i) {
        return "task-" + i;
    }

    @Test
    void readersSubscribingAtOnceToAHugeRunWhileEventsFlowAreNeverClosedAndMissNothing() throws Exception {
        startBigRun();
        List<TestClient> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            TestClient c = TestClient.open(server.uri());
            toClose.add(c::closeBlocking);
            readers.add(c);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        Thread producer = new Thread(
                () -> {
                    // A steady stream of lifecycle events (no progress: nothing may be conflated) at ≈ 1,000/s.
                    while (!stop.get() && next.get() < TASKS) {
                        String id = taskId(next.getAndIncrement());
                        tracker.startTask(id);
                        tracker.completeTask(id);
                        TestClient.pace(2);
                    }
                },
                "producer");
        producer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> next.get() > 100); // events are flowing
        for (TestClient c : readers) {
            c.send("{\"type\":\"subscribe\",\"runId\":\"" + RUN + "\"}"); // all at once, none waits
        }
        List<JsonNode> snapshots = new ArrayList<>();
        for (TestClient c : readers) {
            snapshots.add(c.await(m -> m.path("type").asText().equals("snapshot"), Duration.ofSeconds(60)));
        }
        int atSnapshots = next.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> next.get() > atSnapshots + 300); // and keep flowing
        stop.set(true);
        producer.join();
        assertThat(tracker.flush(Duration.ofSeconds(30))).isTrue();

        long last = store.loadRun(RUN).orElseThrow().lastSequence();
        for (TestClient c : readers) {
            c.await(m -> m.path("event").path("sequence").asLong() == last, Duration.ofSeconds(60));
        }
        assertThat(server.counters().closedSlow.sum())
                .as("readers closed as too slow")
                .isZero();
        for (int i = 0; i < READERS; i++) {
            TestClient c = readers.get(i);
            long from = snapshots.get(i).path("sequence").asLong();
            assertThat(snapshots.get(i).path("tasks").size()).isEqualTo(TASKS);
            assertThat(c.messages.get(0).path("type").asText()).isEqualTo("hello");
            List<Long> expected = store.eventsSince(RUN, from, Integer.MAX_VALUE).orElseThrow().stream()
                    .map(ProgressEvent::sequence)
                    .toList();
            assertThat(expected).as("events after the snapshot").hasSizeGreaterThan(300);
            assertThat(c.sequences(RUN))
                    .as("reader %d: every event after its snapshot at %d, in order", i, from)
                    .isEqualTo(expected);
            assertThat(c.isOpen()).isTrue();
        }
        assertThat(snapshots.get(0).toString().length())
                .as("the snapshot is larger than sendBufferBytes")
                .isGreaterThan(WebSocketConfig.SEND_BUFFER_BYTES.defaultValue());
    }

    /**
     * A client that never reads and subscribes and unsubscribes again and again: an unsubscribe drops
     * the run's unsent snapshot, and a client's own buffer moves at most one frame over 1 MiB to
     * Java-WebSocket's queue, so what the server holds for it stays within two snapshots; it is not
     * closed for asking.
     */
    @Test
    void aClientThatDoesNotReadHoldsAtMostOneUnsentSnapshotPerRun() throws Exception {
        startBigRun();
        TestClient probe = TestClient.open(server.uri());
        toClose.add(probe::closeBlocking);
        probe.request("{\"type\":\"subscribe\",\"runId\":\"" + RUN + "\"}");
        long snapshotBytes = probe.ofType("snapshot").get(0).toString().length();
        probe.request("{\"type\":\"unsubscribe\",\"runId\":\"" + RUN + "\"}");
        long bound = 2 * snapshotBytes + 64 * 1024;

        HttpClient http = HttpClient.newHttpClient();
        WebSocket stalled = http.newWebSocketBuilder()
                .buildAsync(server.uri(), new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket ws) {
                        // no request(n): reads nothing after the first message
                    }
                })
                .get(10, TimeUnit.SECONDS);
        toClose.add(stalled::abort);
        long maxHeld = 0;
        for (int i = 0; i < 30; i++) {
            stalled.sendText("{\"type\":\"subscribe\",\"runId\":\"" + RUN + "\"}", true)
                    .get(10, TimeUnit.SECONDS);
            stalled.sendText("{\"type\":\"unsubscribe\",\"runId\":\"" + RUN + "\"}", true)
                    .get(10, TimeUnit.SECONDS);
            maxHeld = Math.max(maxHeld, server.queuedBytes());
            TestClient.pace(20); // let the server take them in turn, as a client would send them
        }
        // Still bounded once the server has handled every request (their answers need nothing from the client).
        assertThat(maxHeld)
                .as("bytes held for a client that reads nothing, while it asks (snapshot: %d bytes)", snapshotBytes)
                .isLessThanOrEqualTo(bound);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(server.queuedBytes())
                        .as("bytes held for a client that reads nothing (snapshot: %d bytes)", snapshotBytes)
                        .isLessThanOrEqualTo(bound));
        assertThat(server.counters().closedSlow.sum()).isZero();
        assertThat(server.connectionCount()).isEqualTo(2);
    }
}

package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.DeliveredStreamCheck;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run whose history is several times the default send buffer (an EKS upgrade with a few hundred
 * tasks), resumed from 0 as a reloaded dashboard does: the history is what the client asked for, so
 * a client that keeps reading gets all of it and stays connected; one that stops reading is still
 * closed, and the server holds little for it meanwhile.
 */
class LongReplayTest {

    private static final String RUN = "long";
    /** Each event carries its task: with a 400-character name, ≈ 1.1 KB an event. */
    private static final String NAME = "n".repeat(400);

    private static final int TASKS = 1_700;
    private static final long DEFAULT_BUFFER_BYTES = 1 << 20;

    private final InMemoryProgressStore store = new InMemoryProgressStore();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private WebSocketProgressServer server;
    private ProgressTracker tracker;

    @BeforeEach
    void start() {
        server = WebSocketProgressServer.builder()
                .config(WebSocketConfig.builder().port(0).build())
                .store(store)
                .start();
        toClose.add(server);
        TrackerFactory factory =
                TrackerFactory.builder().store(store).sink(server).build();
        toClose.add(factory);
        tracker = factory.tracker(RUN);
        toClose.add(tracker);
        tracker.startUpgrade("control-plane");
        addTasks(0, TASKS);
        assertThat(tracker.flush(Duration.ofSeconds(60))).isTrue();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** Adds, starts and completes tasks {@code from}… : three lifecycle events each. */
    private void addTasks(int from, int to) {
        for (int i = from; i < to; i++) {
            String id = "t" + i;
            tracker.addTask(id, NAME, TaskType.UPGRADE_STEP, null);
            tracker.startTask(id);
            tracker.completeTask(id);
        }
    }

    private static long lastSequence(int tasks) {
        return 1 + 3L * tasks;
    }

    /** A client that reads steadily but not at once: a short pause every 50 messages. */
    private static final class SteadyReader extends TestClient {
        private final AtomicLong bytes = new AtomicLong();
        private int count;

        SteadyReader(java.net.URI uri) {
            super(uri);
        }

        @Override
        public void onMessage(String message) {
            bytes.addAndGet(message.length());
            super.onMessage(message);
            if (++count % 50 == 0) {
                pace(2);
            }
        }
    }

    private SteadyReader steadyReader() throws InterruptedException {
        SteadyReader c = new SteadyReader(server.uri());
        assertThat(c.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        toClose.add(c::closeBlocking);
        c.await(m -> m.path("type").asText().equals("hello"));
        return c;
    }

    private static String resumeFromZero() {
        return "{\"type\":\"subscribe\",\"runId\":\"" + RUN + "\",\"sinceSequence\":0}";
    }

    private static void assertEveryEventInOrder(TestClient c, long last) {
        assertThat(c.ofType("snapshot")).as("history, not a snapshot").isEmpty();
        assertThat(c.sequences(RUN))
                .as("every event, in order, once")
                .isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
        DeliveredStreamCheck.Report report = c.check(RUN, 0);
        assertThat(report.complete()).as(report.toString()).isTrue();
    }

    @Test
    void aReaderResumingFromZeroGetsAHistoryThreeTimesTheSendBufferAndStaysConnected() throws Exception {
        SteadyReader c = steadyReader();
        c.send(resumeFromZero());
        long last = lastSequence(TASKS);
        c.await(m -> m.path("event").path("sequence").asLong() == last, Duration.ofSeconds(90));
        c.sync();

        assertThat(c.bytes.get()).as("the history is ≥ 3× the default buffer").isGreaterThan(3 * DEFAULT_BUFFER_BYTES);
        assertThat(c.closeCode).as("still open: " + c.closeReason).isEqualTo(-1);
        assertThat(server.counters().closedSlow.sum()).isZero();
        assertEveryEventInOrder(c, last);
    }

    @Test
    void liveEventsPublishedDuringTheReplayFollowItInOrderNoneLost() throws Exception {
        SteadyReader c = steadyReader();
        c.send(resumeFromZero());
        int more = 300;
        // Published while the history is on its way: the reader needs far longer than this for it.
        c.await(m -> m.path("type").asText().equals("event"), Duration.ofSeconds(30));
        long seenWhenPublishing = c.events().size();
        addTasks(TASKS, TASKS + more);
        assertThat(tracker.flush(Duration.ofSeconds(60))).isTrue();
        long last = lastSequence(TASKS + more);
        c.await(m -> m.path("event").path("sequence").asLong() == last, Duration.ofSeconds(90));
        c.sync();

        assertThat(seenWhenPublishing).as("publishing began during the replay").isLessThan(lastSequence(TASKS));
        assertThat(c.closeCode).as("still open: " + c.closeReason).isEqualTo(-1);
        List<ProgressEvent> live = c.events().stream()
                .filter(e -> e.sequence() > lastSequence(TASKS))
                .toList();
        assertThat(live).as("every live event").hasSize(3 * more);
        assertEveryEventInOrder(c, last);
    }

    @Test
    void aClientThatStopsReadingDuringTheReplayHoldsLittleAndIsClosedOnceLiveEventsPileUp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        WebSocket stalled = http.newWebSocketBuilder()
                .buildAsync(server.uri(), new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket ws) {
                        ws.sendText(resumeFromZero(), true);
                        // no request(n): after this the client reads nothing more
                    }
                })
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() >= 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> server.queuedBytes() > 0);

        // Socket buffers fill; what the server holds for it stays within its buffer and one hand-over.
        long maxQueued = 0;
        for (int i = 0; i < 20; i++) {
            maxQueued = Math.max(maxQueued, server.queuedBytes());
            TestClient.pace(20);
        }
        assertThat(maxQueued).isLessThanOrEqualTo(2 * DEFAULT_BUFFER_BYTES + 8 * 1024);

        // Live events of the run wait behind the history; more than sendBufferMessages of them close it.
        addTasks(TASKS, TASKS + 1_500);
        assertThat(tracker.flush(Duration.ofSeconds(60))).isTrue();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(server.counters().closedSlow.sum()).isEqualTo(1));
        stalled.abort();
    }
}

package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.DeliveredStreamCheck;
import dev.progresstracker.test.ScriptedStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that asks for a run from its start while the store writes behind the live stream gets
 * the stored events, then the rest from the server's memory. Progress events that conflation
 * replaced on the way to the server are missing from that memory as from every live client's
 * stream: no reason for a snapshot. A lifecycle event the memory no longer holds is.
 */
class ResumeBridgeTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
    private WebSocketProgressServer server;
    private GatedSink gate;
    private ProgressTracker tracker;

    @AfterEach
    void tearDown() throws Exception {
        store.release();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void progressConflatedOnTheWayToTheServerIsBridgedOverNotSnapshotted() throws Exception {
        start(64);
        storedUpToFour();
        // 5: a's progress at 20, held in the server's sink; 6 (30) is replaced by 7 (40) in its queue.
        behindTheStore(
                () -> tracker.updateTaskProgress("a", 20),
                () -> {
                    tracker.updateTaskProgress("a", 30);
                    tracker.updateTaskProgress("a", 40);
                    tracker.completeTask("a");
                },
                8);

        TestClient c = subscribeFromTheStart();
        c.await(m -> m.path("event").path("sequence").asLong() == 8);
        assertThat(c.ofType("snapshot")).as("bridged, not snapshotted").isEmpty();
        // Every lifecycle event and a's latest progress; 4 and 5 may also have been replaced by 7 in
        // this client's own buffer (the check below accounts for whatever was skipped).
        assertThat(c.sequences("r1"))
                .containsSubsequence(1L, 2L, 3L, 7L, 8L)
                .isSubsetOf(1L, 2L, 3L, 4L, 5L, 7L, 8L)
                .isSorted();
        ProgressEvent forty =
                c.events().stream().filter(e -> e.sequence() == 7).findFirst().orElseThrow();
        assertThat(forty.delivery().superseded()).as("40 says it replaced 30").isPositive();
        DeliveredStreamCheck.Report report = c.check("r1", 0);
        assertThat(report.complete()).as(report.toString()).isTrue();
    }

    @Test
    void aLifecycleEventTheMemoryNoLongerHoldsGivesASnapshot() throws Exception {
        start(2);
        storedUpToFour();
        // 5: b added, held in the server's sink; 6 b started; 7 (30) replaced by 8 (40); 9 b completed.
        // Memory keeps 8 and 9, so the stream after the store's 4 would lack task.started #6.
        behindTheStore(
                () -> tracker.addTask("b", "Task b", TaskType.UPGRADE_STEP, null),
                () -> {
                    tracker.startTask("b");
                    tracker.updateTaskProgress("b", 30);
                    tracker.updateTaskProgress("b", 40);
                    tracker.completeTask("b");
                },
                9);

        TestClient c = subscribeFromTheStart();
        JsonNode snapshot = c.await(m -> m.path("type").asText().equals("snapshot"));
        assertThat(snapshot.path("sequence").asLong()).isEqualTo(9);
        assertThat(c.events()).isEmpty();
    }

    private void start(int replayBufferEvents) {
        server = WebSocketProgressServer.builder()
                .config(WebSocketConfig.builder()
                        .port(0)
                        .replayBufferEvents(replayBufferEvents)
                        .build())
                .store(store)
                .start();
        toClose.add(server);
        gate = new GatedSink(server);
        TrackerFactory factory =
                TrackerFactory.builder().store(store).sink(gate).build();
        toClose.add(factory);
        tracker = factory.tracker("r1");
        toClose.add(tracker);
    }

    /** 1 started, 2 a added, 3 a started, 4 a at 10: stored and published. */
    private void storedUpToFour() {
        tracker.startUpgrade("prep");
        tracker.addTask("a", "Task a", TaskType.UPGRADE_STEP, null);
        tracker.startTask("a");
        tracker.updateTaskProgress("a", 10);
        assertThat(tracker.flush(LIMIT)).isTrue();
        assertThat(gate.published.get()).isEqualTo(4);
    }

    /**
     * With the store holding its appends: {@code first} is made and held in the server's sink, then
     * {@code rest} queues behind it (so that a newer progress event of a task replaces an older
     * one); then the sink goes on until the server has {@code last}.
     */
    private void behindTheStore(Runnable first, Runnable rest, long last) throws InterruptedException {
        store.hold();
        gate.hold();
        first.run();
        assertThat(gate.awaitHeld())
                .as("the server's sink holds the first event")
                .isTrue();
        rest.run();
        gate.open();
        await().atMost(LIMIT).until(() -> gate.published.get() == last);
        assertThat(store.eventsSince("r1", 0, 100).orElseThrow())
                .as("the store is behind")
                .hasSize(4);
    }

    private TestClient subscribeFromTheStart() throws InterruptedException {
        TestClient c = TestClient.open(server.uri());
        toClose.add(c::closeBlocking);
        c.request("{\"type\":\"subscribe\",\"runId\":\"r1\",\"sinceSequence\":0}");
        return c;
    }

    /** The server as the tracker's sink; {@link #hold()} makes the next publish wait for {@link #open()}. */
    private static final class GatedSink implements EventSink {
        private final WebSocketProgressServer server;
        final AtomicLong published = new AtomicLong();
        private volatile CountDownLatch gate;
        private volatile CountDownLatch held;

        GatedSink(WebSocketProgressServer server) {
            this.server = server;
        }

        void hold() {
            held = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }

        boolean awaitHeld() throws InterruptedException {
            return held.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        void open() {
            CountDownLatch g = gate;
            gate = null;
            g.countDown();
        }

        @Override
        public void publish(ProgressEvent event) throws Exception {
            CountDownLatch g = gate;
            if (g != null) {
                held.countDown();
                assertThat(g.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            }
            server.publish(event);
            published.set(event.sequence());
        }
    }
}

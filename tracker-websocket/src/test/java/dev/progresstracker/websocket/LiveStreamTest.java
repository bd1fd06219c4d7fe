package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.DeliveredStreamCheck;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;

/**
 * Caught-up clients read the run's shared live stream; a client that stops reading falls back to
 * its own conflating buffer with the events it had not had, and joins the live stream again once
 * it has caught up. Through all of it: order kept, no lifecycle event lost, nobody closed.
 */
class LiveStreamTest {

    private static final String RUN = "live";
    private static final String SUBSCRIBE = "{\"type\":\"subscribe\",\"runId\":\"" + RUN + "\"}";
    private static final String PAD = "p".repeat(4000);

    @Test
    void aClientFallsBehindAndCatchesUpWithoutLosingOrReorderingEvents() throws Exception {
        InMemoryProgressStore store = new InMemoryProgressStore(100_000); // every event, to count against
        try (WebSocketProgressServer server = WebSocketProgressServer.builder()
                        .store(store)
                        .config(WebSocketConfig.builder().port(0).build())
                        .start();
                TrackerFactory factory = TrackerFactory.builder()
                        .store(store)
                        .sink(server)
                        .config(TrackerConfig.builder()
                                .allowProgressRegression(true)
                                .build())
                        .build();
                ProgressTracker tracker = factory.tracker(RUN)) {
            TestClient healthy = TestClient.open(server.uri());
            healthy.request(SUBSCRIBE);
            GatedClient slow = new GatedClient(server);

            // Phase 1: both read; once their snapshots are out, both read from the live log.
            for (int i = 0; i < 20; i++) {
                tracker.addTask("t" + i, "Task " + i, TaskType.UPGRADE_STEP, null);
                tracker.startTask("t" + i);
            }
            emitProgress(tracker, 200, 0);
            long last1 = lastSequence(tracker);
            awaitTrue(
                    () -> healthy.events().stream().anyMatch(e -> e.sequence() == last1)
                            && slow.lastSequence() >= last1,
                    "both clients have phase 1");
            assertThat(server.counters().caughtUp.sum())
                    .as("subscriptions that went live")
                    .isGreaterThanOrEqualTo(2);

            // Phase 2: the slow client stops reading; ~50 MB of progress (the server socket's send buffer grows to 4
            // MB) fills its buffers.
            slow.pause();
            for (int round = 0; round < 120; round++) {
                emitProgress(tracker, 100, round);
                tracker.addTask("x" + round, "Extra " + round, TaskType.VALIDATION, null);
            }
            assertThat(tracker.flush(Duration.ofSeconds(30))).isTrue();
            awaitTrue(
                    () -> server.counters().fellBehind.sum() >= 1,
                    () -> "the stalled client fell behind (caught up "
                            + server.counters().caughtUp.sum() + ", conflated "
                            + server.counters().conflated.sum() + ", out "
                            + server.counters().messagesOut.sum() + ", queued bytes " + server.queuedBytes()
                            + ", slow client has "
                            + slow.lastSequence() + " of " + tracker.summary().lastSequence() + ")");
            assertThat(server.counters().conflated.sum())
                    .as("progress conflated for it")
                    .isPositive();

            // Phase 3: it reads again and catches up; more events arrive meanwhile.
            long caughtUpBefore = server.counters().caughtUp.sum();
            slow.resume();
            emitProgress(tracker, 200, 0);
            for (int i = 0; i < 20; i++) {
                tracker.completeTask("t" + i);
            }
            assertThat(tracker.flush(Duration.ofSeconds(30))).isTrue();
            long last = lastSequence(tracker);
            awaitTrue(() -> slow.lastSequence() >= last, "the slow client has every event up to " + last);
            awaitTrue(() -> healthy.events().stream().anyMatch(e -> e.sequence() == last), "the healthy client too");
            awaitTrue(() -> server.counters().caughtUp.sum() > caughtUpBefore, "the slow client went live again");

            List<ProgressEvent> all =
                    store.eventsSince(RUN, 0, Integer.MAX_VALUE).orElseThrow();
            List<Long> lifecycle = all.stream()
                    .filter(e -> e.type().isLifecycle())
                    .map(ProgressEvent::sequence)
                    .toList();
            for (List<ProgressEvent> got : List.of(healthy.events(), slow.events())) {
                assertThat(got).extracting(ProgressEvent::sequence).isSorted().doesNotHaveDuplicates();
                assertThat(got).extracting(ProgressEvent::sequence).containsAll(lifecycle);
            }
            assertThat(slow.events().size())
                    .as("the slow client got progress conflated")
                    .isLessThan(all.size());
            // Each client proves it from what it received alone: through live reading, falling behind
            // (conflated in its own buffer) and going live again.
            DeliveredStreamCheck.Report healthyReport = healthy.check(RUN, 0);
            assertThat(healthyReport.complete())
                    .as("healthy: %s", healthyReport)
                    .isTrue();
            DeliveredStreamCheck.Report slowReport = new DeliveredStreamCheck()
                    .startAfter(RUN, slow.snapshotSequence)
                    .addAll(slow.events())
                    .report();
            assertThat(slowReport.complete()).as("slow: %s", slowReport).isTrue();
            assertThat(server.counters().closedSlow.sum()).isZero();
            assertThat(server.connectionCount()).isEqualTo(2);
            slow.resume();
            slow.closeBlocking();
            healthy.closeBlocking();
        }
    }

    private static void emitProgress(ProgressTracker tracker, int n, int salt) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            tracker.updateTaskProgress("t" + (i % 20), (i + salt) % 100, PAD, null);
            if (i % 20 == 19) {
                Thread.sleep(2); // a paced stream, not one burst
            }
        }
    }

    private static long lastSequence(ProgressTracker tracker) {
        assertThat(tracker.flush(Duration.ofSeconds(30))).isTrue();
        return tracker.summary().lastSequence();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        awaitTrue(condition, () -> what);
    }

    private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(5))
                .untilAsserted(() -> assertThat(condition.getAsBoolean())
                        .as("waiting until %s", what.get())
                        .isTrue());
    }

    /**
     * A Java-WebSocket client that reads only while its gate is open: a closed gate blocks its read
     * thread, and its 64 KiB receive buffer (set before connecting, so the kernel does not grow it)
     * passes the backpressure to the server within a few events.
     */
    private static final class GatedClient extends WebSocketClient {
        private final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        private final List<String> invalid = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private volatile boolean snapshot;
        volatile long snapshotSequence;

        GatedClient(WebSocketProgressServer server) throws Exception {
            super(server.uri());
            setSocketFactory(new javax.net.SocketFactory() {
                @Override
                public Socket createSocket() throws java.net.SocketException {
                    Socket socket = new Socket();
                    socket.setReceiveBufferSize(64 * 1024);
                    return socket;
                }

                @Override
                public Socket createSocket(String host, int port) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Socket createSocket(java.net.InetAddress host, int port) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Socket createSocket(
                        java.net.InetAddress address, int port, java.net.InetAddress local, int localPort) {
                    throw new UnsupportedOperationException();
                }
            });
            assertThat(connectBlocking(10, TimeUnit.SECONDS)).isTrue();
            send(SUBSCRIBE);
            awaitTrue(() -> snapshot, "the gated client's snapshot");
        }

        @Override
        public void onOpen(ServerHandshake handshake) {}

        @Override
        public void onMessage(String message) {
            try {
                gate.await();
                JsonNode node = WireFormat.reader().readTree(message);
                String type = node.path("type").asText();
                if (type.equals("event")) {
                    events.add(WireFormat.readEvent(node.get("event")));
                } else if (type.equals("snapshot")) {
                    snapshotSequence = node.path("sequence").asLong();
                    snapshot = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                invalid.add(message + ": " + e);
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {}

        @Override
        public void onError(Exception ex) {}

        void pause() {
            gate = new CountDownLatch(1);
        }

        void resume() {
            gate.countDown();
        }

        List<ProgressEvent> events() {
            assertThat(invalid).isEmpty();
            return List.copyOf(events);
        }

        long lastSequence() {
            return events.isEmpty() ? 0 : events.get(events.size() - 1).sequence();
        }
    }
}

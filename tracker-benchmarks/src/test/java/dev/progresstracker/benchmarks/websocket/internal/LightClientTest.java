package dev.progresstracker.benchmarks.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.websocket.WebSocketConfig;
import dev.progresstracker.websocket.WebSocketProgressServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The light client against the real {@link WebSocketProgressServer}: handshake, subscribe, frames of
 * every length encoding (a snapshot and events over 64 KiB use the 64-bit length), every event's
 * sequence and time equal to what {@code WireFormat} reads from the same bytes, pings answered (the
 * server's idle timeout would otherwise close the clients), and the server's close code seen.
 */
class LightClientTest {

    private static final int CLIENTS = 5;
    private static final String SUBSCRIBE = "{\"type\":\"subscribe\",\"runId\":\"lc\"}";

    /** Records, per connection, what the client extracted and what WireFormat reads from the same payload. */
    private static final class Recorder implements LightClient.Listener {
        final Map<Integer, Queue<long[]>> scanned = new ConcurrentHashMap<>();
        final Map<Integer, Queue<long[]>> parsed = new ConcurrentHashMap<>();
        final Queue<Integer> payloadSizes = new ConcurrentLinkedQueue<>();
        final Queue<String> others = new ConcurrentLinkedQueue<>();

        @Override
        public void onEvent(Connection c, long sequence, long timeMicros, long receivedMicros) {
            scanned.computeIfAbsent(c.id(), k -> new ConcurrentLinkedQueue<>()).add(new long[] {sequence, timeMicros});
        }

        @Override
        public void onText(Connection c, byte[] a, int off, int len, int kind) {
            payloadSizes.add(len);
            String text = new String(a, off, len, StandardCharsets.UTF_8);
            if (kind != EventScanner.EVENT) {
                others.add(text.substring(0, Math.min(40, text.length())));
                return;
            }
            try {
                ProgressEvent e =
                        WireFormat.readEvent(WireFormat.reader().readTree(text).get("event"));
                long micros = e.header().time().getEpochSecond() * 1_000_000L
                        + e.header().time().getNano() / 1000;
                parsed.computeIfAbsent(c.id(), k -> new ConcurrentLinkedQueue<>())
                        .add(new long[] {e.sequence(), micros});
            } catch (IOException ex) {
                throw new AssertionError(ex);
            }
        }
    }

    @Test
    void receivesEveryEventInOrderWithTheFieldsWireFormatReads() throws Exception {
        InMemoryProgressStore store = new InMemoryProgressStore();
        Recorder rec = new Recorder();
        try (WebSocketProgressServer server = WebSocketProgressServer.builder()
                        .store(store)
                        .config(WebSocketConfig.builder()
                                .port(0)
                                .heartbeatInterval(Duration.ofMillis(100))
                                .idleTimeout(Duration.ofMillis(1500))
                                .build())
                        .start();
                TrackerFactory factory = TrackerFactory.builder()
                        .store(store)
                        .sink(server)
                        .config(dev.progresstracker.test.LimitCases.generous())
                        .build();
                ProgressTracker tracker = factory.tracker("lc");
                LightClient client = new LightClient(2, rec)) {

            // A 70 KB task name: the snapshot and this task's events need the 64-bit length.
            tracker.addTask("big", "b".repeat(70_000), TaskType.UPGRADE_STEP, null);
            tracker.startUpgrade("load");
            tracker.flush(Duration.ofSeconds(10));
            long first = tracker.summary().lastSequence() + 1; // what the snapshot does not cover
            List<Connection> conns = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                conns.add(client.connect(server.uri(), Map.of(), SUBSCRIBE, 0));
            }
            await(() -> conns.stream().allMatch(c -> c.otherMessages() >= 2), "hello + snapshot on every connection");
            conns.forEach(c -> c.send("{\"type\":\"ping\",\"id\":\"p" + c.id() + "\"}")); // pong: a short frame
            await(() -> conns.stream().allMatch(c -> c.otherMessages() >= 3), "a pong on every connection");

            for (int i = 0; i < 40; i++) {
                tracker.addTask("t" + i, "Task " + i, TaskType.UPGRADE_STEP, null);
                tracker.startTask("t" + i);
                tracker.completeTask("t" + i);
            }
            tracker.startTask("big");
            tracker.completeTask("big");
            tracker.flush(Duration.ofSeconds(10));
            long last = tracker.summary().lastSequence();
            await(() -> conns.stream().allMatch(c -> c.lastSequence() == last), "every connection at sequence " + last);
            // The connection counts an event before the listener has recorded it: wait for the listener too.
            await(
                    () -> conns.stream()
                            .allMatch(c -> rec.parsed
                                            .getOrDefault(c.id(), new ConcurrentLinkedQueue<>())
                                            .size()
                                    == last - first + 1),
                    "every event recorded by the listener");

            for (Connection c : conns) {
                List<long[]> scanned = new ArrayList<>(rec.scanned.get(c.id()));
                List<long[]> parsed = new ArrayList<>(rec.parsed.get(c.id()));
                assertThat(scanned).hasSize((int) (last - first + 1));
                for (int i = 0; i < scanned.size(); i++) {
                    assertThat(scanned.get(i)[0]).isEqualTo(first + i);
                    assertThat(scanned.get(i)).containsExactly(parsed.get(i));
                }
                assertThat(c.outOfOrder()).isZero();
                assertThat(c.skipped()).isZero();
            }
            assertThat(rec.payloadSizes)
                    .anyMatch(n -> n < 126)
                    .anyMatch(n -> n >= 126 && n <= 0xFFFF)
                    .anyMatch(n -> n > 0xFFFF);
            assertThat(rec.others)
                    .anyMatch(m -> m.startsWith("{\"type\":\"hello\""))
                    .anyMatch(m -> m.startsWith("{\"type\":\"snapshot\""))
                    .anyMatch(m -> m.startsWith("{\"type\":\"pong\""));

            // Heartbeats: only the pongs keep these silent clients past the 1.5 s idle timeout (a loaded machine
            // may stall a client thread for a good fraction of a second, hence not shorter).
            await(() -> conns.stream().allMatch(c -> c.pings() >= 25), "25 pings (2.5 s) on every connection");
            assertThat(conns).allMatch(c -> c.state() == Connection.State.OPEN);
            assertThat(server.connectionCount()).isEqualTo(CLIENTS);

            server.stop();
            await(() -> conns.stream().allMatch(c -> c.state() == Connection.State.CLOSED), "all closed");
            assertThat(conns).allSatisfy(c -> {
                assertThat(c.closeCode()).isEqualTo(1001);
                assertThat(c.error()).isNull();
            });
        }
    }

    @Test
    void aRefusedHandshakeEndsTheConnectionWithTheReason() throws Exception {
        Queue<Connection> closed = new ConcurrentLinkedQueue<>();
        try (WebSocketProgressServer server = WebSocketProgressServer.builder()
                        .config(WebSocketConfig.builder()
                                .port(0)
                                .authToken("a-token-of-sixteen-chars")
                                .build())
                        .start();
                LightClient client = new LightClient(1, new LightClient.Listener() {
                    @Override
                    public void onEvent(Connection c, long sequence, long timeMicros, long receivedMicros) {}

                    @Override
                    public void onClosed(Connection c, int code, String reason, Throwable error) {
                        closed.add(c);
                    }
                })) {
            Connection refused = client.connect(server.uri(), Map.of(), SUBSCRIBE, 0);
            Connection admitted = client.connect(
                    server.uri(), Map.of("Authorization", "Bearer a-token-of-sixteen-chars"), SUBSCRIBE, 0);
            await(() -> closed.contains(refused), "the refused connection ends");
            assertThat(refused.error())
                    .isInstanceOf(Handshake.HandshakeException.class)
                    .hasMessageContaining("HTTP/1.1 401");
            assertThat(refused.closeReason()).startsWith("handshake failed");
            await(() -> admitted.otherMessages() >= 2, "the admitted connection gets hello and snapshot");
            assertThat(admitted.state()).isEqualTo(Connection.State.OPEN);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(condition::getAsBoolean);
    }
}

package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connections that never finish the HTTP upgrade (half send part of a request, half nothing) are
 * closed after the handshake timeout, and no more than {@code maxPendingHandshakes} are held at once,
 * while a normal client is served throughout.
 */
class HalfOpenConnectionTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);
    /** Generous: on a loaded 2-core machine the selector may take seconds to accept a thousand sockets. */
    private static final Duration SLACK = Duration.ofSeconds(30);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<Socket> halfOpen = new ArrayList<>();
    private WebSocketProgressServer server;
    private ProgressTracker tracker;
    private int tasks;

    @AfterEach
    void tearDown() throws Exception {
        closeHalfOpen();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private void start(WebSocketConfig.Builder config) {
        InMemoryProgressStore store = new InMemoryProgressStore();
        server = WebSocketProgressServer.builder()
                .store(store)
                .config(config.port(0).build())
                .start();
        toClose.add(server);
        TrackerFactory factory =
                TrackerFactory.builder().store(store).sink(server).build();
        toClose.add(factory);
        tracker = factory.tracker("served");
        toClose.add(tracker);
    }

    private TestClient client() throws InterruptedException {
        TestClient c = TestClient.open(server.uri());
        toClose.add(c::closeBlocking);
        return c;
    }

    /** {@code n} connections: even ones send the start of an upgrade request, odd ones nothing. */
    private void openHalfOpen(int n) throws IOException {
        byte[] partial = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nUpgrade: websocket\r\nSec-WebSo")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) {
            Socket s = new Socket(server.uri().getHost(), server.port());
            halfOpen.add(s);
            if (i % 2 == 0) {
                s.getOutputStream().write(partial);
                s.getOutputStream().flush();
            }
        }
    }

    private void closeHalfOpen() {
        for (Socket s : halfOpen) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        halfOpen.clear();
    }

    /** Whether the server closed {@code s}: end of stream or a reset (an answer before that is read past). */
    private static boolean closedByServer(Socket s, Duration wait) throws IOException {
        s.setSoTimeout((int) wait.toMillis());
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        try {
            while (in.read(buf) >= 0) {
                // a 503 may come first
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset: the server closed with our request unread
        }
    }

    private void work(int n) {
        for (int i = 0; i < n; i++) {
            String id = "t" + tasks++;
            tracker.addTask(id, id, TaskType.UPGRADE_STEP, null);
            tracker.startTask(id);
            tracker.completeTask(id);
        }
        assertThat(tracker.flush(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aThousandHalfOpenConnectionsAreClosedAfterTheHandshakeTimeoutWhileANormalClientIsServed() throws Exception {
        assumeThat(ServerSockets.available()).as("needs /proc (Linux)").isTrue();
        start(WebSocketConfig.builder().handshakeTimeout(HANDSHAKE_TIMEOUT).maxPendingHandshakes(2000));
        TestClient early = client();
        early.request("{\"type\":\"subscribe\",\"runId\":\"served\"}");
        work(2);
        int port = server.port();
        int acceptedBefore = ServerSockets.acceptedOn(port);
        int descriptorsBefore = ServerSockets.openDescriptors();
        assertThat(acceptedBefore).isEqualTo(1);

        openHalfOpen(1000);
        // Served while they are held: a client connected before subscribes to more, one connects anew.
        await().atMost(SLACK).until(() -> server.pendingHandshakeCount() > 0); // held, not yet timed out
        TestClient late = client();
        late.request("{\"type\":\"subscribe\",\"runId\":\"served\"}");
        early.request("{\"type\":\"getSummary\"}");
        work(5);
        long last = tasks * 3L;
        for (TestClient c : List.of(early, late)) {
            c.await(m -> m.path("event").path("sequence").asLong() == last);
        }
        assertThat(early.sequences("served"))
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, last).boxed().toList());
        assertThat(server.connectionCount())
                .as("half-open connections are not clients")
                .isEqualTo(2);

        await().atMost(HANDSHAKE_TIMEOUT.plus(SLACK)).untilAsserted(() -> {
            assertThat(server.pendingHandshakeCount()).isZero();
            assertThat(ServerSockets.acceptedOn(port)).as("server-side sockets").isEqualTo(2);
        });
        assertThat(server.counters().handshakesTimedOut.sum()).isEqualTo(1000);
        assertThat(server.counters().rejectedHandshakes("pending")).isZero();
        for (Socket s : halfOpen) {
            assertThat(closedByServer(s, Duration.ofSeconds(5)))
                    .as("closed by the server")
                    .isTrue();
        }
        closeHalfOpen();
        await().atMost(SLACK)
                .untilAsserted(() -> assertThat(ServerSockets.openDescriptors())
                        .as("descriptors (the new client adds its own and the server's side)")
                        .isLessThanOrEqualTo(descriptorsBefore + 2 + 8));

        work(1); // both still served afterwards
        long after = tasks * 3L;
        for (TestClient c : List.of(early, late)) {
            c.await(m -> m.path("event").path("sequence").asLong() == after);
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void pendingHandshakesOverTheLimitAreRefusedAtOnceAndNewClientsGetInOnceTheyAreGone() throws Exception {
        assumeThat(ServerSockets.available()).as("needs /proc (Linux)").isTrue();
        // A timeout far longer than the test: whatever closes here, the limit closed.
        start(WebSocketConfig.builder().handshakeTimeout(Duration.ofMinutes(5)).maxPendingHandshakes(50));
        TestClient observer = client();
        observer.request("{\"type\":\"subscribe\",\"runId\":\"served\"}");
        int port = server.port();

        openHalfOpen(200);
        await().atMost(SLACK).untilAsserted(() -> {
            assertThat(server.counters().rejectedHandshakes("pending")).isEqualTo(150);
            assertThat(server.pendingHandshakeCount()).isEqualTo(50);
            assertThat(ServerSockets.acceptedOn(port))
                    .as("server-side sockets: observer and 50 pending")
                    .isEqualTo(51);
        });
        int refused = 0;
        for (Socket s : halfOpen) {
            if (closedByServer(s, Duration.ofMillis(50))) {
                refused++;
            }
        }
        assertThat(refused).as("sockets the server closed").isEqualTo(150);
        // While 50 are pending a new connection is refused too (HTTP 503 or a reset), the observer is served.
        assertThatThrownBy(() -> TestClient.open(server.uri())).isInstanceOf(AssertionError.class);
        work(3);
        observer.await(m -> m.path("event").path("sequence").asLong() == tasks * 3L);

        closeHalfOpen(); // the peers go away: their slots are free again
        await().atMost(SLACK)
                .untilAsserted(() -> assertThat(server.pendingHandshakeCount()).isZero());
        TestClient next = client();
        next.request("{\"type\":\"subscribe\",\"runId\":\"served\"}");
        work(1);
        next.await(m -> m.path("event").path("sequence").asLong() == tasks * 3L);
        assertThat(server.counters().handshakesTimedOut.sum()).isZero();
    }
}

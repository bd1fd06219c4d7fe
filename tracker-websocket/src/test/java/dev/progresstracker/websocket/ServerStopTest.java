package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WebSocketProgressServer#stop()} ends every connection, also those whose close handshake
 * cannot finish: a client that reads nothing never takes the close frame, and its socket must still
 * be closed (Java-WebSocket's own shutdown leaves it open, and the client waiting for good).
 */
class ServerStopTest {

    private static final String RUN = "stop";
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void aClientThatReadsNothingIsDisconnectedWhenTheServerStops() throws Exception {
        InMemoryProgressStore store = new InMemoryProgressStore();
        WebSocketProgressServer server = WebSocketProgressServer.builder()
                .store(store)
                .config(WebSocketConfig.builder().port(0).build())
                .start();
        toClose.add(server);
        TrackerFactory factory =
                TrackerFactory.builder().store(store).sink(server).build();
        toClose.add(factory);
        ProgressTracker tracker = factory.tracker(RUN);
        toClose.add(tracker);
        // A snapshot of several MB: far more than the socket buffers of a client that reads nothing hold.
        for (int batch = 0; batch < 20; batch++) {
            List<TaskSpec> specs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                specs.add(TaskSpec.of(
                        "task-" + batch + "-" + i, "Drain node group " + "n".repeat(200), TaskType.UPGRADE_STEP));
            }
            tracker.addTasks(specs);
        }
        assertThat(tracker.flush(Duration.ofSeconds(30))).isTrue();

        Socket stalled = upgradedSocket(server.uri());
        toClose.add(stalled);
        stalled.getOutputStream()
                .write(RawHandshake.frame(
                        0x1,
                        ("{\"type\":\"subscribe\",\"runId\":\"" + RUN + "\"}").getBytes(StandardCharsets.UTF_8),
                        true));
        stalled.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.queuedBytes() > 0); // the server is stuck writing to it

        server.stop();

        assertThat(readToEnd(stalled, Duration.ofSeconds(20)))
                .as("the stalled client's socket ends after stop() instead of staying open")
                .isTrue();
        assertThat(server.connectionCount()).isZero();
    }

    private static Socket upgradedSocket(URI uri) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096); // before connecting: a small window, so the server's writes stall soon
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        s.setSoTimeout(10_000);
        String request = "GET / HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertThat(RawHandshake.readResponse(s.getInputStream())).startsWith("HTTP/1.1 101");
        return s;
    }

    /** Reads (and drops) everything; true when the stream ended, false when nothing came for {@code quiet}. */
    private static boolean readToEnd(Socket s, Duration quiet) throws IOException {
        s.setSoTimeout((int) quiet.toMillis());
        byte[] buf = new byte[64 * 1024];
        try {
            while (s.getInputStream().read(buf) >= 0) {
                // drop it: only the end counts
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset: ended as well
        }
    }
}

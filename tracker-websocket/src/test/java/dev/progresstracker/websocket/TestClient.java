package dev.progresstracker.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.test.DeliveredStreamCheck;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** A real Java-WebSocket client that records every message it receives, parsed. */
class TestClient extends WebSocketClient {

    final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile int closeCode = -1;
    volatile String closeReason;
    private int pings;
    private final java.util.concurrent.atomic.AtomicInteger protocolPings =
            new java.util.concurrent.atomic.AtomicInteger();

    TestClient(URI uri) {
        super(uri);
    }

    TestClient(URI uri, Map<String, String> headers) {
        super(uri, headers);
    }

    static TestClient open(URI uri) throws InterruptedException {
        return open(uri, Map.of());
    }

    static TestClient open(URI uri, Map<String, String> headers) throws InterruptedException {
        TestClient c = new TestClient(uri, headers);
        if (!c.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new AssertionError("could not connect to " + uri + ": " + c.closeCode + " " + c.closeReason);
        }
        c.await(m -> m.path("type").asText().equals("hello"));
        return c;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {
        try {
            messages.add(WireFormat.reader().readTree(message));
        } catch (Exception e) {
            throw new IllegalStateException("server sent invalid JSON: " + message, e);
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeCode = code;
        closeReason = reason;
        closed.countDown();
    }

    @Override
    public void onError(Exception ex) {}

    @Override
    public void onWebsocketPing(org.java_websocket.WebSocket conn, org.java_websocket.framing.Framedata f) {
        protocolPings.incrementAndGet();
        super.onWebsocketPing(conn, f); // answers with a pong
    }

    /** WebSocket ping frames (the server's heartbeat) received so far. */
    int protocolPings() {
        return protocolPings.get();
    }

    /** Sends {@code json} and waits for the server to have processed it (a ping/pong round trip after it). */
    void request(String json) {
        send(json);
        sync();
    }

    /** Waits until the server has processed everything sent so far. */
    void sync() {
        String id = "sync-" + (++pings);
        send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        await(m ->
                m.path("type").asText().equals("pong") && m.path("id").asText().equals(id));
    }

    JsonNode await(Predicate<JsonNode> p) {
        return await(p, Duration.ofSeconds(20));
    }

    JsonNode await(Predicate<JsonNode> p, Duration timeout) {
        try {
            return Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> messages.stream().filter(p).findFirst().orElse(null), java.util.Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(noMatch(timeout), e);
        }
    }

    private String noMatch(Duration timeout) {
        String got = messages.stream()
                .map(m -> {
                    String t = m.toString();
                    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
                })
                .skip(Math.max(0, messages.size() - 5))
                .toList()
                .toString();
        return "no matching message within " + timeout + "; " + messages.size() + " received, closed " + closeCode + " "
                + closeReason + "; last: " + got;
    }

    List<JsonNode> ofType(String type) {
        return messages.stream()
                .filter(m -> m.path("type").asText().equals(type))
                .toList();
    }

    /** Every event received, parsed back into events, in arrival order. */
    List<ProgressEvent> events() {
        List<ProgressEvent> out = new ArrayList<>();
        for (JsonNode m : messages) {
            if (m.path("type").asText().equals("event")) {
                out.add(WireFormat.readEvent(m.get("event")));
            }
        }
        return out;
    }

    /**
     * What {@link DeliveredStreamCheck} proves from the events received of {@code runId}, after the
     * client's first snapshot of it (or after {@code since} when it resumed without one).
     */
    DeliveredStreamCheck.Report check(String runId, long since) {
        DeliveredStreamCheck check = new DeliveredStreamCheck();
        long after = messages.stream()
                .filter(m -> m.path("type").asText().equals("snapshot")
                        && m.path("runId").asText().equals(runId))
                .mapToLong(m -> m.path("sequence").asLong())
                .findFirst()
                .orElse(since);
        check.startAfter(runId, after);
        events().stream().filter(e -> e.runId().equals(runId)).forEach(check::add);
        return check.report();
    }

    List<Long> sequences(String runId) {
        return events().stream()
                .filter(e -> e.runId().equals(runId))
                .map(ProgressEvent::sequence)
                .toList();
    }

    boolean awaitClose(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Paces a producer or a client's requests (never a wait for a result: use {@link #await}). */
    static void pace(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

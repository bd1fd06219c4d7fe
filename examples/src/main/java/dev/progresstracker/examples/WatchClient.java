package dev.progresstracker.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.examples.terminal.ProgressLine;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a tracker's WebSocket stream: subscribes, keeps a {@link RunProjection} per run, and
 * reconnects with {@code sinceSequence} after a drop so nothing is missed. Callbacks run on the
 * client's thread.
 */
public final class WatchClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchClient.class);

    private final URI uri;
    private final String runId;
    private final String token;
    private final Consumer<RunProjection> onChange;
    private final Map<String, RunProjection> runs = new ConcurrentHashMap<>();
    private volatile Client client;
    private volatile boolean closed;
    private volatile String lastError;

    /**
     * @param runId  the run to follow, or {@code "*"} for every run
     * @param token  bearer token, or null
     */
    public WatchClient(URI uri, String runId, String token, Consumer<RunProjection> onChange) {
        this.uri = uri;
        this.runId = runId;
        this.token = token;
        this.onChange = onChange;
    }

    /** Connects; returns false if the server could not be reached within {@code timeout}. */
    public boolean connect(Duration timeout) throws InterruptedException {
        Client c = new Client(uri, headers());
        client = c;
        return c.connectBlocking(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Connects again if the connection dropped; resumes every run from its last sequence. */
    public boolean reconnectIfNeeded(Duration timeout) throws InterruptedException {
        Client c = client;
        if (closed || (c != null && c.isOpen())) {
            return c != null && c.isOpen();
        }
        return connect(timeout);
    }

    public Optional<RunProjection> run(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    public Map<String, RunProjection> runs() {
        return runs;
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        closed = true;
        Client c = client;
        if (c != null) {
            c.close();
        }
    }

    /** What the terminal shows of {@code p}. */
    public static ProgressLine line(RunProjection p) {
        int done = 0;
        int completed = 0;
        for (TaskView t : p.tasks()) {
            if (t.status().isFinal()) {
                done++;
            }
            if (t.status() == TaskStatus.COMPLETED) {
                completed++;
            }
        }
        Instant start = p.info().startedAt();
        Instant end = p.info().finishedAt() != null ? p.info().finishedAt() : Instant.now();
        double minutes = start == null ? 0 : Duration.between(start, end).toMillis() / 60_000.0;
        return ProgressLine.of(p.info(), done, p.taskCount(), minutes > 0 ? completed / minutes : Double.NaN);
    }

    private final class Client extends WebSocketClient {
        Client(URI target, Map<String, String> headers) {
            super(target, headers);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            ObjectNode sub = JsonNodeFactory.instance
                    .objectNode()
                    .put("type", "subscribe")
                    .put("runId", runId);
            if (!runs.isEmpty()) {
                ObjectNode since = sub.putObject("sinceSequences");
                runs.forEach((id, p) -> since.put(id, p.lastSequence()));
                sub.remove("runId");
                if ("*".equals(runId)) {
                    sub.put("runId", "*");
                }
            }
            send(sub.toString());
        }

        @Override
        public void onMessage(String message) {
            try {
                JsonNode n = WireFormat.reader().readTree(message);
                String type = n.path("type").asText();
                if (type.equals("snapshot")) {
                    RunProjection p = RunProjection.of(WireFormat.readRunState(n), RunProjection.Mode.ALLOW_GAPS);
                    runs.put(p.runId(), p);
                    onChange.accept(p);
                } else if (type.equals("event")) {
                    var event = WireFormat.readEvent(n.get("event"));
                    RunProjection p = runs.computeIfAbsent(
                            event.runId(), id -> new RunProjection(id, RunProjection.Mode.ALLOW_GAPS));
                    p.apply(event);
                    onChange.accept(p);
                } else if (type.equals("error")) {
                    lastError =
                            n.path("code").asText() + ": " + n.path("message").asText();
                    LOG.warn("server error {}", lastError);
                }
            } catch (Exception e) {
                LOG.warn("could not read a message from {}: {}", uri, e.toString());
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            if (!closed) {
                lastError = "connection closed (" + code + (reason.isBlank() ? "" : ": " + reason) + ")";
            }
        }

        @Override
        public void onError(Exception ex) {
            lastError = ex.toString();
        }
    }

    private Map<String, String> headers() {
        Map<String, String> h = new HashMap<>();
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        return h;
    }
}

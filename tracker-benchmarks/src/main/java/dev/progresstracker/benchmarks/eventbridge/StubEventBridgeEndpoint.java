package dev.progresstracker.benchmarks.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.progresstracker.core.json.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP endpoint on 127.0.0.1 that accepts every {@code PutEvents} at once (AWS JSON 1.1, one
 * {@code EventId} per entry). The sink still goes through the real SDK client (signing, Netty,
 * marshalling); only the emulator's own CPU and answer time are gone, so a pass against it shows
 * what the sink itself costs the caller and how much lag the sink itself adds.
 */
final class StubEventBridgeEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();

    StubEventBridgeEndpoint() throws IOException {
        // Without TCP_NODELAY the server's separate header and body writes meet the client's delayed
        // ACK (Nagle), and every call takes ~40 ms: the stub would measure TCP, not the sink.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "stub-eventbridge");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    long entries() {
        return entries.get();
    }

    long calls() {
        return calls.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode request;
            try (InputStream in = ex.getRequestBody()) {
                request = WireFormat.reader().readTree(in);
            }
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"AWSEvents.PutEvents".equals(target)
                    || request == null
                    || !request.path("Entries").isArray()) {
                byte[] body = ("{\"__type\":\"ValidationException\",\"message\":\"stub answers PutEvents only, got "
                                + target + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                send(ex, 400, body);
                return;
            }
            int n = request.get("Entries").size();
            StringBuilder sb = new StringBuilder(32 + n * 56).append("{\"FailedEntryCount\":0,\"Entries\":[");
            long first = entries.getAndAdd(n);
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : ",")
                        .append("{\"EventId\":\"stub-")
                        .append(first + i)
                        .append("\"}");
            }
            calls.incrementAndGet();
            send(ex, 200, sb.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        ex.getResponseHeaders().set("x-amzn-RequestId", "stub");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

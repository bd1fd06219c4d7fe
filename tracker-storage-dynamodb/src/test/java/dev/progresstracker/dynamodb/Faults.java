package dev.progresstracker.dynamodb;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Faults injected between the SDK client and the emulator. */
final class Faults {

    private Faults() {}

    /**
     * A small HTTP proxy in front of the emulator that, while throttling is on, answers every write
     * request ({@code PutItem}, {@code BatchWriteItem}) with DynamoDB's own throttling response (HTTP
     * 400, {@code ThrottlingException}) without forwarding it, as a table over its capacity does. The
     * SDK sees the real wire response, so its own retries and metrics run as in production. Reads pass.
     */
    static final class ThrottlingProxy implements AutoCloseable {
        private static final Set<String> WRITES =
                Set.of("DynamoDB_20120810.PutItem", "DynamoDB_20120810.BatchWriteItem");
        private static final Set<String> NOT_FORWARDED =
                Set.of("host", "content-length", "connection", "expect", "transfer-encoding", "upgrade", "keep-alive");
        private static final byte[] THROTTLED = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\","
                        + "\"message\":\"Rate of requests exceeds the allowed throughput (injected)\"}")
                .getBytes(StandardCharsets.UTF_8);

        final AtomicInteger throttled = new AtomicInteger();
        private final URI target;
        private final HttpServer server;
        private final ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "throttling-proxy");
            t.setDaemon(true);
            return t;
        });
        private final HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private volatile boolean on;

        ThrottlingProxy(URI target) throws IOException {
            this.target = target;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.createContext("/", this::handle);
            server.setExecutor(executor);
            server.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        ThrottlingProxy on() {
            on = true;
            return this;
        }

        ThrottlingProxy off() {
            on = false;
            return this;
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex;
                    InputStream in = ex.getRequestBody()) {
                byte[] body = in.readAllBytes();
                String op = ex.getRequestHeaders().getFirst("X-Amz-Target");
                if (on && WRITES.contains(op)) {
                    throttled.incrementAndGet();
                    ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                    ex.getResponseHeaders().add("x-amzn-RequestId", "throttled-" + throttled.get());
                    send(ex, 400, THROTTLED);
                    return;
                }
                HttpRequest.Builder req = HttpRequest.newBuilder(
                                target.resolve(ex.getRequestURI().toString()))
                        .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                    if (!NOT_FORWARDED.contains(h.getKey().toLowerCase())) {
                        h.getValue().forEach(v -> req.header(h.getKey(), v));
                    }
                }
                HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                r.headers().map().forEach((k, vs) -> {
                    if (!NOT_FORWARDED.contains(k.toLowerCase()) && !k.startsWith(":")) {
                        vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                    }
                });
                send(ex, r.statusCode(), r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
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
}

package dev.progresstracker.benchmarks.websocket;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.websocket.WebSocketConfig;
import dev.progresstracker.websocket.WebSocketProgressServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load driver for the WebSocket server: N clients on loopback follow one run that emits R events/s
 * for T seconds. The first half runs with healthy clients only; in the second half one more client
 * subscribes and then stops reading. Prints p50/p99 delivery latency (event time to receipt) of the
 * healthy clients in both halves, their ratio, delivery counts, and the server's peak buffered bytes
 * and heap. Run:
 *
 * <pre>java -cp tracker-benchmarks/target/benchmarks.jar dev.progresstracker.benchmarks.websocket.WebSocketLoadDriver
 *     [clients=1000] [rate=1000] [seconds=60]</pre>
 */
public final class WebSocketLoadDriver {

    private WebSocketLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        System.out.printf(Locale.ROOT, "WebSocket load: %d clients, %d events/s, %d s (half without, half with a stalled client)%n",
                clients, rate, seconds);

        InMemoryProgressStore store = new InMemoryProgressStore();
        WebSocketProgressServer server = WebSocketProgressServer.builder().store(store).config(WebSocketConfig.builder()
                .port(0).maxConnections(clients + 16).workerThreads(2).build()).start();
        TrackerFactory factory = TrackerFactory.builder().store(store).sink(server)
                .config(TrackerConfig.builder().allowProgressRegression(true).build()).build();
        ProgressTracker tracker = factory.tracker("load");
        int tasks = 100;
        for (int i = 0; i < tasks; i++) {
            tracker.addTask("t" + i, "Task " + i, TaskType.UPGRADE_STEP, null);
            tracker.startTask("t" + i);
        }
        tracker.startUpgrade("load");

        AtomicReference<LatencyHistogram> current = new AtomicReference<>(new LatencyHistogram());
        AtomicLong received = new AtomicLong();
        ExecutorService callbacks = Executors.newFixedThreadPool(2);
        HttpClient http = HttpClient.newBuilder().executor(callbacks).build();
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            sockets.add(connect(http, server.uri(), current, received, false));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.connectionCount() < clients && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        System.out.printf(Locale.ROOT, "connected: %d%n", server.connectionCount());

        Runtime rt = Runtime.getRuntime();
        long[] peak = new long[2]; // queued bytes, heap
        LatencyHistogram first = current.get();
        run(tracker, tasks, rate, seconds / 2, server, rt, peak);
        long sentFirst = (long) rate * (seconds / 2);
        long gotFirst = received.getAndSet(0);

        LatencyHistogram second = new LatencyHistogram();
        current.set(second);
        WebSocket stalled = connect(http, server.uri(), current, received, true);
        long sentSecond = (long) rate * (seconds - seconds / 2);
        run(tracker, tasks, rate, seconds - seconds / 2, server, rt, peak);
        Thread.sleep(1000);
        long gotSecond = received.get();

        double p50a = first.quantileMillis(0.50);
        double p99a = first.quantileMillis(0.99);
        double p50b = second.quantileMillis(0.50);
        double p99b = second.quantileMillis(0.99);
        System.out.printf(Locale.ROOT, "phase 1 (healthy only):   p50 %.2f ms  p99 %.2f ms  delivered %d of %d (%.1f%%)%n",
                p50a, p99a, gotFirst, sentFirst * clients, 100.0 * gotFirst / (sentFirst * clients));
        System.out.printf(Locale.ROOT, "phase 2 (+1 stalled):     p50 %.2f ms  p99 %.2f ms  delivered %d of %d (%.1f%%)%n",
                p50b, p99b, gotSecond, sentSecond * clients, 100.0 * gotSecond / (sentSecond * clients));
        System.out.printf(Locale.ROOT, "p99 ratio phase2/phase1:  %.2f%n", p99b / p99a);
        System.out.printf(Locale.ROOT, "stalled client closed as slow: %d; conflated: %d; server peak buffered: %.1f MiB; "
                        + "peak heap (whole JVM, clients included): %.0f MiB%n",
                server.counters().closedSlow.sum(), server.counters().conflated.sum(), peak[0] / 1048576.0,
                peak[1] / 1048576.0);
        stalled.abort();
        sockets.forEach(WebSocket::abort);
        tracker.close();
        factory.close();
        callbacks.shutdownNow();
        System.exit(0);
    }

    /** Emits {@code rate} progress events per second for {@code seconds}, sampling memory. */
    private static long run(ProgressTracker tracker, int tasks, int rate, int seconds, WebSocketProgressServer server,
                            Runtime rt, long[] peak) throws InterruptedException {
        long start = System.nanoTime();
        long emitted = 0;
        long total = (long) rate * seconds;
        long lastSample = 0;
        while (emitted < total) {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
            while (emitted < due) {
                int t = (int) (emitted % tasks);
                tracker.updateTaskProgress("t" + t, (emitted / tasks) % 100);
                emitted++;
            }
            long now = System.nanoTime();
            if (now - lastSample > 100_000_000L) {
                lastSample = now;
                peak[0] = Math.max(peak[0], server.queuedBytes());
                peak[1] = Math.max(peak[1], rt.totalMemory() - rt.freeMemory());
            }
            Thread.sleep(1);
        }
        return emitted;
    }

    private static WebSocket connect(HttpClient http, URI uri, AtomicReference<LatencyHistogram> histogram,
                                     AtomicLong received, boolean stall) throws Exception {
        CompletableFuture<WebSocket> ws = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder part = new StringBuilder();

            @Override
            public void onOpen(WebSocket w) {
                w.sendText("{\"type\":\"subscribe\",\"runId\":\"load\"}", true);
                w.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                if (stall) {
                    return null; // never asks for more: the server sees a client that stopped reading
                }
                if (last && part.length() == 0) {
                    record(data, histogram.get(), received);
                } else {
                    part.append(data);
                    if (last) {
                        record(part, histogram.get(), received);
                        part.setLength(0);
                    }
                }
                w.request(1);
                return null;
            }
        });
        return ws.get(60, TimeUnit.SECONDS);
    }

    private static void record(CharSequence msg, LatencyHistogram h, AtomicLong received) {
        String s = msg.toString();
        int i = s.indexOf("\"time\":\"");
        if (!s.startsWith("{\"type\":\"event\"") || i < 0) {
            return;
        }
        int end = s.indexOf('"', i + 8);
        Instant sent = Instant.parse(s.substring(i + 8, end));
        Instant now = Instant.now();
        long nanos = (now.getEpochSecond() - sent.getEpochSecond()) * 1_000_000_000L + (now.getNano() - sent.getNano());
        h.record(nanos);
        received.incrementAndGet();
    }
}

package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading (JDK WebSocket with no demand) is closed once its bounded buffer is
 * full, while a healthy client receives every event in order and the server's buffers stay bounded.
 */
class BackpressureTest {

    /** Task names of 2,000 characters make large events; the default call-site limit is 512. */
    private static final dev.progresstracker.core.TrackerConfig LONG_NAMES =
            dev.progresstracker.core.TrackerConfig.builder()
                    .limits(dev.progresstracker.core.EventLimits.builder()
                            .maxNameLength(4096)
                            .build())
                    .build();

    private static final int BUFFER_BYTES = 4 * 1024 * 1024;

    @Test
    void aStalledClientIsClosedAndNeverDelaysTheOthers() throws Exception {
        InMemoryProgressStore store = new InMemoryProgressStore();
        try (WebSocketProgressServer server = WebSocketProgressServer.builder()
                        .store(store)
                        .config(WebSocketConfig.builder()
                                .port(0)
                                .sendBufferBytes(BUFFER_BYTES)
                                .sendBufferMessages(100_000)
                                .build())
                        .start();
                TrackerFactory factory = TrackerFactory.builder()
                        .store(store)
                        .sink(server)
                        .config(LONG_NAMES)
                        .build();
                ProgressTracker tracker = factory.tracker("bp")) {

            TestClient healthy = TestClient.open(server.uri());
            healthy.request("{\"type\":\"subscribe\",\"runId\":\"bp\"}");
            HttpClient http = HttpClient.newHttpClient();
            WebSocket stalled = http.newWebSocketBuilder()
                    .buildAsync(server.uri(), new WebSocket.Listener() {
                        @Override
                        public void onOpen(WebSocket ws) {
                            ws.sendText("{\"type\":\"subscribe\",\"runId\":\"bp\"}", true);
                            // no request(n): after this the client reads nothing more
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() >= 2);

            String longName = "n".repeat(2000); // every event carries the task: ~2.3 KB each
            // ~12 MB in all: more than the stalled client's socket buffers plus its 4 MiB on the server.
            int tasks = 1800;
            long maxQueued = 0;
            for (int i = 0; i < tasks; i++) {
                String id = "t" + i;
                tracker.addTask(id, longName, TaskType.UPGRADE_STEP, null);
                tracker.startTask(id);
                tracker.completeTask(id);
                if (i % 20 == 0) {
                    // A steady ~2.5 MB/s that a healthy reader keeps up with even on a busy machine.
                    maxQueued = Math.max(maxQueued, server.queuedBytes());
                    Thread.sleep(50);
                }
            }
            assertThat(tracker.flush(Duration.ofSeconds(30))).isTrue();
            long last = tasks * 3L;
            healthy.await(m -> m.path("event").path("sequence").asLong() == last, Duration.ofSeconds(60));

            List<ProgressEvent> got = healthy.events();
            assertThat(got.stream().filter(e -> e.type().isLifecycle()).count()).isEqualTo(tasks * 3L);
            assertThat(got).extracting(ProgressEvent::sequence).isSorted().doesNotHaveDuplicates();
            assertThat(healthy.isOpen()).isTrue();

            assertThat(server.counters().closedSlow.sum())
                    .as("the stalled client was closed")
                    .isEqualTo(1);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(server.connectionCount()).isEqualTo(1));
            // Two clients' buffers at most, plus one message of slack.
            assertThat(maxQueued).isLessThanOrEqualTo(2L * BUFFER_BYTES + 8 * 1024);
            stalled.abort();
            healthy.closeBlocking();
        }
    }

    @Test
    void aSlowReaderGetsProgressConflatedButEveryLifecycleEvent() throws Exception {
        InMemoryProgressStore store = new InMemoryProgressStore();
        try (WebSocketProgressServer server = WebSocketProgressServer.builder()
                        .store(store)
                        .config(WebSocketConfig.builder()
                                .port(0)
                                .sendBufferBytes(8 * 1024 * 1024)
                                .sendBufferMessages(100_000)
                                .build())
                        .start();
                TrackerFactory factory = TrackerFactory.builder()
                        .store(store)
                        .sink(server)
                        .config(LONG_NAMES)
                        .build();
                ProgressTracker tracker = factory.tracker("slow")) {
            java.util.concurrent.CopyOnWriteArrayList<String> received =
                    new java.util.concurrent.CopyOnWriteArrayList<>();
            HttpClient http = HttpClient.newHttpClient();
            WebSocket[] ws = new WebSocket[1];
            ws[0] = http.newWebSocketBuilder()
                    .buildAsync(server.uri(), new WebSocket.Listener() {
                        private final StringBuilder part = new StringBuilder();

                        @Override
                        public void onOpen(WebSocket w) {
                            w.sendText("{\"type\":\"subscribe\",\"runId\":\"slow\"}", true);
                        }

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            part.append(data);
                            if (last) {
                                received.add(part.toString());
                                part.setLength(0);
                            }
                            return null;
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            ws[0].request(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty()); // the subscription's answer
            String pad = "p".repeat(2000);
            tracker.addTask("a", pad, TaskType.UPGRADE_STEP, null);
            tracker.startTask("a");
            for (int i = 1; i <= 5000; i++) {
                tracker.updateTaskProgress("a", i / 100.0);
            }
            tracker.completeTask("a");
            assertThat(tracker.flush(Duration.ofSeconds(30))).isTrue();
            // Now read everything, slowly at first.
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> {
                        ws[0].request(50); // reads 50 more messages each turn
                        return received.stream().anyMatch(m -> m.contains("task.completed"));
                    });
            long progress = received.stream()
                    .filter(m -> m.contains("\"task.progress\""))
                    .count();
            assertThat(progress).as("progress events delivered").isLessThan(5000);
            // Conflated for this client by the server, or already in the tracker's queue for the server's
            // sink thread (which of the two depends on who fell behind first); counted either way.
            io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            tracker.metrics().bindTo(registry);
            double inTracker = registry.find("tracker.sink.conflated").functionCounters().stream()
                    .mapToDouble(io.micrometer.core.instrument.FunctionCounter::count)
                    .sum();
            assertThat(server.counters().conflated.sum() + inTracker)
                    .as("progress events conflated")
                    .isGreaterThan(0);
            assertThat(received).anyMatch(m -> m.contains("task.added")).anyMatch(m -> m.contains("task.started"));
            // Conflation alone: what this client received proves itself complete.
            dev.progresstracker.test.DeliveredStreamCheck check = new dev.progresstracker.test.DeliveredStreamCheck();
            for (String m : received) {
                com.fasterxml.jackson.databind.JsonNode n =
                        dev.progresstracker.core.json.WireFormat.reader().readTree(m);
                if (n.path("type").asText().equals("snapshot")) {
                    check.startAfter("slow", n.path("sequence").asLong());
                } else if (n.path("type").asText().equals("event")) {
                    check.add(dev.progresstracker.core.json.WireFormat.readEvent(n.get("event")));
                }
            }
            assertThat(check.report().complete()).as(check.report().toString()).isTrue();
            ws[0].abort();
        }
    }
}

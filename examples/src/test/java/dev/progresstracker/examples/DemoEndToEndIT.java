package dev.progresstracker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.eventbridge.EventSchemas;
import dev.progresstracker.storage.FileProgressStore;
import dev.progresstracker.test.DeliveredStreamCheck;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import dev.progresstracker.test.aws.EventBridgeToSqs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The demo, in-process and fast, with every output on: file storage, EventBridge on a local
 * emulator with a rule to an SQS queue, and a WebSocket client. Store, queue and WebSocket stream
 * must agree event for event, and every event must match its JSON Schema.
 */
class DemoEndToEndIT {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    /** A WebSocket client that asks for the run from its first event and keeps every event. */
    static final class Recorder extends WebSocketClient {
        final List<ProgressEvent> events = new ArrayList<>();
        private final String runId;

        Recorder(URI uri, String runId) {
            super(uri);
            this.runId = runId;
        }

        @Override
        public void onOpen(ServerHandshake h) {
            send("{\"type\":\"subscribe\",\"runId\":\"" + runId + "\",\"sinceSequence\":0}");
        }

        @Override
        public void onMessage(String message) {
            JsonNode n;
            try {
                n = WireFormat.reader().readTree(message);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if ("event".equals(n.path("type").asText())) {
                synchronized (events) {
                    events.add(WireFormat.readEvent(n.get("event")));
                }
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {}

        @Override
        public void onError(Exception ex) {}

        List<ProgressEvent> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Map<Long, String> bySequence(List<ProgressEvent> events) {
        Map<Long, String> m = new HashMap<>();
        events.forEach(e -> m.put(e.sequence(), WireFormat.toJson(e)));
        return m;
    }

    private static Set<Long> lifecycle(List<ProgressEvent> events) {
        return events.stream()
                .filter(e -> e.type().isLifecycle())
                .map(ProgressEvent::sequence)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void storeQueueAndWebSocketAgreeEventForEvent(@TempDir Path work) throws Exception {
        String runId = "e2e-demo";
        int wsPort = freePort();
        try (EventBridgeToSqs bus = EventBridgeToSqs.on(MOTO, "upgrades")) {
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            Demo demo = new Demo(new PrintStream(console, true, StandardCharsets.UTF_8), name -> null);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(demo)
                    .execute(
                            "--run-id",
                            runId,
                            "--speed",
                            "40",
                            "--plain",
                            "--data-dir",
                            work.resolve("data").toString(),
                            "--ws-port",
                            Integer.toString(wsPort),
                            "--dashboard-port",
                            "0",
                            "--eventbridge-endpoint",
                            MOTO.endpoint().toString(),
                            "--bus",
                            "upgrades",
                            "--linger",
                            "PT3S"));

            // Connects as soon as the demo's server listens (a client is good for one attempt only).
            java.util.concurrent.atomic.AtomicReference<Recorder> connected =
                    new java.util.concurrent.atomic.AtomicReference<>();
            await("the demo's WebSocket server")
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Recorder attempt = new Recorder(URI.create("ws://127.0.0.1:" + wsPort + "/"), runId);
                        if (attempt.connectBlocking(2, TimeUnit.SECONDS)) {
                            connected.set(attempt);
                        }
                        return connected.get() != null;
                    });
            Recorder ws = connected.get();
            assertThat(exit.get(180, TimeUnit.SECONDS))
                    .as(console.toString(StandardCharsets.UTF_8))
                    .isZero();
            String out = console.toString(StandardCharsets.UTF_8);
            assertThat(out)
                    .contains("EventBridge: bus 'upgrades'")
                    .contains("upgrade completed")
                    .containsPattern(
                            "EventBridge: all events published: [1-9][0-9]* accepted by EventBridge in [1-9][0-9]* PutEvents calls \\(0 dead-lettered, 0 retried\\)");

            List<ProgressEvent> stored;
            try (FileProgressStore store =
                    FileProgressStore.builder().directory(work.resolve("data")).build()) {
                RunState state = store.loadRun(runId).orElseThrow();
                assertThat(state.info().status()).isEqualTo(RunStatus.COMPLETED);
                stored = store.eventsSince(runId, 0, Integer.MAX_VALUE).orElseThrow();
            }
            for (int i = 0; i < stored.size(); i++) {
                assertThat(stored.get(i).sequence()).isEqualTo(i + 1);
            }
            Map<Long, String> truth = bySequence(stored);
            Set<Long> lifecycle = lifecycle(stored);

            // SQS may hand a progress event over after later ones: wait until the stream proves itself complete.
            List<ProgressEvent> queued = bus.awaitEvents(got -> lifecycle(got).size() >= lifecycle.size()
                    && new DeliveredStreamCheck().addAll(got).report().complete());
            assertThat(lifecycle(queued))
                    .as("lifecycle events that reached SQS through the rule")
                    .isEqualTo(lifecycle);
            for (ProgressEvent e : queued) {
                assertThat(WireFormat.toJson(e.withDelivery(null)))
                        .as("SQS #" + e.sequence())
                        .isEqualTo(truth.get(e.sequence()));
            }
            // What reached SQS proves itself complete (progress coalesced on the way, nothing else left out).
            DeliveredStreamCheck.Report sqs =
                    new DeliveredStreamCheck().addAll(queued).report();
            assertThat(sqs.complete()).as("SQS: %s", sqs).isTrue();
            for (JsonNode envelope : bus.envelopes()) {
                assertThat(envelope.path("source").asText()).isEqualTo("eks-upgrade-agent");
                assertThat(envelope.path("detail-type").asText())
                        .isEqualTo(envelope.path("detail").path("type").asText());
            }

            List<ProgressEvent> streamed = ws.events();
            ws.closeBlocking();
            assertThat(lifecycle(streamed))
                    .as("lifecycle events over WebSocket")
                    .isEqualTo(lifecycle);
            assertThat(streamed).extracting(ProgressEvent::sequence).isSorted().doesNotHaveDuplicates();
            for (ProgressEvent e : streamed) {
                assertThat(WireFormat.toJson(e.withDelivery(null)))
                        .as("WebSocket #" + e.sequence())
                        .isEqualTo(truth.get(e.sequence()));
            }

            JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
            Set<EventType> types = EnumSet.noneOf(EventType.class);
            for (ProgressEvent e : stored) {
                JsonNode json = WireFormat.reader().readTree(truth.get(e.sequence()));
                assertThat(schemas.getSchema(EventSchemas.schema(e.type())).validate(json))
                        .as(e.type() + " #" + e.sequence())
                        .isEmpty();
                types.add(e.type());
            }
            assertThat(types)
                    .contains(
                            EventType.UPGRADE_STARTED,
                            EventType.PHASE_CHANGED,
                            EventType.TASK_FAILED,
                            EventType.TASK_PROGRESS,
                            EventType.UPGRADE_COMPLETED);
        }
    }
}

package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import dev.progresstracker.websocket.WebSocketConfig;
import dev.progresstracker.websocket.WebSocketProgressServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The fleet view: three agents in three JVMs (three "hosts", each its own working directory) write
 * three runs into one table; one dashboard process feeds the table into its WebSocket server and a
 * client subscribed to {@code "*"} watches all three. One agent is killed (SIGKILL) mid-run and its
 * run resumed by a new process in another directory; every run completes, the table holds each
 * run's sequence numbers exactly once without a gap, and the client saw them in order, none twice,
 * every lifecycle event (the server may conflate bursts of progress, as its protocol documents).
 */
class FleetViewIT {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    private static final int STEPS = 6;
    /** addTasks (6) + upgrade.started + 6 × (start, 3 progress, complete) + upgrade.completed. */
    private static final long EVENTS_PER_RUN = STEPS + 1 + STEPS * 5L + 1;

    @TempDir
    Path hosts;

    /** A child JVM running {@link FleetAgentMain}, its output read line by line. */
    private static final class Agent {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final AtomicLong lastAck = new AtomicLong();

        Agent(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                        if (line.startsWith("ACK ")) {
                            lastAck.set(Long.parseLong(line.substring(4).trim()));
                        }
                    }
                } catch (IOException e) {
                    // the process died: that is the point of one of them
                }
            });
            reader.setDaemon(true);
            reader.start();
        }
    }

    private Agent launch(String host, String table, String runId, long stepDelayMillis) throws IOException {
        Path dir = Files.createDirectories(hosts.resolve(host));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "-Xmx128m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        FleetAgentMain.class.getName(),
                        MOTO.endpoint().toString(),
                        table,
                        runId,
                        Integer.toString(STEPS),
                        Long.toString(stepDelayMillis))
                .directory(dir.toFile())
                .redirectErrorStream(true);
        return new Agent(pb.start());
    }

    /** A dashboard client subscribed to every run; records each run's event sequences as received. */
    private static final class Watcher extends WebSocketClient {
        final Map<String, List<Long>> sequences = new ConcurrentHashMap<>();
        final Map<String, String> lastType = new ConcurrentHashMap<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final CountDownLatch open = new CountDownLatch(1);

        Watcher(URI uri) {
            super(uri);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            send("{\"type\":\"subscribe\",\"runId\":\"*\"}");
            open.countDown();
        }

        @Override
        public void onMessage(String message) {
            try {
                JsonNode m = WireFormat.reader().readTree(message);
                String type = m.path("type").asText();
                if (type.equals("event")) {
                    JsonNode e = m.get("event");
                    sequences
                            .computeIfAbsent(e.get("runId").asText(), k -> new CopyOnWriteArrayList<>())
                            .add(e.get("sequence").asLong());
                    lastType.put(e.get("runId").asText(), e.get("type").asText());
                } else if (type.equals("error")) {
                    errors.add(message);
                }
            } catch (IOException e) {
                errors.add("unparsable: " + message);
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {}

        @Override
        public void onError(Exception ex) {
            errors.add(ex.toString());
        }
    }

    @Test
    void oneDashboardWatchesThreeAgentsAndAKilledAgentsRunCompletesOnAnotherHost() throws Exception {
        try (DynamoDbAsyncClient client = DynamoDbTestSupport.client(MOTO)) {
            String table = DynamoDbTestSupport.freshTable(client);
            try (DynamoDbProgressStore dashboardStore = DynamoDbProgressStore.builder()
                            .client(client)
                            .tableName(table)
                            .build();
                    WebSocketProgressServer server = WebSocketProgressServer.builder()
                            .config(WebSocketConfig.builder()
                                    .port(0)
                                    .dashboardEnabled(false)
                                    .build())
                            .store(dashboardStore)
                            .start();
                    DynamoDbFleetFeed feed = DynamoDbFleetFeed.start(dashboardStore, server, Duration.ofMillis(200))) {
                Watcher watcher = new Watcher(server.uri());
                watcher.connectBlocking(10, TimeUnit.SECONDS);
                assertThat(watcher.open.await(10, TimeUnit.SECONDS)).isTrue();

                List<Agent> agents = new ArrayList<>();
                agents.add(launch("host-a", table, "fleet-a", 100));
                Agent victim = launch("host-b", table, "fleet-b", 150);
                agents.add(launch("host-c", table, "fleet-c", 100));

                await().atMost(Duration.ofSeconds(90))
                        .until(() -> victim.lastAck.get() >= 15 || !victim.process.isAlive());
                assertThat(victim.lastAck.get())
                        .as("victim progressed: %s", victim.lines)
                        .isGreaterThanOrEqualTo(15);
                victim.process.destroyForcibly(); // SIGKILL: no close, no flush
                assertThat(victim.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
                long ackedBeforeKill = victim.lastAck.get();
                assertThat(ackedBeforeKill).isLessThan(EVENTS_PER_RUN);

                Agent successor = launch("host-b-replacement", table, "fleet-b", 50);
                agents.add(successor);
                for (Agent a : agents) {
                    assertThat(a.process.waitFor(120, TimeUnit.SECONDS))
                            .as("agent finished: %s", a.lines)
                            .isTrue();
                    assertThat(a.process.exitValue())
                            .as("agent output: %s", a.lines)
                            .isZero();
                    assertThat(a.lines).contains("DONE");
                }
                assertThat(successor.lines).anySatisfy(l -> assertThat(l).startsWith("RESUMED at"));

                for (String run : List.of("fleet-a", "fleet-b", "fleet-c")) {
                    var stored = dashboardStore.loadRun(run).orElseThrow();
                    assertThat(stored.info().status()).isEqualTo(RunStatus.COMPLETED);
                    assertThat(stored.lastSequence()).isEqualTo(EVENTS_PER_RUN);
                }
                await("the watcher saw every run's last event")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> List.of("fleet-a", "fleet-b", "fleet-c").stream()
                                .allMatch(r -> watcher.sequences
                                        .getOrDefault(r, List.of())
                                        .contains(EVENTS_PER_RUN)));
                List<Long> all =
                        LongStream.rangeClosed(1, EVENTS_PER_RUN).boxed().toList();
                for (String run : List.of("fleet-a", "fleet-b", "fleet-c")) {
                    // The table: every sequence exactly once, nothing lost across the kill.
                    List<ProgressEvent> stored = dashboardStore
                            .eventsSince(run, 0, Integer.MAX_VALUE)
                            .orElseThrow();
                    assertThat(stored).extracting(ProgressEvent::sequence).containsExactlyElementsOf(all);
                    // The dashboard: in order, none twice, every lifecycle event; a sequence it did not get can
                    // only be a task.progress the server conflated (its documented guarantee for bursts).
                    List<Long> seen = watcher.sequences.get(run);
                    assertThat(seen)
                            .as("sequences of %s seen by the dashboard", run)
                            .isSorted()
                            .doesNotHaveDuplicates()
                            .endsWith(EVENTS_PER_RUN);
                    for (ProgressEvent e : stored) {
                        if (!seen.contains(e.sequence())) {
                            assertThat(e.type())
                                    .as("%s #%d missing at the dashboard", run, e.sequence())
                                    .isEqualTo(EventType.TASK_PROGRESS);
                        }
                    }
                    assertThat(watcher.lastType.get(run)).isEqualTo("upgrade.completed");
                }
                assertThat(watcher.errors).isEmpty();
                assertThat(feed.delivered())
                        .as("the feed handed each run's last event to the server")
                        .containsEntry("fleet-a", EVENTS_PER_RUN)
                        .containsEntry("fleet-b", EVENTS_PER_RUN)
                        .containsEntry("fleet-c", EVENTS_PER_RUN);
                watcher.closeBlocking();
            }
        }
    }
}

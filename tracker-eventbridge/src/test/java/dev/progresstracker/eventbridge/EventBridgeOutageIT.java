package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.SampleRuns;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Outages injected for real: moto stopped and restarted mid-run, a publishing JVM killed with SIGKILL. */
class EventBridgeOutageIT {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    @TempDir
    Path dir;

    @Test
    void theEmulatorStoppedMidRunAndRestartedLosesNothingAndKeepsOrder() throws Exception {
        List<ProgressEvent> events = SampleRuns.upgrade("outage-run");
        try (TcpGate gate = new TcpGate(MOTO.port())) {
            EventBridgeFixture before = EventBridgeFixture.on(MOTO, "it-outage");
            EventBridgeSink sink = EventBridgeSink.builder(
                            before.sinkConfig(gate.endpoint(), dir).build())
                    .client(before.sinkClient(gate.endpoint()))
                    .build();
            int half = events.size() / 2;
            for (ProgressEvent e : events.subList(0, half)) {
                sink.publish(e);
            }
            sink.flush(Duration.ofSeconds(30));
            List<ProgressEvent> firstHalf = before.awaitEvents(g -> !g.isEmpty()
                    && g.get(g.size() - 1).sequence() >= events.get(half - 1).sequence());
            before.close();

            // Down: the gate resets connections and the emulator process is really gone.
            gate.close(true);
            MOTO.stop();
            for (ProgressEvent e : events.subList(half, events.size())) {
                sink.publish(e);
            }
            EventBridgeSinkTest.awaitTrue(() -> sink.stats().mode().equals("SPILLING"));
            sink.flush(Duration.ofSeconds(10));
            assertThat(sink.stats().outboxDepth()).isPositive();

            // Back: a fresh emulator (empty state), resources recreated, then the endpoint reachable again.
            MOTO.start();
            try (EventBridgeFixture after = EventBridgeFixture.on(MOTO, "it-outage")) {
                gate.open();
                EventBridgeSinkTest.awaitTrue(() -> sink.stats().outboxDepth() == 0);
                sink.flush(Duration.ofSeconds(30));
                List<ProgressEvent> secondHalf = after.awaitEvents(g -> !g.isEmpty()
                        && g.get(g.size() - 1).sequence()
                                == events.get(events.size() - 1).sequence());
                sink.close();

                List<ProgressEvent> all = new java.util.ArrayList<>(firstHalf);
                all.addAll(secondHalf);
                assertThat(sink.stats().failed()).isZero();
                // The outbox drains in rounds of parallel calls: order holds across rounds, sequence restores it
                // within.
                EventBridgeSinkTest.assertOrderedAcrossDrainRounds(
                        all.stream().map(ProgressEvent::sequence).toList(), 40);
                all.sort(java.util.Comparator.comparingLong(ProgressEvent::sequence));
                EventBridgeSinkTest.assertDelivered(
                        events,
                        all.stream()
                                .map(e ->
                                        software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry
                                                .builder()
                                                .detail(dev.progresstracker.core.json.WireFormat.toJson(e))
                                                .build())
                                .toList());
            }
        }
    }

    @Test
    void aProcessKilledWithAFullOutboxIsDrainedByTheNextOne() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        Path outbox = dir.resolve("outbox");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        OutboxChildMain.class.getName(),
                        outbox.toString(),
                        "http://127.0.0.1:" + deadPort,
                        "it-killed",
                        "killed-run")
                .redirectErrorStream(true)
                .start();
        long spilled;
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder out = new StringBuilder();
            while ((line = r.readLine()) != null && !line.startsWith("SPILLED ")) {
                out.append(line).append('\n');
            }
            assertThat(line).as("child output:\n" + out).isNotNull();
            spilled = Long.parseLong(line.substring(8).trim());
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(spilled).isPositive();

        List<ProgressEvent> events = SampleRuns.upgrade("killed-run");
        try (EventBridgeFixture fx = EventBridgeFixture.on(MOTO, "it-killed")) {
            EventBridgeSink next = EventBridgeSink.builder(
                            fx.sinkConfig(MOTO.endpoint(), outbox).build())
                    .client(fx.sinkClient(MOTO.endpoint()))
                    .build();
            assertThat(next.stats().outboxDepth()).isEqualTo(spilled);
            next.flush(Duration.ofSeconds(60));
            List<ProgressEvent> got = fx.awaitEvents(g -> g.size() >= spilled);
            next.close();
            assertThat(got).hasSize((int) spilled);
            // Another process made these events (other event ids): compare by sequence and type.
            assertThat(got).extracting(ProgressEvent::sequence).doesNotHaveDuplicates();
            EventBridgeSinkTest.assertOrderedAcrossDrainRounds(
                    got.stream().map(ProgressEvent::sequence).toList(), 40);
            for (ProgressEvent e : got) {
                assertThat(e.type())
                        .isEqualTo(events.get((int) e.sequence() - 1).type());
            }
            assertThat(got.stream().filter(e -> e.type().isLifecycle()).count())
                    .isEqualTo(
                            events.stream().filter(e -> e.type().isLifecycle()).count());
        }
    }
}

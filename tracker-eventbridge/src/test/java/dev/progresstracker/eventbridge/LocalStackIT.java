package dev.progresstracker.eventbridge;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.RecordingSink;
import dev.progresstracker.test.SampleRuns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The moto scenario (bus → rule → SQS, order and content) on LocalStack, for machines with Docker.
 * Skipped where there is no Docker engine (this project's CI machines have none).
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackIT {

    /** Pinned; LocalStack releases from December 2025 on also answer CBOR CloudWatch. */
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
                    DockerImageName.parse("localstack/localstack:4.12"))
            .withServices("events", "sqs", "cloudwatch");

    @TempDir
    Path dir;

    @Test
    void eventsReachTheQueueInOrderWithTheirContent() throws Exception {
        try (EventBridgeFixture fx = new EventBridgeFixture(LOCALSTACK.getEndpoint(), "ls-order")) {
            RecordingSink emitted = new RecordingSink("emitted", OverflowPolicy.BLOCK, 1 << 20);
            EventBridgeSink sink = EventBridgeSink.builder(
                            fx.sinkConfig(LOCALSTACK.getEndpoint(), dir).build())
                    .client(fx.sinkClient(LOCALSTACK.getEndpoint()))
                    .build();
            MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
            try (ProgressTracker t = ProgressTracker.builder()
                    .runId("ls-run-1")
                    .clusterName("prod-eu")
                    .clock(clock)
                    .sink(sink)
                    .sink(emitted)
                    .build()) {
                SampleRuns.drive(t, clock);
                t.flush(Duration.ofSeconds(30));
            }
            List<ProgressEvent> all = emitted.events();
            long lifecycle = all.stream().filter(e -> e.type().isLifecycle()).count();
            List<ProgressEvent> got = fx.awaitEvents(
                    g -> g.stream().filter(e -> e.type().isLifecycle()).count() >= lifecycle);
            EventBridgeSinkTest.assertDelivered(
                    all,
                    got.stream()
                            .map(e -> software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry.builder()
                                    .detail(dev.progresstracker.core.json.WireFormat.toJson(e))
                                    .build())
                            .toList());
        }
    }
}

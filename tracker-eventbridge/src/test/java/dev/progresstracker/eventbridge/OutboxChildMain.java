package dev.progresstracker.eventbridge;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.SampleRuns;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process of {@link EventBridgeOutageIT}: publishes a run to an unreachable endpoint, waits
 * until the sink spilled it to the outbox, prints {@code SPILLED <depth>} and then waits to be killed.
 * Args: outbox directory, dead endpoint, bus name, run id.
 */
public final class OutboxChildMain {
    public static void main(String[] args) throws Exception {
        EventBridgeConfig config = EventBridgeConfig.builder()
                .outboxDirectory(Path.of(args[0]))
                .endpointOverride(URI.create(args[1]))
                .eventBusName(args[2])
                .region("us-east-1")
                .progressMinInterval(Duration.ZERO)
                .maxBatchDelay(Duration.ofMillis(20))
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(100))
                .spillAfter(Duration.ofMillis(200))
                .apiCallTimeout(Duration.ofSeconds(2))
                .build();
        EventBridgeSink sink = EventBridgeSink.builder(config)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("testing", "testing")))
                .build();
        for (ProgressEvent e : SampleRuns.upgrade(args[3])) {
            sink.publish(e);
        }
        sink.flush(Duration.ofSeconds(30));
        System.out.println("SPILLED " + sink.stats().outboxDepth());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

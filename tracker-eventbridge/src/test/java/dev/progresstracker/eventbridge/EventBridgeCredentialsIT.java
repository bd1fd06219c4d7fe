package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.SampleRuns;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;

/** Credentials moto does not know, with moto checking them ({@code INITIAL_NO_AUTH_ACTION_COUNT=0}). */
class EventBridgeCredentialsIT {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO =
            AwsEmulatorExtension.moto().withServerEnv("INITIAL_NO_AUTH_ACTION_COUNT", "0");

    @TempDir
    Path dir;

    @Test
    void unknownCredentialsAreTriedMaxAttemptsTimesThenDeadLetteredWithOneErrorAndAMeter() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EventBridgeConfig config = EventBridgeConfig.builder()
                .eventBusName("default")
                .region("us-east-1")
                .endpointOverride(MOTO.endpoint())
                .outboxDirectory(dir)
                .maxBatchDelay(Duration.ofMillis(50))
                .progressMinInterval(Duration.ZERO)
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(200))
                .maxAttempts(3)
                .build();
        // The default test keys: with authentication on, moto knows no IAM user holding them.
        try (EventBridgeAsyncClient client = EventBridgeSink.createClient(
                        config,
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                AwsEmulatorExtension.ACCESS_KEY_ID, AwsEmulatorExtension.SECRET_ACCESS_KEY)));
                LogCapture log = new LogCapture()) {
            EventBridgeSink sink = EventBridgeSink.builder(config)
                    .client(client)
                    .meterRegistry(registry)
                    .build();
            List<ProgressEvent> events = SampleRuns.failure("it-bad-credentials");
            for (ProgressEvent e : events) {
                sink.publish(e);
            }
            FlushResult flushed = sink.awaitPublished(Duration.ofSeconds(30));
            assertThat(flushed.published())
                    .as(flushed + " " + sink.stats() + " log " + log.errors())
                    .isTrue();
            EventBridgeSink.Stats stats = sink.stats();
            sink.close();
            long n = events.size() - stats.conflated();
            assertThat(stats.published()).isZero();
            assertThat(stats.failed()).isEqualTo(n);
            assertThat(stats.retried()).isEqualTo(2 * n);
            assertThat(registry.get("tracker.eventbridge.errors")
                            .tag("cause", "bad_credentials")
                            .counter()
                            .count())
                    .isEqualTo(stats.requests());
            assertThat(log.errors())
                    .hasSize(1)
                    .first()
                    .asString()
                    .contains("bad_credentials")
                    .contains("valid AWS credentials");
            assertThat(Files.readAllLines(dir.resolve("dead-letter.jsonl")))
                    .hasSize((int) n)
                    .allSatisfy(
                            l -> assertThat(l).contains("(attempts exhausted)").contains("\"attempts\":3"));
        }
    }
}

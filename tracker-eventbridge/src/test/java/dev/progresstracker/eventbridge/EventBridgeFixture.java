package dev.progresstracker.eventbridge;

import dev.progresstracker.test.aws.AwsEmulatorExtension;
import dev.progresstracker.test.aws.EventBridgeToSqs;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;

/** {@link EventBridgeToSqs} plus the sink settings the EventBridge tests use. */
final class EventBridgeFixture extends EventBridgeToSqs {

    EventBridgeFixture(URI endpoint, String bus) {
        super(endpoint, bus);
    }

    public static EventBridgeFixture on(AwsEmulatorExtension emulator, String bus) {
        return new EventBridgeFixture(emulator.endpoint(), bus);
    }

    EventBridgeConfig.Builder sinkConfig(URI endpoint, java.nio.file.Path outbox) {
        return EventBridgeConfig.builder()
                .eventBusName(bus)
                .endpointOverride(endpoint)
                .region("us-east-1")
                .outboxDirectory(outbox)
                .maxBatchDelay(Duration.ofMillis(50))
                .progressMinInterval(Duration.ZERO)
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(500))
                .spillAfter(Duration.ofMillis(500))
                .apiCallTimeout(Duration.ofSeconds(5));
    }

    EventBridgeAsyncClient sinkClient(URI endpoint) {
        return EventBridgeSink.createClient(
                EventBridgeConfig.builder()
                        .region("us-east-1")
                        .endpointOverride(endpoint)
                        .build(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        AwsEmulatorExtension.ACCESS_KEY_ID, AwsEmulatorExtension.SECRET_ACCESS_KEY)));
    }
}

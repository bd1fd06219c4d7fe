package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventBridgeConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        EventBridgeConfig c = EventBridgeConfig.defaults();
        assertThat(c.enabled()).isTrue();
        assertThat(c.source()).isEqualTo("eks-upgrade-agent");
        assertThat(c.eventBusName()).isEqualTo("default");
        assertThat(c.maxBatchDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.maxBatchEntries()).isEqualTo(10);
        assertThat(c.maxRequestBytes()).isEqualTo(256 * 1024);
        assertThat(c.region()).isNull();
        assertThat(c.endpointOverride()).isNull();
        assertThat(c.clusterArn()).isNull();
        assertThat(c.originalFields())
                .as("rules written for the original keep matching by default")
                .isTrue();
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void readsEveryVariable() {
        EventBridgeConfig c = EventBridgeConfig.fromEnvironment(Map.ofEntries(
                Map.entry("TRACKER_EVENTBRIDGE_ENABLED", "false"),
                Map.entry("TRACKER_EVENTBRIDGE_BUS_NAME", "upgrades"),
                Map.entry("TRACKER_EVENTBRIDGE_SOURCE", "my-agent"),
                Map.entry("TRACKER_EVENTBRIDGE_REGION", "eu-west-1"),
                Map.entry("TRACKER_EVENTBRIDGE_ENDPOINT", "http://127.0.0.1:5000"),
                Map.entry("TRACKER_EVENTBRIDGE_CLUSTER_ARN", "arn:aws:eks:eu-west-1:1:cluster/c"),
                Map.entry("TRACKER_EVENTBRIDGE_MAX_BATCH_DELAY", "PT0.5S"),
                Map.entry("TRACKER_EVENTBRIDGE_MAX_BATCH_ENTRIES", "5"),
                Map.entry("TRACKER_EVENTBRIDGE_MAX_REQUEST_BYTES", "100000"),
                Map.entry("TRACKER_EVENTBRIDGE_PROGRESS_MIN_INTERVAL", "250"),
                Map.entry("TRACKER_EVENTBRIDGE_MAX_ATTEMPTS", "4"),
                Map.entry("TRACKER_EVENTBRIDGE_INITIAL_BACKOFF", "50"),
                Map.entry("TRACKER_EVENTBRIDGE_MAX_BACKOFF", "PT5S"),
                Map.entry("TRACKER_EVENTBRIDGE_MAX_CONCURRENT_REQUESTS", "2"),
                Map.entry("TRACKER_EVENTBRIDGE_MAX_BUFFERED_EVENTS", "500"),
                Map.entry("TRACKER_EVENTBRIDGE_SPILL_AFTER", "PT1S"),
                Map.entry("TRACKER_EVENTBRIDGE_API_CALL_TIMEOUT", "PT3S"),
                Map.entry("TRACKER_EVENTBRIDGE_OUTBOX_DIR", "/var/lib/agent/outbox"),
                Map.entry("TRACKER_EVENTBRIDGE_ORIGINAL_FIELDS", "false")));
        assertThat(c)
                .isEqualTo(EventBridgeConfig.builder()
                        .enabled(false)
                        .eventBusName("upgrades")
                        .source("my-agent")
                        .region("eu-west-1")
                        .endpointOverride(URI.create("http://127.0.0.1:5000"))
                        .clusterArn("arn:aws:eks:eu-west-1:1:cluster/c")
                        .maxBatchDelay(Duration.ofMillis(500))
                        .maxBatchEntries(5)
                        .maxRequestBytes(100_000)
                        .progressMinInterval(Duration.ofMillis(250))
                        .maxAttempts(4)
                        .initialBackoff(Duration.ofMillis(50))
                        .maxBackoff(Duration.ofSeconds(5))
                        .maxConcurrentRequests(2)
                        .maxBufferedEvents(500)
                        .spillAfter(Duration.ofSeconds(1))
                        .apiCallTimeout(Duration.ofSeconds(3))
                        .outboxDirectory(Path.of("/var/lib/agent/outbox"))
                        .originalFields(false)
                        .build());
    }

    @Test
    void badEnvironmentValuesNameTheVariable() {
        assertThatThrownBy(
                        () -> EventBridgeConfig.fromEnvironment(Map.of("TRACKER_EVENTBRIDGE_MAX_BATCH_DELAY", "soon")))
                .hasMessageContaining("TRACKER_EVENTBRIDGE_MAX_BATCH_DELAY");
        assertThatThrownBy(() -> EventBridgeConfig.fromEnvironment(Map.of("TRACKER_EVENTBRIDGE_ENDPOINT", "::nope")))
                .hasMessageContaining("TRACKER_EVENTBRIDGE_ENDPOINT");
        assertThatThrownBy(
                        () -> EventBridgeConfig.fromEnvironment(Map.of("TRACKER_EVENTBRIDGE_MAX_BATCH_ENTRIES", "x")))
                .hasMessageContaining("TRACKER_EVENTBRIDGE_MAX_BATCH_ENTRIES");
        assertThatThrownBy(() ->
                        EventBridgeConfig.fromEnvironment(Map.of("TRACKER_EVENTBRIDGE_ORIGINAL_FIELDS", "sometimes")))
                .hasMessageContaining("TRACKER_EVENTBRIDGE_ORIGINAL_FIELDS");
    }

    @Test
    void validationNamesTheField() {
        assertThatThrownBy(() -> EventBridgeConfig.builder().maxBatchEntries(11).build())
                .hasMessageContaining("maxBatchEntries")
                .hasMessageContaining("11");
        assertThatThrownBy(() ->
                        EventBridgeConfig.builder().maxRequestBytes(300 * 1024).build())
                .hasMessageContaining("maxRequestBytes");
        assertThatThrownBy(() -> EventBridgeConfig.builder().source(" ").build())
                .hasMessageContaining("source");
        assertThatThrownBy(() -> EventBridgeConfig.builder().eventBusName(null).build())
                .hasMessageContaining("eventBusName");
        assertThatThrownBy(
                        () -> EventBridgeConfig.builder().clusterArn("prod-eu").build())
                .hasMessageContaining("clusterArn");
        assertThatThrownBy(() ->
                        EventBridgeConfig.builder().maxBatchDelay(Duration.ZERO).build())
                .hasMessageContaining("maxBatchDelay");
        assertThatThrownBy(() -> EventBridgeConfig.builder()
                        .progressMinInterval(Duration.ofMillis(-1))
                        .build())
                .hasMessageContaining("progressMinInterval");
        assertThatThrownBy(() -> EventBridgeConfig.builder()
                        .maxBackoff(Duration.ofMillis(10))
                        .build())
                .hasMessageContaining("maxBackoff");
        assertThatThrownBy(
                        () -> EventBridgeConfig.builder().maxBufferedEvents(5).build())
                .hasMessageContaining("maxBufferedEvents");
        assertThatThrownBy(() -> EventBridgeConfig.builder()
                        .endpointOverride(URI.create("localhost"))
                        .build())
                .hasMessageContaining("endpointOverride");
        assertThatThrownBy(
                        () -> EventBridgeConfig.builder().outboxDirectory(null).build())
                .hasMessageContaining("outboxDirectory");
    }
}

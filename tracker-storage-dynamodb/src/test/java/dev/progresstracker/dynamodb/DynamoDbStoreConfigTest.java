package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DynamoDbStoreConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        DynamoDbStoreConfig c = DynamoDbStoreConfig.defaults();
        assertThat(c.tableName()).isEqualTo("progress-tracker");
        assertThat(c.progressCoalesceInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(c.maxItemBytes()).isEqualTo(350_000);
        assertThat(c.writeAttempts()).isEqualTo(8);
        assertThat(c.writeAttemptTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.writeTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.retryWarnAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxRunStateBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(c.closeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.endpoint()).isNull();
        assertThat(c.createTableIfMissing()).isFalse();
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void everyBadValueIsRejectedNamingTheField() {
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().tableName("a/b").build())
                .hasMessageContaining("tableName");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().tableName("ab").build())
                .hasMessageContaining("tableName");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder()
                        .progressCoalesceInterval(Duration.ofMillis(-1))
                        .build())
                .hasMessageContaining("progressCoalesceInterval");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().retention(null).build())
                .hasMessageContaining("retention");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder()
                        .retention(Duration.ofMillis(10))
                        .build())
                .hasMessageContaining("retention");
        assertThatThrownBy(() ->
                        DynamoDbStoreConfig.builder().maxItemBytes(500_000).build())
                .hasMessageContaining("maxItemBytes");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().maxItemBytes(100).build())
                .hasMessageContaining("maxItemBytes");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().writeAttempts(0).build())
                .hasMessageContaining("writeAttempts");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder()
                        .endpoint(URI.create("localhost"))
                        .build())
                .hasMessageContaining("endpoint");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().region(" ").build())
                .hasMessageContaining("region");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder()
                        .closeTimeout(Duration.ofSeconds(-1))
                        .build())
                .hasMessageContaining("closeTimeout");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder()
                        .writeAttemptTimeout(Duration.ZERO)
                        .build())
                .hasMessageContaining("writeAttemptTimeout");
        assertThatThrownBy(
                        () -> DynamoDbStoreConfig.builder().writeTimeout(null).build())
                .hasMessageContaining("writeTimeout");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder()
                        .retryWarnAfter(Duration.ofMinutes(2))
                        .build())
                .hasMessageContaining("retryWarnAfter")
                .hasMessageContaining("writeTimeout");
        assertThatThrownBy(() ->
                        DynamoDbStoreConfig.builder().maxRunStateBytes(1000).build())
                .hasMessageContaining("maxRunStateBytes");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder()
                        .maxItemBytes(400_000)
                        .maxRunStateBytes(700_000)
                        .build())
                .hasMessageContaining("maxRunStateBytes (700000)")
                .hasMessageContaining("maxItemBytes (400000)");
    }

    @Test
    void fromEnvironmentReadsEveryVariable() {
        DynamoDbStoreConfig c = DynamoDbStoreConfig.fromEnvironment(Map.ofEntries(
                Map.entry("TRACKER_DYNAMODB_TABLE", "fleet-runs"),
                Map.entry("TRACKER_DYNAMODB_COALESCE_INTERVAL", "250"),
                Map.entry("TRACKER_DYNAMODB_RETENTION", "P7D"),
                Map.entry("TRACKER_DYNAMODB_MAX_ITEM_BYTES", "100000"),
                Map.entry("TRACKER_DYNAMODB_WRITE_ATTEMPTS", "3"),
                Map.entry("TRACKER_DYNAMODB_WRITE_RETRY_BASE_DELAY", "PT0.1S"),
                Map.entry("TRACKER_DYNAMODB_CLOSE_TIMEOUT", "PT5S"),
                Map.entry("TRACKER_DYNAMODB_WRITE_ATTEMPT_TIMEOUT", "PT2S"),
                Map.entry("TRACKER_DYNAMODB_WRITE_TIMEOUT", "PT20S"),
                Map.entry("TRACKER_DYNAMODB_RETRY_WARN_AFTER", "3000"),
                Map.entry("TRACKER_DYNAMODB_MAX_STATE_BYTES", "1000000"),
                Map.entry("TRACKER_DYNAMODB_ENDPOINT", "http://127.0.0.1:4566"),
                Map.entry("TRACKER_DYNAMODB_REGION", "eu-west-1"),
                Map.entry("TRACKER_DYNAMODB_CREATE_TABLE", "true")));
        assertThat(c)
                .isEqualTo(DynamoDbStoreConfig.builder()
                        .tableName("fleet-runs")
                        .progressCoalesceInterval(Duration.ofMillis(250))
                        .retention(Duration.ofDays(7))
                        .maxItemBytes(100_000)
                        .writeAttempts(3)
                        .writeRetryBaseDelay(Duration.ofMillis(100))
                        .closeTimeout(Duration.ofSeconds(5))
                        .writeAttemptTimeout(Duration.ofSeconds(2))
                        .writeTimeout(Duration.ofSeconds(20))
                        .retryWarnAfter(Duration.ofSeconds(3))
                        .maxRunStateBytes(1_000_000)
                        .endpoint(URI.create("http://127.0.0.1:4566"))
                        .region("eu-west-1")
                        .createTableIfMissing(true)
                        .build());
        assertThat(DynamoDbStoreConfig.fromEnvironment(Map.of())).isEqualTo(DynamoDbStoreConfig.defaults());
    }

    @Test
    void badEnvironmentValuesNameTheVariable() {
        assertThatThrownBy(() -> DynamoDbStoreConfig.fromEnvironment(Map.of("TRACKER_DYNAMODB_WRITE_ATTEMPTS", "many")))
                .hasMessageContaining("TRACKER_DYNAMODB_WRITE_ATTEMPTS");
        assertThatThrownBy(() -> DynamoDbStoreConfig.fromEnvironment(Map.of("TRACKER_DYNAMODB_RETENTION", "soon")))
                .hasMessageContaining("TRACKER_DYNAMODB_RETENTION");
        assertThatThrownBy(() -> DynamoDbStoreConfig.fromEnvironment(Map.of("TRACKER_DYNAMODB_ENDPOINT", "http://a b")))
                .hasMessageContaining("TRACKER_DYNAMODB_ENDPOINT");
        assertThatThrownBy(() -> DynamoDbStoreConfig.fromEnvironment(Map.of("TRACKER_DYNAMODB_CREATE_TABLE", "maybe")))
                .hasMessageContaining("TRACKER_DYNAMODB_CREATE_TABLE");
        assertThatThrownBy(() -> DynamoDbStoreConfig.fromEnvironment(Map.of("TRACKER_DYNAMODB_WRITE_TIMEOUT", "later")))
                .hasMessageContaining("TRACKER_DYNAMODB_WRITE_TIMEOUT");
        assertThatThrownBy(() -> DynamoDbStoreConfig.fromEnvironment(Map.of("TRACKER_DYNAMODB_MAX_STATE_BYTES", "big")))
                .hasMessageContaining("TRACKER_DYNAMODB_MAX_STATE_BYTES");
    }

    @Test
    void theStoreBuilderRequiresAClientAndValidatesTheTableName() {
        assertThatThrownBy(() -> DynamoDbProgressStore.builder().build()).hasMessageContaining("client");
        assertThatThrownBy(() -> DynamoDbProgressStore.builder().client(null)).hasMessageContaining("client");
    }
}

package dev.progresstracker.dynamodb;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamoDbStoreConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        DynamoDbStoreConfig c = DynamoDbStoreConfig.defaults();
        assertThat(c.tableName()).isEqualTo("progress-tracker");
        assertThat(c.progressCoalesceInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(c.maxItemBytes()).isEqualTo(350_000);
        assertThat(c.writeAttempts()).isEqualTo(8);
        assertThat(c.endpoint()).isNull();
        assertThat(c.createTableIfMissing()).isFalse();
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void everyBadValueIsRejectedNamingTheField() {
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().tableName("a/b").build()).hasMessageContaining("tableName");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().tableName("ab").build()).hasMessageContaining("tableName");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().progressCoalesceInterval(Duration.ofMillis(-1)).build())
                .hasMessageContaining("progressCoalesceInterval");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().retention(null).build()).hasMessageContaining("retention");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().retention(Duration.ofMillis(10)).build())
                .hasMessageContaining("retention");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().maxItemBytes(500_000).build())
                .hasMessageContaining("maxItemBytes");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().maxItemBytes(100).build()).hasMessageContaining("maxItemBytes");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().writeAttempts(0).build()).hasMessageContaining("writeAttempts");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().endpoint(URI.create("localhost")).build())
                .hasMessageContaining("endpoint");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().region(" ").build()).hasMessageContaining("region");
        assertThatThrownBy(() -> DynamoDbStoreConfig.builder().closeTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("closeTimeout");
    }

    @Test
    void fromEnvironmentReadsEveryVariable() {
        DynamoDbStoreConfig c = DynamoDbStoreConfig.fromEnvironment(Map.of(
                "TRACKER_DYNAMODB_TABLE", "fleet-runs",
                "TRACKER_DYNAMODB_COALESCE_INTERVAL", "250",
                "TRACKER_DYNAMODB_RETENTION", "P7D",
                "TRACKER_DYNAMODB_MAX_ITEM_BYTES", "100000",
                "TRACKER_DYNAMODB_WRITE_ATTEMPTS", "3",
                "TRACKER_DYNAMODB_WRITE_RETRY_BASE_DELAY", "PT0.1S",
                "TRACKER_DYNAMODB_CLOSE_TIMEOUT", "PT5S",
                "TRACKER_DYNAMODB_ENDPOINT", "http://127.0.0.1:4566",
                "TRACKER_DYNAMODB_REGION", "eu-west-1",
                "TRACKER_DYNAMODB_CREATE_TABLE", "true"));
        assertThat(c).isEqualTo(DynamoDbStoreConfig.builder().tableName("fleet-runs")
                .progressCoalesceInterval(Duration.ofMillis(250)).retention(Duration.ofDays(7)).maxItemBytes(100_000)
                .writeAttempts(3).writeRetryBaseDelay(Duration.ofMillis(100)).closeTimeout(Duration.ofSeconds(5))
                .endpoint(URI.create("http://127.0.0.1:4566")).region("eu-west-1").createTableIfMissing(true).build());
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
    }

    @Test
    void theStoreBuilderRequiresAClientAndValidatesTheTableName() {
        assertThatThrownBy(() -> DynamoDbProgressStore.builder().build()).hasMessageContaining("client");
        assertThatThrownBy(() -> DynamoDbProgressStore.builder().client(null)).hasMessageContaining("client");
    }
}

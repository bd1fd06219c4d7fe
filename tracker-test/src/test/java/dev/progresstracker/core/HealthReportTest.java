package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.HealthCheck;
import dev.progresstracker.core.spi.OutputHealth;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.ScriptedStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One call for the health of every output: the worst status wins, a throwing check is DOWN, the JSON parses. */
class HealthReportTest {

    private static final Instant SINCE = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void theWorstOutputDecidesAndOnlyDownIsNotReady() {
        HealthCheck up = () -> OutputHealth.up("websocket", "serving");
        HealthCheck degraded = () -> OutputHealth.degraded("eventbridge", "spilling");
        HealthCheck down = () -> OutputHealth.down("store", "refusing");
        assertThat(HealthReport.of(List.of()).status()).isEqualTo(OutputHealth.Status.UP);
        assertThat(HealthReport.of(List.of(up, degraded)).status()).isEqualTo(OutputHealth.Status.DEGRADED);
        assertThat(HealthReport.of(List.of(up, degraded)).ready()).isTrue();
        HealthReport bad = HealthReport.of(List.of(down, up, degraded));
        assertThat(bad.status()).isEqualTo(OutputHealth.Status.DOWN);
        assertThat(bad.ready()).isFalse();
        assertThat(bad.outputs()).extracting(OutputHealth::output).containsExactly("store", "websocket", "eventbridge");
    }

    @Test
    void aThrowingCheckIsReportedDownAndTheOthersStillRun() {
        HealthCheck throwing = () -> {
            throw new IllegalStateException("no client");
        };
        HealthReport r = HealthReport.of(List.of(throwing, () -> OutputHealth.up("websocket", "serving")));
        assertThat(r.status()).isEqualTo(OutputHealth.Status.DOWN);
        assertThat(r.outputs().get(0).detail()).contains("no client");
        assertThat(r.outputs().get(1).status()).isEqualTo(OutputHealth.Status.UP);
    }

    @Test
    void theJsonIsValidWhateverTheDetailHolds() throws Exception {
        String detail = "quote \" backslash \\ newline \n tab \t";
        String json = HealthReport.of(List.of(() -> OutputHealth.degraded("store", detail)))
                .toJson();
        var node = WireFormat.reader().readTree(json);
        assertThat(node.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(node.path("outputs").get(0).path("detail").asText()).isEqualTo(detail);
    }

    @Test
    void theStoreCheckFollowsTheStoresHealth() {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        try (ProgressTracker t =
                ProgressTracker.builder().runId("health").store(store).build()) {
            HealthCheck check = HealthReport.storeCheck(t);
            assertThat(check.check()).isEqualTo(OutputHealth.up("store", "writing"));
            store.health(StoreHealth.retrying("disk full", SINCE, 12, 4096));
            assertThat(check.check().status()).isEqualTo(OutputHealth.Status.DEGRADED);
            assertThat(check.check().detail()).contains("disk full", "12 events waiting");
            store.health(StoreHealth.refusing("backlog full", SINCE, 5000, 1 << 20));
            assertThat(check.check().status()).isEqualTo(OutputHealth.Status.DOWN);
            store.health(StoreHealth.WRITING);
        }
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> OutputHealth.up(" ", "x")).hasMessageContaining("output must not be blank");
        assertThatThrownBy(() -> new OutputHealth("store", null, "x")).hasMessageContaining("status must not be null");
        assertThatThrownBy(() -> HealthReport.storeCheck(null)).hasMessageContaining("tracker must not be null");
    }
}

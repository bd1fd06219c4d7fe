package dev.progresstracker.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.spi.OverflowPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbackConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        CallbackConfig c = CallbackConfig.defaults();
        assertThat(c.enabled()).isTrue();
        assertThat(c.name()).isEqualTo("callbacks");
        assertThat(c.threads()).isGreaterThanOrEqualTo(4);
        assertThat(c.listenerTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.listenerQueueCapacity()).isEqualTo(65_536);
        assertThat(c.disableAfterFailures()).isZero();
        assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.sinkQueueCapacity()).isZero();
        assertThat(c.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST_PROGRESS);
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void everyBadValueIsRejectedNamingTheField() {
        assertThatThrownBy(() -> CallbackConfig.builder().name(" ").build())
                .hasMessage("name must be non-blank, got ' '");
        assertThatThrownBy(() -> CallbackConfig.builder().threads(0).build())
                .hasMessage("threads must be within 1..1024, got 0");
        assertThatThrownBy(() ->
                        CallbackConfig.builder().listenerTimeout(Duration.ZERO).build())
                .hasMessage("listenerTimeout must be above 0, got PT0S");
        assertThatThrownBy(() -> CallbackConfig.builder().listenerTimeout(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("listenerTimeout must not be null");
        assertThatThrownBy(
                        () -> CallbackConfig.builder().listenerQueueCapacity(15).build())
                .hasMessage("listenerQueueCapacity must be at least 16, got 15");
        assertThatThrownBy(
                        () -> CallbackConfig.builder().disableAfterFailures(-1).build())
                .hasMessage("disableAfterFailures must be at least 0, got -1");
        assertThatThrownBy(() -> CallbackConfig.builder()
                        .drainTimeout(Duration.ofMillis(-5))
                        .build())
                .hasMessage("drainTimeout must be above 0, got PT-0.005S");
        assertThatThrownBy(() -> CallbackConfig.builder().sinkQueueCapacity(8).build())
                .hasMessage("sinkQueueCapacity must be 0 or at least 16, got 8");
        assertThatThrownBy(() -> CallbackConfig.builder()
                        .overflowPolicy(OverflowPolicy.BLOCK)
                        .build())
                .hasMessageStartingWith("overflowPolicy must be one of")
                .hasMessageEndingWith("not BLOCK (callbacks must never make the caller wait), got BLOCK");
    }

    @Test
    void fromEnvironmentReadsEveryVariable() {
        CallbackConfig c = CallbackConfig.fromEnvironment(Map.of(
                "TRACKER_CALLBACKS_ENABLED", "false",
                "TRACKER_CALLBACKS_NAME", "hooks",
                "TRACKER_CALLBACKS_THREADS", "3",
                "TRACKER_CALLBACKS_TIMEOUT", "PT2S",
                "TRACKER_CALLBACKS_QUEUE_CAPACITY", "1000",
                "TRACKER_CALLBACKS_DISABLE_AFTER_FAILURES", "7",
                "TRACKER_CALLBACKS_DRAIN_TIMEOUT", "1500",
                "TRACKER_CALLBACKS_SINK_QUEUE_CAPACITY", "4096",
                "TRACKER_CALLBACKS_OVERFLOW_POLICY", "conflate"));
        assertThat(c)
                .isEqualTo(CallbackConfig.builder()
                        .enabled(false)
                        .name("hooks")
                        .threads(3)
                        .listenerTimeout(Duration.ofSeconds(2))
                        .listenerQueueCapacity(1000)
                        .disableAfterFailures(7)
                        .drainTimeout(Duration.ofMillis(1500))
                        .sinkQueueCapacity(4096)
                        .overflowPolicy(OverflowPolicy.CONFLATE)
                        .build());
        assertThat(CallbackConfig.fromEnvironment(Map.of())).isEqualTo(CallbackConfig.defaults());
    }

    @Test
    void badEnvironmentValuesNameTheVariable() {
        assertThatThrownBy(() -> CallbackConfig.fromEnvironment(Map.of("TRACKER_CALLBACKS_THREADS", "many")))
                .hasMessage("TRACKER_CALLBACKS_THREADS (threads) must be an integer, got 'many'");
        assertThatThrownBy(() -> CallbackConfig.fromEnvironment(Map.of("TRACKER_CALLBACKS_TIMEOUT", "soon")))
                .hasMessageStartingWith("TRACKER_CALLBACKS_TIMEOUT (listenerTimeout) must be an ISO-8601 duration");
        assertThatThrownBy(() -> CallbackConfig.fromEnvironment(Map.of("TRACKER_CALLBACKS_TIMEOUT", "0")))
                .hasMessage("TRACKER_CALLBACKS_TIMEOUT (listenerTimeout) must be above 0, got '0'");
        assertThatThrownBy(() -> CallbackConfig.fromEnvironment(Map.of("TRACKER_CALLBACKS_OVERFLOW_POLICY", "drop")))
                .hasMessageStartingWith("TRACKER_CALLBACKS_OVERFLOW_POLICY (overflowPolicy) must be one of");
    }
}

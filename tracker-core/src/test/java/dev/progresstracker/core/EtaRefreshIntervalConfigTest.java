package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code TrackerConfig.etaRefreshInterval}: core's ETA cache for events' run blocks (moved from AnalyticsConfig). */
class EtaRefreshIntervalConfigTest {

    @Test
    void defaultsToHalfASecondAndAcceptsZero() {
        assertThat(TrackerConfig.defaults().etaRefreshInterval())
                .isEqualTo(TrackerConfig.ETA_REFRESH_INTERVAL.defaultValue())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(TrackerConfig.builder()
                        .etaRefreshInterval(Duration.ZERO)
                        .build()
                        .etaRefreshInterval())
                .isZero();
        assertThat(TrackerConfig.defaults().toBuilder().etaRefreshInterval(Duration.ofSeconds(3)).build().toBuilder()
                        .build()
                        .etaRefreshInterval())
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void rejectsNegativeOrMissingNamingTheField() {
        assertThatThrownBy(() -> TrackerConfig.builder()
                        .etaRefreshInterval(Duration.ofMillis(-1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("etaRefreshInterval");
        assertThatThrownBy(
                        () -> TrackerConfig.builder().etaRefreshInterval(null).build())
                .hasMessageContaining("etaRefreshInterval");
    }

    @Test
    void isReadFromTheEnvironment() {
        assertThat(TrackerConfig.fromEnvironment(Map.of("TRACKER_ETA_REFRESH_INTERVAL", "PT2S"))
                        .etaRefreshInterval())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(TrackerConfig.fromEnvironment(Map.of("TRACKER_ETA_REFRESH_INTERVAL", "250"))
                        .etaRefreshInterval())
                .isEqualTo(Duration.ofMillis(250));
    }
}

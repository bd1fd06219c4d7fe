package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebSocketConfigTest {

    @Test
    void defaultsAreLoopbackAndDocumented() {
        WebSocketConfig c = WebSocketConfig.defaults();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8765);
        assertThat(c.dashboardHost()).isEqualTo("127.0.0.1");
        assertThat(c.dashboardPort()).isEqualTo(8766);
        assertThat(c.maxFrameBytes()).isEqualTo(64 * 1024);
        assertThat(c.authRequired()).isFalse();
        assertThat(c.allowedOrigins()).isEmpty();
        assertThat(c.sslContext()).isNull();
        assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxPendingHandshakes()).isEqualTo(256);
    }

    @Test
    void badValuesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> WebSocketConfig.builder().port(70000).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> WebSocketConfig.builder().host(" ").build()).hasMessageContaining("host");
        assertThatThrownBy(() -> WebSocketConfig.builder().maxFrameBytes(10).build())
                .hasMessageContaining("maxFrameBytes");
        assertThatThrownBy(() -> WebSocketConfig.builder().maxConnections(0).build())
                .hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> WebSocketConfig.builder().sendBufferBytes(100).build())
                .hasMessageContaining("sendBufferBytes");
        assertThatThrownBy(() -> WebSocketConfig.builder()
                        .idleTimeout(Duration.ofSeconds(1))
                        .build())
                .hasMessageContaining("idleTimeout")
                .hasMessageContaining("heartbeatInterval");
        assertThatThrownBy(() -> WebSocketConfig.builder()
                        .heartbeatInterval(Duration.ZERO)
                        .build())
                .hasMessageContaining("heartbeatInterval");
        assertThatThrownBy(() -> WebSocketConfig.builder()
                        .allowedOrigins(List.of("evil.example"))
                        .build())
                .hasMessageContaining("allowedOrigins");
        assertThatThrownBy(() -> WebSocketConfig.builder()
                        .handshakeTimeout(Duration.ofMillis(10))
                        .build())
                .hasMessageContaining("handshakeTimeout")
                .hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> WebSocketConfig.builder()
                        .handshakeTimeout(Duration.ofHours(1))
                        .build())
                .hasMessageContaining("handshakeTimeout");
        assertThatThrownBy(
                        () -> WebSocketConfig.builder().handshakeTimeout(null).build())
                .hasMessageContaining("handshakeTimeout");
        assertThatThrownBy(
                        () -> WebSocketConfig.builder().maxPendingHandshakes(0).build())
                .hasMessageContaining("maxPendingHandshakes")
                .hasMessageContaining("got 0");
        assertThatThrownBy(() ->
                        WebSocketConfig.builder().authToken("short secret!").build())
                .hasMessageContaining("authToken")
                .hasMessageNotContaining("short secret!");
    }

    @Test
    void fromEnvironmentReadsEveryVariableAndNamesABadOne() {
        WebSocketConfig c = WebSocketConfig.fromEnvironment(Map.of(
                "TRACKER_WS_HOST",
                "0.0.0.0",
                "TRACKER_WS_PORT",
                "9000",
                "TRACKER_WS_TOKEN",
                "abcdefghijklmnop-123",
                "TRACKER_WS_ALLOWED_ORIGINS",
                "https://a.example, https://b.example",
                "TRACKER_WS_MAX_CONNECTIONS",
                "10",
                "TRACKER_WS_HEARTBEAT_INTERVAL",
                "PT5S",
                "TRACKER_WS_IDLE_TIMEOUT",
                "20000",
                "TRACKER_DASHBOARD_PORT",
                "0",
                "TRACKER_WS_ENABLED",
                "false"));
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.authToken()).isEqualTo("abcdefghijklmnop-123");
        assertThat(c.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(c.maxConnections()).isEqualTo(10);
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.dashboardPort()).isZero();
        assertThat(c.enabled()).isFalse();
        WebSocketConfig h = WebSocketConfig.fromEnvironment(
                Map.of("TRACKER_WS_HANDSHAKE_TIMEOUT", "PT2S", "TRACKER_WS_MAX_PENDING_HANDSHAKES", "64"));
        assertThat(h.handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(h.maxPendingHandshakes()).isEqualTo(64);
        assertThatThrownBy(() -> WebSocketConfig.fromEnvironment(Map.of("TRACKER_WS_HANDSHAKE_TIMEOUT", "soon")))
                .hasMessageContaining("TRACKER_WS_HANDSHAKE_TIMEOUT");
        assertThatThrownBy(() -> WebSocketConfig.fromEnvironment(Map.of("TRACKER_WS_MAX_PENDING_HANDSHAKES", "-1")))
                .hasMessageContaining("maxPendingHandshakes");
        assertThatThrownBy(() -> WebSocketConfig.fromEnvironment(Map.of("TRACKER_WS_PORT", "many")))
                .hasMessageContaining("TRACKER_WS_PORT");
    }

    @Test
    void toStringNeverShowsTheToken() {
        String token = "abcdefghijklmnop-123";
        assertThat(WebSocketConfig.builder().authToken(token).build().toString())
                .doesNotContain(token)
                .contains("***");
    }
}

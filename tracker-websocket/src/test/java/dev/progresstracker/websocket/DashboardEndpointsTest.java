package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.HealthCheck;
import dev.progresstracker.core.spi.MetricsExposition;
import dev.progresstracker.core.spi.OutputHealth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code /metrics} and {@code /health} next to the dashboard: off until given, status codes for probes. */
class DashboardEndpointsTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static WebSocketProgressServer server() {
        return WebSocketProgressServer.builder()
                .config(WebSocketConfig.builder().port(0).build())
                .start();
    }

    @Test
    void metricsAreServedOnlyWhenGiven() throws Exception {
        try (WebSocketProgressServer ws = server();
                DashboardServer dash = DashboardServer.start(ws, "127.0.0.1", 0)) {
            assertThat(get(dash.uri().resolve("/metrics")).statusCode())
                    .as("off by default")
                    .isEqualTo(404);
            dash.serveMetrics(new MetricsExposition() {
                @Override
                public String contentType() {
                    return "text/plain; version=0.0.4; charset=utf-8";
                }

                @Override
                public String scrape() {
                    return "# TYPE tracker_run_percent gauge\ntracker_run_percent{cluster_name=\"c\"} 42.0\n";
                }
            });
            HttpResponse<String> r = get(dash.uri().resolve("/metrics"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(r.body()).contains("tracker_run_percent{cluster_name=\"c\"} 42.0");
            assertThat(get(dash.uri().resolve("/metrics/x")).statusCode()).isEqualTo(404);
            assertThat(http.send(
                                    HttpRequest.newBuilder(dash.uri().resolve("/metrics"))
                                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(405);
            assertThat(get(dash.uri()).statusCode())
                    .as("the page is still served")
                    .isEqualTo(200);
            assertThatThrownBy(() -> dash.serveMetrics(null)).hasMessageContaining("metrics must not be null");
        }
    }

    @Test
    void healthIsReadyUnlessAnOutputIsDownAndLiveWhileItAnswers() throws Exception {
        AtomicReference<OutputHealth> store = new AtomicReference<>(OutputHealth.up("store", "writing"));
        HealthCheck throwing = () -> {
            throw new IllegalStateException("boom");
        };
        try (WebSocketProgressServer ws = server();
                DashboardServer dash = DashboardServer.start(ws, "127.0.0.1", 0)) {
            dash.serveHealth(List.of(store::get));
            HttpResponse<String> up = get(dash.uri().resolve("/health"));
            assertThat(up.statusCode()).isEqualTo(200);
            JsonNode report = WireFormat.reader().readTree(up.body());
            assertThat(report.path("status").asText()).isEqualTo("UP");
            assertThat(report.path("outputs").findValuesAsText("output")).containsExactly("websocket", "store");

            store.set(OutputHealth.degraded("store", "retrying: disk \"full\""));
            HttpResponse<String> degraded = get(dash.uri().resolve("/health/ready"));
            assertThat(degraded.statusCode()).as("degraded is still ready").isEqualTo(200);
            assertThat(WireFormat.reader()
                            .readTree(degraded.body())
                            .path("outputs")
                            .get(1)
                            .path("detail")
                            .asText())
                    .isEqualTo("retrying: disk \"full\"");

            store.set(OutputHealth.down("store", "refusing"));
            assertThat(get(dash.uri().resolve("/health")).statusCode()).isEqualTo(503);
            assertThat(get(dash.uri().resolve("/health/live")).statusCode()).isEqualTo(200);
            assertThat(get(dash.uri().resolve("/healthz")).statusCode()).isEqualTo(404);

            store.set(OutputHealth.up("store", "writing"));
            ws.stop();
            HttpResponse<String> wsDown = get(dash.uri().resolve("/health"));
            assertThat(wsDown.statusCode()).isEqualTo(503);
            assertThat(wsDown.body()).contains("\"output\":\"websocket\",\"status\":\"DOWN\"");
        }
        try (WebSocketProgressServer ws = server();
                DashboardServer dash = DashboardServer.start(ws, "127.0.0.1", 0)) {
            dash.serveHealth(List.of(throwing));
            HttpResponse<String> r = get(dash.uri().resolve("/health"));
            assertThat(r.statusCode()).as("a throwing check is DOWN, not a 500").isEqualTo(503);
            assertThat(r.body()).contains("boom");
        }
    }
}

package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.json.WireFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class DashboardServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageItsScriptAndWhereTheWebSocketServerListens() throws Exception {
        try (WebSocketProgressServer ws = WebSocketProgressServer.builder()
                        .config(WebSocketConfig.builder()
                                .port(0)
                                .authToken("abcdefghijklmnop-123")
                                .build())
                        .start();
                DashboardServer dash = DashboardServer.start(ws, "127.0.0.1", 0)) {
            HttpResponse<String> page = get(dash.uri());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
            assertThat(page.body())
                    .contains("<script type=\"module\" src=\"dashboard.js\">")
                    .contains("<script src=\"vendor/uPlot.iife.min.js\">");
            assertThat(get(dash.uri().resolve("/dashboard.js")).body()).contains("sinceSequences");
            assertThat(get(dash.uri().resolve("/dashboard.css")).statusCode()).isEqualTo(200);
            // Every module the page imports is served as JavaScript; uPlot comes from its WebJar.
            java.util.regex.Matcher imports = java.util.regex.Pattern.compile("from '\\./([a-z]+\\.js)'")
                    .matcher(get(dash.uri().resolve("/dashboard.js")).body());
            int modules = 0;
            while (imports.find()) {
                HttpResponse<String> module = get(dash.uri().resolve("/" + imports.group(1)));
                assertThat(module.statusCode()).as(imports.group(1)).isEqualTo(200);
                assertThat(module.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
                modules++;
            }
            assertThat(modules).as("panel modules imported by dashboard.js").isGreaterThanOrEqualTo(8);
            assertThat(get(dash.uri().resolve("/vendor/uPlot.iife.min.js")).body())
                    .contains("uPlot");
            assertThat(get(dash.uri().resolve("/vendor/uPlot.min.css"))
                            .headers()
                            .firstValue("Content-Type"))
                    .hasValue("text/css; charset=utf-8");

            HttpResponse<String> config = get(dash.uri().resolve("/config.json"));
            JsonNode c = WireFormat.reader().readTree(config.body());
            assertThat(c.path("websocketUrl").asText()).isEqualTo(ws.uri().toString());
            assertThat(c.path("subprotocol").asText()).isEqualTo("progress-tracker.v1");
            assertThat(c.path("authRequired").asBoolean()).isTrue();
            assertThat(config.body()).doesNotContain("abcdefghijklmnop-123");

            assertThat(get(dash.uri().resolve("/../../etc/passwd")).statusCode())
                    .isEqualTo(404);
            assertThat(get(dash.uri().resolve("/nope")).statusCode()).isEqualTo(404);
            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(dash.uri())
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);

            ws.stop();
            assertThat(get(dash.uri().resolve("/config.json")).statusCode()).isEqualTo(503);
        }
    }
}

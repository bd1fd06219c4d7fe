package dev.progresstracker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.test.PrometheusText;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.Metric;

/**
 * The demo with CloudWatch alone ({@code --cloudwatch-endpoint} on ministack, no EventBridge) and
 * {@code --prometheus}: the dashboard's {@code /metrics} is scraped and parsed as the exposition
 * format, {@code /health} reports every output, and the closing lines say what CloudWatch accepted.
 */
class DemoMetricsIT {

    @RegisterExtension
    static final AwsEmulatorExtension MINISTACK = AwsEmulatorExtension.ministack();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void cloudWatchAloneAndPrometheusFromTheDashboard(@TempDir Path work) throws Exception {
        int dashboardPort = freePort();
        int wsPort = freePort();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Demo demo = new Demo(
                new PrintStream(console, true, StandardCharsets.UTF_8),
                Map.of("TRACKER_CLOUDWATCH_NAMESPACE", "DemoMetricsIT")::get);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(demo)
                .execute(
                        "--run-id",
                        "metrics-demo",
                        "--speed",
                        "40",
                        "--plain",
                        "--data-dir",
                        work.resolve("data").toString(),
                        "--ws-port",
                        Integer.toString(wsPort),
                        "--dashboard-port",
                        Integer.toString(dashboardPort),
                        "--cloudwatch-endpoint",
                        MINISTACK.endpoint().toString(),
                        "--prometheus",
                        "--linger",
                        "PT20S"));

        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + dashboardPort);
        AtomicReference<Map<String, PrometheusText.Family>> scraped = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    HttpResponse<String> r = get(http, base.resolve("/metrics"));
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.headers().firstValue("Content-Type"))
                            .get()
                            .asString()
                            .startsWith("text/plain; version=0.0.4");
                    Map<String, PrometheusText.Family> families = PrometheusText.parse(r.body());
                    scraped.set(families);
                    return families.get("tracker_upgrades_completed_total")
                                    .samples()
                                    .get(0)
                                    .value()
                            == 1.0;
                });
        Map<String, PrometheusText.Family> families = scraped.get();
        assertThat(families.get("tracker_tasks_completed_total").type()).isEqualTo("counter");
        assertThat(families.get("tracker_run_percent").samples())
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.value()).isEqualTo(100.0);
                    assertThat(s.labels())
                            .containsEntry("cluster_name", "demo-cluster")
                            .containsEntry("plan_id", "plan-1.31");
                });

        HttpResponse<String> health = get(http, base.resolve("/health"));
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode report = WireFormat.reader().readTree(health.body());
        assertThat(report.path("status").asText()).isEqualTo("UP");
        assertThat(report.path("outputs").findValuesAsText("output"))
                .containsExactlyInAnyOrder("websocket", "store", "cloudwatch");
        assertThat(get(http, base.resolve("/health/live")).statusCode()).isEqualTo(200);

        assertThat(exit.get(180, TimeUnit.SECONDS))
                .as(console.toString(StandardCharsets.UTF_8))
                .isZero();
        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains(
                        "EventBridge: off",
                        "CloudWatch: namespace 'DemoMetricsIT' at " + MINISTACK.endpoint(),
                        "Prometheus: " + base.resolve("/metrics"))
                .containsPattern("CloudWatch: all metrics published: [1-9][0-9]* data points accepted by CloudWatch in "
                        + "[1-9][0-9]* PutMetricData calls \\(0 failed, 0 data points in them\\)")
                .containsPattern(
                        "CloudWatch: usage published: ApiCalls [1-9][0-9,]* \\(ApiCallsFailed [0-9,]+\\), RateLimitHits [0-9,]+ "
                                + "\\(RateLimitDelay [0-9.]+ s\\), TokensIn [1-9][0-9,]*, TokensOut [1-9][0-9,]*, EstimatedCost [0-9]+\\.[0-9]{4} USD, "
                                + "QualityScore [01]\\.[0-9]{2}");
        try (CloudWatchAsyncClient cw = CloudWatchAsyncClient.builder()
                .endpointOverride(MINISTACK.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            assertThat(cw.listMetrics(b -> b.namespace("DemoMetricsIT")).join().metrics())
                    .extracting(Metric::metricName)
                    .contains(
                            "RunPercent",
                            "TasksCompleted",
                            "UpgradesCompleted",
                            "ApiCalls",
                            "TokensIn",
                            "EstimatedCost",
                            "QualityScore")
                    .doesNotContain("PublishLagP99");
        }
    }
}

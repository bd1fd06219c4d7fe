package dev.progresstracker.eventbridge.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import dev.progresstracker.eventbridge.EventBridgeSink;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import dev.progresstracker.test.aws.EventBridgeToSqs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The documented metric list ({@link TrackerMetric}) is what arrives in CloudWatch — names, units,
 * dimensions, usage counters with the run's known totals and the cost with its {@code Currency} — pushed with the current SDK's client (Smithy RPC v2 CBOR) to ministack and read back
 * with ListMetrics / GetMetricStatistics. moto does not answer CBOR (checked below), which is why
 * CloudWatch tests run on ministack; EventBridge goes to moto.
 */
class CloudWatchMetricsIT {

    @RegisterExtension
    static final AwsEmulatorExtension MINISTACK = AwsEmulatorExtension.ministack();

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    @TempDir
    Path dir;

    static CloudWatchAsyncClient client(URI endpoint) {
        return CloudWatchAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    /** Metric name plus its dimension names: what a published series looks like to ListMetrics. */
    static Set<String> listed(CloudWatchAsyncClient cw, String namespace) {
        Set<String> out = new TreeSet<>();
        for (Metric m : cw.listMetrics(b -> b.namespace(namespace)).join().metrics()) {
            out.add(m.metricName()
                    + new TreeSet<>(m.dimensions().stream().map(Dimension::name).toList()));
        }
        return out;
    }

    /** What {@link TrackerMetric#dimensionSets} promises, for a run with {@code RunId} and EventBridge on. */
    private static Set<String> documented() {
        Set<String> out = new TreeSet<>();
        for (TrackerMetric m : TrackerMetric.values()) {
            m.dimensionSets(true).forEach(d -> out.add(m.cloudWatchName() + new TreeSet<>(d)));
        }
        return out;
    }

    private static List<Datapoint> stats(CloudWatchAsyncClient cw, String ns, String name, Map<String, String> dims) {
        return cw.getMetricStatistics(b -> b.namespace(ns)
                        .metricName(name)
                        .period(60)
                        .startTime(Instant.now().minusSeconds(900))
                        .endTime(Instant.now().plusSeconds(900))
                        .statistics(Statistic.SUM, Statistic.MAXIMUM)
                        .dimensions(dims.entrySet().stream()
                                .map(e -> Dimension.builder()
                                        .name(e.getKey())
                                        .value(e.getValue())
                                        .build())
                                .toList()))
                .join()
                .datapoints();
    }

    @Test
    void theDocumentedMetricListArrivesWithItsUnitsAndDimensions() throws Exception {
        String ns = "TrackerListIT";
        try (CloudWatchAsyncClient cw = client(MINISTACK.endpoint());
                EventBridgeToSqs bus = EventBridgeToSqs.on(MOTO, "metrics-bus")) {
            CloudWatchMetrics metrics = CloudWatchMetrics.create(
                    CloudWatchConfig.builder()
                            .namespace(ns)
                            .step(Duration.ofSeconds(1))
                            .highResolution(true)
                            .includeRunId(true)
                            .build(),
                    cw);
            EventBridgeSink eventBridge = EventBridgeSink.builder(EventBridgeConfig.builder()
                            .eventBusName(bus.bus)
                            .region("us-east-1")
                            .endpointOverride(MOTO.endpoint())
                            .outboxDirectory(dir)
                            .build())
                    .credentialsProvider(
                            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                    .meterRegistry(metrics.registry())
                    .build();
            try (ProgressTracker t = ProgressTracker.builder()
                    .runId("cw-run-1")
                    .planId("plan-1")
                    .clusterName("prod-eu")
                    .config(TrackerConfig.builder()
                            .trackingMode(TrackingMode.ENHANCED)
                            .pricing(UsagePricing.builder()
                                    .currency("EUR")
                                    .model("m", 0.5, 1.5)
                                    .build())
                            .build())
                    .sink(metrics.sink())
                    .sink(eventBridge)
                    .build()) {
                t.addTasks(List.of(
                        TaskSpec.of("a", "A", TaskType.UPGRADE_STEP), TaskSpec.of("b", "B", TaskType.UPGRADE_STEP)));
                t.startUpgrade("control-plane");
                t.startTask("a");
                t.updateTaskProgress("a", 60, "working", null);
                t.recordApiCall("a", CallOutcome.SUCCEEDED, Duration.ofMillis(30));
                t.recordApiCall("a", CallOutcome.FAILED, Duration.ofMillis(30));
                t.recordRateLimit("a", Duration.ofMillis(2500));
                t.recordUsage("a", 1000, 200, "m");
                t.setQuality("a", 0.75);
                t.failTask("a", "throttled");
                t.startTask("a");
                t.raiseAlert(new Alert("stalled:a", "stalled-task", Alert.Severity.WARNING, "no progress", "a"));
                awaitPublishWhileRunning(metrics, cw, ns);
                t.completeTask("a");
                t.setCurrentPhase("data-plane");
                t.startTask("b");
                t.recordApiCall("b", CallOutcome.SUCCEEDED, Duration.ofMillis(30));
                t.recordUsage("b", 2000, 0, "m");
                t.completeTask("b");
                t.completeUpgrade();
                assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            }

            assertThat(listed(cw, ns)).isEqualTo(documented());
            Map<String, String> plan = Map.of("ClusterName", "prod-eu", "PlanId", "plan-1");
            for (TrackerMetric m : TrackerMetric.values()) {
                Map<String, String> dims = m.isProcessMetric()
                        ? Map.of("ClusterName", "prod-eu")
                        : m == TrackerMetric.ALERTS_ACTIVE
                                ? Map.of("ClusterName", "prod-eu", "PlanId", "plan-1", "Severity", "WARNING")
                                : m == TrackerMetric.ESTIMATED_COST
                                        ? Map.of("ClusterName", "prod-eu", "PlanId", "plan-1", "Currency", "EUR")
                                        : plan;
                assertThat(stats(cw, ns, m.cloudWatchName(), dims))
                        .as(m.cloudWatchName())
                        .isNotEmpty()
                        .allSatisfy(d -> assertThat(d.unitAsString())
                                .as(m.cloudWatchName())
                                .isEqualTo(m.unit().cloudWatch()));
            }
            assertThat(sum(stats(cw, ns, "TasksCompleted", plan))).isEqualTo(2.0);
            assertThat(sum(stats(cw, ns, "TasksRetried", plan))).isEqualTo(1.0);
            assertThat(sum(stats(
                            cw,
                            ns,
                            "TasksFailed",
                            Map.of("ClusterName", "prod-eu", "PlanId", "plan-1", "Phase", "control-plane"))))
                    .isEqualTo(1.0);
            assertThat(max(stats(cw, ns, "StalledTasks", plan))).isEqualTo(1.0);
            // Usage: the counters' data points add up to the run's totals, whichever publish carried them.
            assertThat(sum(stats(cw, ns, "ApiCalls", plan))).isEqualTo(3.0);
            assertThat(sum(stats(cw, ns, "ApiCallsFailed", plan))).isEqualTo(1.0);
            assertThat(sum(stats(cw, ns, "RateLimitHits", plan))).isEqualTo(1.0);
            assertThat(sum(stats(cw, ns, "RateLimitDelay", plan))).isEqualTo(2.5);
            assertThat(sum(stats(cw, ns, "TokensIn", plan))).isEqualTo(3000.0);
            assertThat(sum(stats(cw, ns, "TokensOut", plan))).isEqualTo(200.0);
            assertThat(sum(stats(
                            cw,
                            ns,
                            "EstimatedCost",
                            Map.of("ClusterName", "prod-eu", "PlanId", "plan-1", "Currency", "EUR"))))
                    .as("0.8 + 1.0 EUR")
                    .isCloseTo(1.8, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(max(stats(cw, ns, "QualityScore", plan))).isEqualTo(0.75);
        }
    }

    /** Waits until a step publish happened while the run is in progress (its ETA and stall figures exist only then). */
    private static void awaitPublishWhileRunning(CloudWatchMetrics metrics, CloudWatchAsyncClient cw, String ns) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> listed(cw, ns).contains("SecondsSinceProgress[ClusterName, PlanId]")
                        && listed(cw, ns).contains("StalledTasks[ClusterName, PlanId]")
                        && metrics.sink().samples().stream()
                                .anyMatch(s -> s.metric() == TrackerMetric.STALLED_TASKS && s.value() == 1)
                        && stats(cw, ns, "StalledTasks", Map.of("ClusterName", "prod-eu", "PlanId", "plan-1")).stream()
                                .anyMatch(d -> d.maximum() == 1.0));
    }

    @Test
    void aFiveSecondRunArrivesThroughTheFinalPublishOnClose() throws Exception {
        String ns = "TrackerShortRunIT";
        try (CloudWatchAsyncClient cw = client(MINISTACK.endpoint())) {
            CloudWatchMetrics metrics = CloudWatchMetrics.create(
                    CloudWatchConfig.builder().namespace(ns).build(), cw);
            Instant started = Instant.now();
            try (ProgressTracker t = ProgressTracker.builder()
                    .runId("short-1")
                    .planId("plan-1")
                    .clusterName("prod-eu")
                    .clock(Clock.systemUTC())
                    .sink(metrics.sink())
                    .build()) {
                t.addTasks(List.of(
                        TaskSpec.of("a", "A", TaskType.UPGRADE_STEP), TaskSpec.of("b", "B", TaskType.UPGRADE_STEP)));
                t.startUpgrade("control-plane");
                for (String task : List.of("a", "b")) {
                    t.startTask(task);
                    pace(started, task.equals("a") ? 2 : 4);
                    t.completeTask(task);
                }
                pace(started, 5);
                t.completeUpgrade();
            }
            assertThat(Duration.between(started, Instant.now()))
                    .as("shorter than the 60 s step")
                    .isLessThan(CloudWatchConfig.DEFAULT_STEP);
            assertThat(metrics.stats().calls())
                    .as("the final publish, the only one")
                    .isEqualTo(1);
            assertThat(metrics.stats().failedCalls()).isZero();
            Map<String, String> plan = Map.of("ClusterName", "prod-eu", "PlanId", "plan-1");
            assertThat(sum(stats(cw, ns, "TasksCompleted", plan))).isEqualTo(2.0);
            assertThat(sum(stats(cw, ns, "UpgradesCompleted", plan))).isEqualTo(1.0);
            assertThat(max(stats(cw, ns, "RunPercent", plan))).isEqualTo(100.0);
        }
    }

    /** Paces the run to {@code second} s after its start; what is asserted never depends on it. */
    private static void pace(Instant started, int second) throws InterruptedException {
        long ms = Duration.between(Instant.now(), started.plusSeconds(second)).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    @Test
    void motoDoesNotAnswerTheCborProtocolOfThisSdk() {
        try (CloudWatchAsyncClient cw = client(MOTO.endpoint())) {
            assertThatThrownBy(() -> cw.listMetrics(b -> b.namespace("x")).join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(CloudWatchException.class)
                    .hasMessageContaining("404");
        }
    }

    static double sum(List<Datapoint> points) {
        return points.stream().mapToDouble(Datapoint::sum).sum();
    }

    static double max(List<Datapoint> points) {
        return points.stream().mapToDouble(Datapoint::maximum).max().orElse(Double.NaN);
    }
}

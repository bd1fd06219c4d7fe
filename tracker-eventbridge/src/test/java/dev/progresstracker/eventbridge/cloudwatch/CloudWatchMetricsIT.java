package dev.progresstracker.eventbridge.cloudwatch;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.SampleRuns;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Run metrics pushed with the current SDK's CloudWatch client (Smithy RPC v2 CBOR) and read back with
 * ListMetrics / GetMetricData. ministack answers CBOR; moto does not (checked below), which is why
 * CloudWatch tests run on ministack.
 */
class CloudWatchMetricsIT {

    @RegisterExtension
    static final AwsEmulatorExtension MINISTACK = AwsEmulatorExtension.ministack();
    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    private static CloudWatchAsyncClient client(URI endpoint) {
        return CloudWatchAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    @Test
    void runMetricsArePublishedAndCanBeReadBack() throws Exception {
        Instant start = Instant.now().minusSeconds(600);
        try (CloudWatchAsyncClient cw = client(MINISTACK.endpoint())) {
            CloudWatchMetrics metrics = CloudWatchMetrics.create(CloudWatchConfig.builder().namespace("TrackerIT")
                    .step(Duration.ofSeconds(1)).includeRunId(true).build(), cw);
            MutableClock clock = MutableClock.at(Instant.now().toString());
            try (ProgressTracker t = ProgressTracker.builder().runId("cw-run-1").clusterName("prod-eu")
                    .clock(clock).sink(metrics.sink()).build()) {
                SampleRuns.drive(t, clock);
                assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            }
            metrics.close();

            List<Metric> listed = cw.listMetrics(b -> b.namespace("TrackerIT")).join().metrics();
            assertThat(listed).extracting(Metric::metricName).contains("tracker.tasks.completed.count",
                    "tracker.tasks.failed.count", "tracker.run.percent.value", "tracker.run.eta.seconds.value",
                    "tracker.tasks.throughput.value");
            assertThat(listed).allSatisfy(m -> assertThat(m.dimensions()).contains(
                    Dimension.builder().name("ClusterName").value("prod-eu").build(),
                    Dimension.builder().name("RunId").value("cw-run-1").build()));

            GetMetricDataResponse data = cw.getMetricData(b -> b.startTime(start).endTime(Instant.now().plusSeconds(600))
                    .metricDataQueries(query("completed", "tracker.tasks.completed.count"),
                            query("failed", "tracker.tasks.failed.count"))).join();
            assertThat(sum(data, "completed")).as("tasks completed in the sample run").isEqualTo(5.0);
            assertThat(sum(data, "failed")).isEqualTo(1.0);
        }
    }

    @Test
    void motoDoesNotAnswerTheCborProtocolOfThisSdk() {
        try (CloudWatchAsyncClient cw = client(MOTO.endpoint())) {
            assertThatThrownBy(() -> cw.listMetrics(b -> b.namespace("x")).join())
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(CloudWatchException.class)
                    .hasMessageContaining("404");
        }
    }

    private static MetricDataQuery query(String id, String name) {
        return MetricDataQuery.builder().id(id).metricStat(s -> s.period(60).stat("Sum").metric(m -> m
                .namespace("TrackerIT").metricName(name).dimensions(
                        Dimension.builder().name("ClusterName").value("prod-eu").build(),
                        Dimension.builder().name("RunId").value("cw-run-1").build()))).build();
    }

    private static double sum(GetMetricDataResponse r, String id) {
        return r.metricDataResults().stream().filter(x -> x.id().equals(id))
                .flatMap(x -> x.values().stream()).mapToDouble(Double::doubleValue).sum();
    }
}

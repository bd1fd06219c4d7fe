package dev.progresstracker.eventbridge.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.spi.OutputHealth;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.SampleRuns;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/** Publishing rounds against a fake client: deltas, batching, failures, the final publish, health. */
class CloudWatchMetricsTest {

    private final List<PutMetricDataRequest> calls = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

    private final CloudWatchAsyncClient client = new CloudWatchAsyncClient() {
        @Override
        public CompletableFuture<PutMetricDataResponse> putMetricData(PutMetricDataRequest r) {
            calls.add(r);
            return failing
                    ? CompletableFuture.failedFuture(CloudWatchException.builder()
                            .message("throttled")
                            .statusCode(400)
                            .build())
                    : CompletableFuture.completedFuture(
                            PutMetricDataResponse.builder().build());
        }

        @Override
        public String serviceName() {
            return "monitoring";
        }

        @Override
        public void close() {}
    };

    private CloudWatchMetrics metrics(CloudWatchConfig.Builder b) {
        // a step of an hour: only the test's publishNow() and close() publish
        return CloudWatchMetrics.create(
                b.namespace("Test").step(Duration.ofHours(1)).build(), client, clock);
    }

    private static double sum(List<PutMetricDataRequest> rs, String name, int dims) {
        return rs.stream()
                .flatMap(r -> r.metricData().stream())
                .filter(d -> d.metricName().equals(name) && d.dimensions().size() == dims)
                .mapToDouble(MetricDatum::value)
                .sum();
    }

    @Test
    void countersAreSentAsTheCountSinceTheLastAcceptedCall() {
        CloudWatchMetrics m = metrics(CloudWatchConfig.builder());
        SampleRuns.upgrade("a").forEach(m.sink()::publish);
        assertThat(m.publishNow()).isTrue();
        assertThat(sum(calls, "TasksCompleted", 2)).isEqualTo(5.0);
        calls.clear();
        assertThat(m.publishNow()).isTrue();
        assertThat(sum(calls, "TasksCompleted", 2)).as("nothing new").isZero();

        failing = true;
        SampleRuns.upgrade("b").forEach(m.sink()::publish);
        assertThat(m.publishNow()).isFalse();
        failing = false;
        calls.clear();
        assertThat(m.publishNow()).isTrue();
        assertThat(sum(calls, "TasksCompleted", 2))
                .as("the failed call's counts go with the next")
                .isEqualTo(5.0);
        assertThat(m.stats().failedCalls()).isEqualTo(1);
    }

    @Test
    void dataCarryUnitsDimensionsAndTheConfiguredResolution() {
        CloudWatchMetrics m = metrics(CloudWatchConfig.builder().highResolution(true));
        SampleRuns.upgrade("a").forEach(m.sink()::publish);
        m.publishNow();
        List<MetricDatum> data = calls.get(0).metricData();
        assertThat(calls.get(0).namespace()).isEqualTo("Test");
        assertThat(data).allSatisfy(d -> {
            TrackerMetric metric = TrackerMetric.byCloudWatchName(d.metricName());
            assertThat(d.unit()).isEqualTo(StandardUnit.fromValue(metric.unit().cloudWatch()));
            assertThat(d.storageResolution()).isEqualTo(1);
            assertThat(d.dimensions().get(0).name()).isEqualTo("ClusterName");
            assertThat(d.timestamp()).isEqualTo(clock.instant());
        });
        assertThat(data)
                .filteredOn(d -> d.metricName().equals("RunPercent"))
                .singleElement()
                .satisfies(d -> assertThat(d.unit()).isEqualTo(StandardUnit.PERCENT));
    }

    @Test
    void splitsIntoCallsOfAtMostTheBatchSize() {
        CloudWatchMetrics m = metrics(CloudWatchConfig.builder().batchSize(5));
        SampleRuns.upgrade("a").forEach(m.sink()::publish);
        m.publishNow();
        assertThat(calls)
                .hasSizeGreaterThan(2)
                .allSatisfy(r -> assertThat(r.metricData()).hasSizeLessThanOrEqualTo(5));
        assertThat(m.stats().dataPoints())
                .isEqualTo(calls.stream().mapToLong(r -> r.metricData().size()).sum());
        assertThat(m.stats().calls()).isEqualTo(calls.size());
    }

    @Test
    void closingTheSinkPublishesOnceMoreAndOnlyOnce() throws Exception {
        CloudWatchMetrics m = metrics(CloudWatchConfig.builder());
        SampleRuns.upgrade("a").forEach(m.sink()::publish);
        m.sink().close();
        m.close();
        assertThat(calls).hasSize(1);
        assertThat(sum(calls, "UpgradesCompleted", 2)).isEqualTo(1.0);
    }

    @Test
    void healthIsDegradedWhileCallsFailAndUpAgainAfterOneSucceeds() {
        CloudWatchMetrics m = metrics(CloudWatchConfig.builder());
        assertThat(m.check().status()).isEqualTo(OutputHealth.Status.UP);
        SampleRuns.upgrade("a").forEach(m.sink()::publish);
        failing = true;
        m.publishNow();
        assertThat(m.check().status()).isEqualTo(OutputHealth.Status.DEGRADED);
        assertThat(m.check().detail()).contains("throttled");
        failing = false;
        m.publishNow();
        assertThat(m.check().status()).isEqualTo(OutputHealth.Status.UP);
    }

    @Test
    void disabledPublishesNothing() {
        CloudWatchMetrics m = metrics(CloudWatchConfig.builder().enabled(false));
        SampleRuns.upgrade("a").forEach(m.sink()::publish);
        m.close();
        assertThat(calls).isEmpty();
    }
}

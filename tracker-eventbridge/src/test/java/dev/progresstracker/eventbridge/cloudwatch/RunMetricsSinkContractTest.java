package dev.progresstracker.eventbridge.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.test.EventSinkContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;

/**
 * The shared sink contract for {@link RunMetricsSink}, published by {@link CloudWatchMetrics} to a
 * fake client. Its world holds counters, not events, so it overrides {@link #assertShows} and
 * {@link #shows}: a run's {@code TasksCompleted} and {@code UpgradesCompleted} (summed over every
 * {@code PutMetricData} call, per {@code RunId}) equal the number of those events of the run.
 */
class RunMetricsSinkContractTest extends EventSinkContract {

    private final Map<EventSink, List<PutMetricDataRequest>> calls = new IdentityHashMap<>();
    private final List<CloudWatchMetrics> publishers = new ArrayList<>();

    @Override
    protected EventSink createSink() {
        List<PutMetricDataRequest> received = new CopyOnWriteArrayList<>();
        CloudWatchAsyncClient client = new CloudWatchAsyncClient() {
            @Override
            public CompletableFuture<PutMetricDataResponse> putMetricData(PutMetricDataRequest r) {
                received.add(r);
                return CompletableFuture.completedFuture(
                        PutMetricDataResponse.builder().build());
            }

            @Override
            public String serviceName() {
                return "monitoring";
            }

            @Override
            public void close() {}
        };
        CloudWatchMetrics metrics = CloudWatchMetrics.create(
                CloudWatchConfig.builder()
                        .namespace("Contract")
                        .step(Duration.ofSeconds(1))
                        .includeRunId(true)
                        .build(),
                client);
        publishers.add(metrics);
        calls.put(metrics.sink(), received);
        return metrics.sink();
    }

    @Override
    protected void assertShows(EventSink sink, List<ProgressEvent> emitted, boolean afterOverflow) {
        for (String runId :
                emitted.stream().map(ProgressEvent::runId).distinct().toList()) {
            long tasks = emitted.stream()
                    .filter(e -> e.runId().equals(runId) && e.type() == EventType.TASK_COMPLETED)
                    .count();
            long upgrades = emitted.stream()
                    .filter(e -> e.runId().equals(runId) && e.type() == EventType.UPGRADE_COMPLETED)
                    .count();
            await().atMost(deliveryTimeout()).untilAsserted(() -> {
                assertThat(sum(sink, runId, "TasksCompleted"))
                        .as("TasksCompleted of %s", runId)
                        .isEqualTo((double) tasks);
                assertThat(sum(sink, runId, "UpgradesCompleted"))
                        .as("UpgradesCompleted of %s", runId)
                        .isEqualTo((double) upgrades);
            });
        }
    }

    /** The contract asks this of a run's {@code upgrade.completed}: counted when it was published. */
    @Override
    protected boolean shows(EventSink sink, ProgressEvent event) {
        assertThat(event.type()).isEqualTo(EventType.UPGRADE_COMPLETED);
        return sum(sink, event.runId(), "UpgradesCompleted") > 0;
    }

    private double sum(EventSink sink, String runId, String metric) {
        return calls.get(sink).stream()
                .flatMap(r -> r.metricData().stream())
                .filter(d -> d.metricName().equals(metric)
                        && d.dimensions().stream()
                                .anyMatch(dim -> dim.name().equals(TrackerMetric.RUN_ID)
                                        && dim.value().equals(runId)))
                .mapToDouble(MetricDatum::value)
                .sum();
    }

    @AfterEach
    void closePublishers() {
        publishers.forEach(CloudWatchMetrics::close);
    }
}

package dev.progresstracker.eventbridge.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.PrometheusText;
import dev.progresstracker.test.SampleRuns;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The same metric list in the Prometheus text format, with Prometheus names and labels. */
class PrometheusMetricsTest {

    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

    @Test
    void exposesEveryMetricOfTheListUnderItsPrometheusName() {
        SimpleMeterRegistry eventBridge = new SimpleMeterRegistry();
        Timer.builder(RunMetricsSink.PUBLISH_LAG_METER)
                .publishPercentiles(0.5, 0.99)
                .register(eventBridge)
                .record(250, TimeUnit.MILLISECONDS);
        Gauge.builder(RunMetricsSink.OUTBOX_DEPTH_METER, () -> 3).register(eventBridge);
        RunMetricsSink sink = new RunMetricsSink(false, eventBridge, clock);
        PrometheusMetrics prometheus = PrometheusMetrics.create(sink, false);
        SampleRuns.record(
                        "p-0",
                        dev.progresstracker.core.TrackerConfig.builder()
                                .pricing(dev.progresstracker.core.UsagePricing.builder()
                                        .model("model-a", 0.5, 1.5)
                                        .build())
                                .build(),
                        SampleRuns::driveUsage)
                .forEach(sink::publish); // usage counters, cost and quality
        var events = SampleRuns.upgrade("p-1");
        events.subList(0, events.size() - 1).forEach(sink::publish); // still in progress: every gauge present

        Map<String, PrometheusText.Family> families = PrometheusText.parse(prometheus.scrape());
        Set<String> expected = Arrays.stream(TrackerMetric.values())
                .map(TrackerMetric::prometheusName)
                .collect(Collectors.toSet());
        assertThat(families.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        for (TrackerMetric m : TrackerMetric.values()) {
            String family = m.prometheusName();
            assertThat(families.get(family).type())
                    .as(family)
                    .isEqualTo(m.kind() == TrackerMetric.Kind.COUNTER ? "counter" : "gauge");
            assertThat(families.get(family).samples())
                    .as(family)
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(s.name()).isEqualTo(m.prometheusName()));
        }
        PrometheusText.Sample completed = families.get("tracker_tasks_completed_total").samples().stream()
                .filter(s -> s.labels().get("phase").equals("data-plane"))
                .findFirst()
                .orElseThrow();
        assertThat(completed.labels()).containsEntry("cluster_name", "prod-eu").containsEntry("plan_id", "plan-1");
        assertThat(completed.value()).isEqualTo(3.0);
        assertThat(families.get("tracker_eventbridge_publish_lag_p99_seconds")
                        .samples()
                        .get(0)
                        .value())
                .as("milliseconds become seconds")
                .isBetween(0.2, 0.3);
        assertThat(families.get("tracker_alerts_active").samples())
                .extracting(s -> s.labels().get("severity"))
                .containsExactlyInAnyOrder("INFO", "WARNING", "CRITICAL");
    }

    @Test
    void countersGrowBetweenScrapesAndRunLabelsAppearOnlyWhenAsked() {
        RunMetricsSink sink = new RunMetricsSink(true, null, clock);
        PrometheusMetrics prometheus = PrometheusMetrics.create(sink, true);
        SampleRuns.upgrade("r-1").forEach(sink::publish);
        double first = total(prometheus, "r-1");
        SampleRuns.upgrade("r-2").forEach(sink::publish);
        Map<String, PrometheusText.Family> families = PrometheusText.parse(prometheus.scrape());
        assertThat(total(prometheus, "r-1")).isEqualTo(first).isEqualTo(1.0);
        assertThat(families.get("tracker_run_percent").samples())
                .extracting(s -> s.labels().get("run_id"))
                .containsExactlyInAnyOrder("r-1", "r-2");
    }

    private static double total(PrometheusMetrics p, String run) {
        return PrometheusText.parse(p.scrape()).get("tracker_upgrades_completed_total").samples().stream()
                .filter(s -> run.equals(s.labels().get("run_id")))
                .mapToDouble(PrometheusText.Sample::value)
                .sum();
    }

    @Test
    void theParserRejectsWhatIsNotTheExpositionFormat() {
        assertThatThrownBy(() -> PrometheusText.parse("tracker_x 1\n")).hasMessageContaining("no declared family");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx{a=b} 1\n"))
                .hasMessageContaining("bad labels");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x gauge\nx one\n"))
                .hasMessageContaining("bad value");
    }

    @Test
    void labelsAreSnakeCase() {
        assertThat(PrometheusMetrics.label("ClusterName")).isEqualTo("cluster_name");
        assertThat(PrometheusMetrics.label("Phase")).isEqualTo("phase");
    }
}

package dev.progresstracker.eventbridge.cloudwatch;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.SampleRuns;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunMetricsSinkTest {

    @Test
    void countsCompletedAndFailedTasksAndFollowsPercentAndEta() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunMetricsSink sink = new RunMetricsSink(registry, true);
        List<ProgressEvent> events = SampleRuns.upgrade("m-1");
        events.forEach(sink::publish);

        assertThat(registry.get("tracker.tasks.completed").tag("ClusterName", "prod-eu").tag("RunId", "m-1")
                .counter().count()).isEqualTo(5.0);
        assertThat(registry.get("tracker.tasks.failed").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("tracker.run.percent").gauge().value())
                .isEqualTo(events.get(events.size() - 1).run().percent());
        assertThat(registry.get("tracker.tasks.throughput").gauge().value()).isEqualTo(5 / 5.0);
    }

    @Test
    void withoutRunIdRunsOfOneClusterShareASeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunMetricsSink sink = new RunMetricsSink(registry, false);
        SampleRuns.upgrade("a").forEach(sink::publish);
        SampleRuns.upgrade("b").forEach(sink::publish);
        assertThat(registry.get("tracker.tasks.completed").counters()).hasSize(1);
        assertThat(registry.get("tracker.tasks.completed").counter().count()).isEqualTo(10.0);
    }

    @Test
    void keepsABoundedNumberOfSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunMetricsSink sink = new RunMetricsSink(registry, true);
        List<ProgressEvent> one = SampleRuns.failure("x");
        for (int i = 0; i < RunMetricsSink.MAX_SERIES + 10; i++) {
            String run = "r" + i;
            one.forEach(e -> sink.publish(SampleRuns.failure(run).get((int) e.sequence() - 1)));
            if (i > 3) {
                break;
            }
        }
        assertThat(registry.get("tracker.run.percent").gauges().size()).isLessThanOrEqualTo(RunMetricsSink.MAX_SERIES);
    }
}

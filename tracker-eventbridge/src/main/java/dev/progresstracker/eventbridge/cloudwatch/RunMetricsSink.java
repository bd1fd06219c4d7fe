package dev.progresstracker.eventbridge.cloudwatch;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns events into run meters on a {@link MeterRegistry} (the CloudWatch one, usually), tagged
 * {@code ClusterName} and optionally {@code RunId}: {@code tracker.tasks.completed} and
 * {@code tracker.tasks.failed} (counters), {@code tracker.run.percent}, {@code tracker.run.eta.seconds}
 * and {@code tracker.tasks.throughput} (tasks completed per minute over the last 5 minutes), gauges.
 * Without {@code RunId} the gauges of a cluster follow its most recent event. At most
 * {@value #MAX_SERIES} series are kept; the oldest one's meters are removed beyond that.
 *
 * <p>Threading: the dispatcher calls {@link #publish} on the sink's thread; gauges are read by the
 * registry's publishing thread (volatile fields).
 */
public final class RunMetricsSink implements EventSink {

    static final int MAX_SERIES = 256;
    private static final long WINDOW_MILLIS = Duration.ofMinutes(5).toMillis();

    private final MeterRegistry registry;
    private final boolean includeRunId;
    private final Map<Tags, Series> series = new LinkedHashMap<>(16, 0.75f, true);

    private final Runnable onClose;

    public RunMetricsSink(MeterRegistry registry, boolean includeRunId) {
        this(registry, includeRunId, () -> { });
    }

    RunMetricsSink(MeterRegistry registry, boolean includeRunId, Runnable onClose) {
        this.registry = registry;
        this.includeRunId = includeRunId;
        this.onClose = onClose;
    }

    /** Closes what the sink was made for (for {@link CloudWatchMetrics#sink()}: one last push to CloudWatch). */
    @Override
    public void close() {
        onClose.run();
    }

    private final class Series {
        final Tags tags;
        final Counter completed;
        final Counter failed;
        final ArrayDeque<Long> completions = new ArrayDeque<>();
        volatile double percent;
        volatile double etaSeconds = Double.NaN;
        volatile double throughput;

        Series(Tags tags) {
            this.tags = tags;
            completed = Counter.builder("tracker.tasks.completed").description("Tasks completed").tags(tags)
                    .register(registry);
            failed = Counter.builder("tracker.tasks.failed").description("Task failures").tags(tags).register(registry);
            Gauge.builder("tracker.run.percent", this, s -> s.percent).description("Run completion 0..100")
                    .baseUnit("percent").tags(tags).register(registry);
            Gauge.builder("tracker.run.eta.seconds", this, s -> s.etaSeconds).description("Estimated seconds left")
                    .baseUnit("seconds").tags(tags).register(registry);
            Gauge.builder("tracker.tasks.throughput", this, s -> s.throughput)
                    .description("Tasks completed per minute over the last 5 minutes").tags(tags).register(registry);
        }

        void remove() {
            registry.getMeters().stream().filter(m -> Tags.of(m.getId().getTags()).equals(tags)
                    && m.getId().getName().startsWith("tracker.")).toList().forEach(registry::remove);
        }
    }

    @Override
    public String name() {
        return "cloudwatch-metrics";
    }

    @Override
    public void publish(ProgressEvent event) {
        String cluster = event.header().clusterName() == null ? "unknown" : event.header().clusterName();
        Tags tags = includeRunId ? Tags.of("ClusterName", cluster, "RunId", event.runId()) : Tags.of("ClusterName", cluster);
        Series s = series.computeIfAbsent(tags, Series::new);
        if (series.size() > MAX_SERIES) {
            var eldest = series.entrySet().iterator().next();
            eldest.getValue().remove();
            series.remove(eldest.getKey());
        }
        long now = event.time().toEpochMilli();
        if (event.type() == EventType.TASK_COMPLETED) {
            s.completed.increment();
            s.completions.addLast(now);
        } else if (event.type() == EventType.TASK_FAILED) {
            s.failed.increment();
        }
        while (!s.completions.isEmpty() && s.completions.peekFirst() < now - WINDOW_MILLIS) {
            s.completions.pollFirst();
        }
        s.throughput = s.completions.size() / (WINDOW_MILLIS / 60_000.0);
        s.percent = event.run().percent();
        s.etaSeconds = event.run().eta() == null ? Double.NaN : event.run().eta().seconds();
    }
}

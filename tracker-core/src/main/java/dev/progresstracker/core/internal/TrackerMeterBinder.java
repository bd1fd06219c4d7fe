package dev.progresstracker.core.internal;

import dev.progresstracker.core.TaskStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;

/** Meters of one tracker, all prefixed {@code tracker.} and tagged {@code run}. Reads are lock-free. */
public final class TrackerMeterBinder implements MeterBinder {

    private final TrackerEngine engine;

    public TrackerMeterBinder(TrackerEngine engine) {
        this.engine = engine;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags run = Tags.of("run", engine.runId());
        for (TaskStatus s : TaskStatus.values()) {
            Gauge.builder("tracker.tasks", engine, e -> e.count(s))
                    .description("Tasks of the run by status")
                    .tags(run.and("status", s.name().toLowerCase(Locale.ROOT)))
                    .register(registry);
        }
        Gauge.builder("tracker.run.percent", engine, TrackerEngine::percent)
                .description("Run completion, 0..100")
                .baseUnit("percent")
                .tags(run)
                .register(registry);
        Gauge.builder(
                        "tracker.run.eta",
                        engine,
                        e -> e.eta().map(eta -> (double) eta.seconds()).orElse(Double.NaN))
                .description("Estimated seconds to completion")
                .baseUnit("seconds")
                .tags(run)
                .register(registry);
        FunctionCounter.builder("tracker.events", engine, TrackerEngine::eventsEmitted)
                .description("Events emitted")
                .tags(run)
                .register(registry);
        FunctionCounter.builder("tracker.progress.updates", engine, TrackerEngine::progressUpdates)
                .description("updateTaskProgress calls accepted")
                .tags(run)
                .register(registry);
        Gauge.builder("tracker.store.healthy", engine, e -> e.storeHealth().isWriting() ? 1 : 0)
                .description("1 while the store writes this run's events normally, 0 while it retries or refuses")
                .tags(run)
                .register(registry);
        Gauge.builder(
                        "tracker.store.backlog.events",
                        engine,
                        e -> e.storeHealth().backlogEvents())
                .description("Events the store accepted but has not stored yet")
                .tags(run)
                .register(registry);
        Gauge.builder(
                        "tracker.store.backlog.bytes",
                        engine,
                        e -> e.storeHealth().backlogBytes())
                .description("Bytes of those events, as far as the store knows")
                .baseUnit("bytes")
                .tags(run)
                .register(registry);
        Dispatcher d = engine.dispatcher();
        bindChannel(registry, d.storeChannel(), run);
        for (SinkChannel c : d.sinkChannels()) {
            bindChannel(registry, c, run);
        }
    }

    private static void bindChannel(MeterRegistry registry, SinkChannel c, Tags run) {
        Tags tags = run.and("sink", c.name());
        Gauge.builder("tracker.sink.queue.depth", c, SinkChannel::depth)
                .description("Events waiting for the sink")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("tracker.sink.published", c.counters(), ChannelCounters::publishedCount)
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("tracker.sink.dropped", c.counters(), ChannelCounters::droppedCount)
                .description("Progress events dropped because the queue was full")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("tracker.sink.conflated", c.counters(), ChannelCounters::conflatedCount)
                .description("Progress events replaced by a newer one of the same task")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("tracker.sink.failures", c.counters(), ChannelCounters::failureCount)
                .description("Events the sink threw on")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder(
                        "tracker.sink.lifecycle.over.capacity",
                        c.counters(),
                        ChannelCounters::lifecycleOverCapacityCount)
                .description("Lifecycle events queued beyond the queue's capacity (they are never dropped)")
                .tags(tags)
                .register(registry);
    }
}

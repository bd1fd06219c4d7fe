package dev.progresstracker.eventbridge.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Meters of one EventBridge sink, prefixed {@code tracker.eventbridge.} and tagged {@code sink}:
 * {@code published}, {@code failed} (dead-lettered), {@code retried}, {@code truncated},
 * {@code outbox.depth}, {@code buffered}, {@code batch.size}, {@code publish.lag} (receipt by
 * the sink to acceptance by EventBridge) and {@code errors} (tag {@code cause}, see
 * {@link FailureCause#tag()}: failed calls, and entries rejected one by one). Thread-safe.
 */
final class PublisherMetrics {
    final Counter published;
    final Counter failed;
    final Counter retried;
    final DistributionSummary batchSize;
    final Timer lag;
    private final Map<FailureCause, Counter> errors = new EnumMap<>(FailureCause.class);
    /** Own counts: a meter of a registry with nothing behind it (the bare global one) counts nothing. */
    private final Map<FailureCause, java.util.concurrent.atomic.AtomicLong> errorCounts =
            new EnumMap<>(FailureCause.class);

    private final Supplier<Number> conflatedSource;
    private final Supplier<Number> truncatedSource;

    PublisherMetrics(
            MeterRegistry registry,
            String sinkName,
            Supplier<Number> outboxDepth,
            Supplier<Number> buffered,
            Supplier<Number> conflated,
            Supplier<Number> truncated) {
        Tags tags = Tags.of("sink", sinkName);
        published = Counter.builder("tracker.eventbridge.published")
                .description("Entries EventBridge accepted")
                .tags(tags)
                .register(registry);
        failed = Counter.builder("tracker.eventbridge.failed")
                .description("Entries given up on and written to the dead-letter file")
                .tags(tags)
                .register(registry);
        retried = Counter.builder("tracker.eventbridge.retried")
                .description("Entries sent again after a failure")
                .tags(tags)
                .register(registry);
        batchSize = DistributionSummary.builder("tracker.eventbridge.batch.size")
                .description("Entries per PutEvents call")
                .tags(tags)
                .register(registry);
        lag = Timer.builder("tracker.eventbridge.publish.lag")
                .description("From receipt by the sink to acceptance by EventBridge")
                .publishPercentiles(0.5, 0.99)
                .tags(tags)
                .register(registry);
        Gauge.builder("tracker.eventbridge.outbox.depth", outboxDepth)
                .description("Entries waiting in the durable outbox")
                .tags(tags)
                .register(registry);
        Gauge.builder("tracker.eventbridge.buffered", buffered)
                .description("Entries waiting in memory")
                .tags(tags)
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "tracker.eventbridge.conflated", conflated, n -> n.get().doubleValue())
                .description("Progress entries replaced by a newer one of the same task")
                .tags(tags)
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "tracker.eventbridge.truncated", truncated, n -> n.get().doubleValue())
                .description("Oversized entries trimmed")
                .tags(tags)
                .register(registry);
        for (FailureCause c : FailureCause.values()) {
            errors.put(
                    c,
                    Counter.builder("tracker.eventbridge.errors")
                            .description("Failed PutEvents calls and individually rejected entries, by cause")
                            .tags(tags)
                            .tag("cause", c.tag())
                            .register(registry));
            errorCounts.put(c, new java.util.concurrent.atomic.AtomicLong());
        }
        // The counters hold their suppliers weakly; keep them reachable, or they are collected and the counts freeze.
        this.conflatedSource = conflated;
        this.truncatedSource = truncated;
    }

    void error(FailureCause cause) {
        errors.get(cause).increment();
        errorCounts.get(cause).incrementAndGet();
    }

    long errorCount(FailureCause cause) {
        return errorCounts.get(cause).get();
    }

    void delivered(long lagMillis) {
        published.increment();
        lag.record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
    }
}

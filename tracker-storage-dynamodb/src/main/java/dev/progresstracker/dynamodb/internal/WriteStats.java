package dev.progresstracker.dynamodb.internal;

import dev.progresstracker.dynamodb.DynamoDbStoreStats;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/**
 * Counters of one store's writes; thread-safe. Also the {@link MetricPublisher} every request of the
 * store carries, which counts the retries the SDK makes inside one call.
 */
public final class WriteStats implements MetricPublisher {
    final LongAdder appended = new LongAdder();
    final LongAdder eventsWritten = new LongAdder();
    final LongAdder eventsCoalesced = new LongAdder();
    final LongAdder commits = new LongAdder();
    final LongAdder itemsWritten = new LongAdder();
    final LongAdder estimatedWriteUnits = new LongAdder();
    final DoubleAdder reportedWriteUnits = new DoubleAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder batchRetries = new LongAdder();
    final LongAdder sdkRetries = new LongAdder();
    final LongAdder replaysRecognised = new LongAdder();
    final LongAdder conflicts = new LongAdder();
    final LongAdder retryWarnings = new LongAdder();
    final LongAdder writesGivenUp = new LongAdder();
    final LongAdder failedOnClose = new LongAdder();
    final LongAdder stateChunksWritten = new LongAdder();
    final LongAdder stateSizeWarnings = new LongAdder();

    public void countAppend() {
        appended.increment();
    }

    public void countFailedOnClose(int events) {
        failedOnClose.add(events);
    }

    /** {@code f} was committed; {@code capacity} is what DynamoDB reported for it, or null. */
    void committed(Flight f, ConsumedCapacity capacity) {
        commits.increment();
        eventsWritten.add(f.batch().size());
        itemsWritten.add(f.items().size() + 1);
        stateChunksWritten.add(f.plan().chunks().size());
        estimatedWriteUnits.add(f.units());
        if (capacity != null && capacity.capacityUnits() != null) {
            reportedWriteUnits.add(capacity.capacityUnits());
        }
    }

    private volatile String lastAttemptError;
    private volatile long lastAttemptErrorNanos;

    @Override
    public void publish(MetricCollection metrics) {
        // One collection per SDK attempt; RETRY_COUNT is missing when the call's timeout ended it.
        List<MetricCollection> attempts =
                metrics.childrenWithName("ApiCallAttempt").toList();
        if (attempts.size() > 1) {
            sdkRetries.add(attempts.size() - 1);
        }
        for (MetricCollection attempt : attempts) {
            for (String type : attempt.metricValues(CoreMetric.ERROR_TYPE)) {
                if (type != null) {
                    lastAttemptError = type;
                    lastAttemptErrorNanos = System.nanoTime();
                }
            }
        }
    }

    /**
     * What the SDK's attempts inside the store's calls last failed with (its error type: Throttling,
     * ServerError, IO, …) if that was within {@code window}, else null. A call the store's attempt
     * timeout ended says only "timeout"; this says why its attempts failed.
     */
    public String recentAttemptError(java.time.Duration window) {
        String e = lastAttemptError;
        return e != null && System.nanoTime() - lastAttemptErrorNanos < window.toNanos() ? e : null;
    }

    @Override
    public void close() {
        // Nothing to release: the counters live as long as the store.
    }

    /** The counters now. */
    public DynamoDbStoreStats totals() {
        return new DynamoDbStoreStats(
                appended.sum(),
                eventsWritten.sum(),
                eventsCoalesced.sum(),
                commits.sum(),
                itemsWritten.sum(),
                estimatedWriteUnits.sum(),
                reportedWriteUnits.sum(),
                retries.sum(),
                batchRetries.sum(),
                sdkRetries.sum(),
                replaysRecognised.sum(),
                conflicts.sum(),
                retryWarnings.sum(),
                writesGivenUp.sum(),
                failedOnClose.sum(),
                stateChunksWritten.sum(),
                stateSizeWarnings.sum());
    }
}

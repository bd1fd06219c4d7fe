package dev.progresstracker.dynamodb.internal;

import dev.progresstracker.dynamodb.DynamoDbStoreStats;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

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

    @Override
    public void publish(MetricCollection metrics) {
        for (Integer n : metrics.metricValues(CoreMetric.RETRY_COUNT)) {
            if (n != null && n > 0) {
                sdkRetries.add(n);
            }
        }
    }

    @Override
    public void close() {
        // Nothing to release: the counters live as long as the store.
    }

    public DynamoDbStoreStats snapshot() {
        return new DynamoDbStoreStats(appended.sum(), eventsWritten.sum(), eventsCoalesced.sum(), commits.sum(),
                itemsWritten.sum(), estimatedWriteUnits.sum(), reportedWriteUnits.sum(), retries.sum(),
                batchRetries.sum(), sdkRetries.sum(), replaysRecognised.sum(), conflicts.sum(), retryWarnings.sum(),
                writesGivenUp.sum(), failedOnClose.sum(), stateChunksWritten.sum(), stateSizeWarnings.sum());
    }
}

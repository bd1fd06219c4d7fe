package dev.progresstracker.dynamodb.internal;

import dev.progresstracker.dynamodb.DynamoDbStoreStats;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one store's writes; thread-safe. */
public final class WriteStats {
    final LongAdder appended = new LongAdder();
    final LongAdder eventsWritten = new LongAdder();
    final LongAdder eventsCoalesced = new LongAdder();
    final LongAdder commits = new LongAdder();
    final LongAdder itemsWritten = new LongAdder();
    final LongAdder estimatedWriteUnits = new LongAdder();
    final DoubleAdder reportedWriteUnits = new DoubleAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder replaysRecognised = new LongAdder();
    final LongAdder conflicts = new LongAdder();

    public void countAppend() {
        appended.increment();
    }

    public DynamoDbStoreStats snapshot() {
        return new DynamoDbStoreStats(appended.sum(), eventsWritten.sum(), eventsCoalesced.sum(), commits.sum(),
                itemsWritten.sum(), estimatedWriteUnits.sum(), reportedWriteUnits.sum(), retries.sum(),
                replaysRecognised.sum(), conflicts.sum());
    }
}

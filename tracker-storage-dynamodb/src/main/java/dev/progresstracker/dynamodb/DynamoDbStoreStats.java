package dev.progresstracker.dynamodb;

/**
 * Counters of a {@link DynamoDbProgressStore} since it was built.
 *
 * @param appended            events handed to {@code append}
 * @param eventsWritten       event items written
 * @param eventsCoalesced     {@code task.progress} events replaced by a newer one of the same task before being written
 * @param transactions        successful {@code TransactWriteItems} calls
 * @param itemsWritten        items put by those transactions (run, task and event items)
 * @param estimatedWriteUnits write capacity units those items cost by DynamoDB's rule (1 per started KB, doubled
 *                            in a transaction)
 * @param reportedWriteUnits  write units the service reported ({@code ReturnConsumedCapacity}); 0 if it reports none
 * @param retries             transaction attempts repeated after throttling, 5xx or a lost response
 * @param replaysRecognised   retried transactions found already applied (by their last eventId) and not repeated
 * @param conflicts           writes refused because another writer had taken the run's sequence
 */
public record DynamoDbStoreStats(
        long appended,
        long eventsWritten,
        long eventsCoalesced,
        long transactions,
        long itemsWritten,
        long estimatedWriteUnits,
        double reportedWriteUnits,
        long retries,
        long replaysRecognised,
        long conflicts) {
}

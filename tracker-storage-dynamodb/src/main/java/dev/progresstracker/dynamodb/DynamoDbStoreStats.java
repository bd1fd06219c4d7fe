package dev.progresstracker.dynamodb;

/**
 * Counters of a {@link DynamoDbProgressStore} since it was built.
 *
 * @param appended            events handed to {@code append}
 * @param eventsWritten       event items written
 * @param eventsCoalesced     {@code task.progress} events replaced by a newer one of the same task before being written
 * @param commits             writes committed (each: its event items, then one conditional put of the run item)
 * @param itemsWritten        items put by those writes (event items and run items)
 * @param estimatedWriteUnits write capacity units those items cost by DynamoDB's rule (1 per started KB)
 * @param reportedWriteUnits  write units the service reported ({@code ReturnConsumedCapacity}); 0 if it reports none
 * @param retries             commit attempts repeated after throttling, 5xx, a timeout or a lost response
 * @param replaysRecognised   retried commits found already applied (the run's head is their last eventId)
 * @param conflicts           writes refused because another writer had taken the run's sequence
 */
public record DynamoDbStoreStats(
        long appended,
        long eventsWritten,
        long eventsCoalesced,
        long commits,
        long itemsWritten,
        long estimatedWriteUnits,
        double reportedWriteUnits,
        long retries,
        long replaysRecognised,
        long conflicts) {
}

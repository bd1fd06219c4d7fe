package dev.progresstracker.dynamodb;

/**
 * Counters of a {@link DynamoDbProgressStore} since it was built.
 *
 * @param appended            events handed to {@code append}
 * @param eventsWritten       event items written
 * @param eventsCoalesced     {@code task.progress} events replaced by a newer one of the same task before being written
 * @param commits             writes committed (each: its event items, then one conditional put of the run item)
 * @param itemsWritten        items put by those writes (event items, state chunks and run items)
 * @param estimatedWriteUnits write capacity units those items cost by DynamoDB's rule (1 per started KB)
 * @param reportedWriteUnits  write units the service reported ({@code ReturnConsumedCapacity}); 0 if it reports none
 * @param retries             commit attempts repeated by the store after throttling, 5xx, a timeout or a lost response
 * @param batchRetries        {@code BatchWriteItem} calls repeated by the store (unprocessed items or a failed call)
 * @param sdkRetries          attempts the AWS SDK repeated inside the store's calls (from the SDK's metrics)
 * @param replaysRecognised   retried commits found already applied (the run's head is their last eventId)
 * @param conflicts           writes refused because another writer had taken the run's sequence
 * @param retryWarnings       write episodes that failed (or stayed unanswered) longer than {@code retryWarnAfter}
 * @param writesGivenUp       writes whose events failed after {@code writeTimeout} or {@code writeAttempts}
 * @param failedOnClose       events still unconfirmed when {@code close()} ran out of {@code closeTimeout}, failed then
 * @param stateChunksWritten  state chunk items written for runs whose state outgrew the run item
 * @param stateSizeWarnings   runs whose compressed state passed 80 % of {@code maxRunStateBytes} (one WARN each)
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
        long batchRetries,
        long sdkRetries,
        long replaysRecognised,
        long conflicts,
        long retryWarnings,
        long writesGivenUp,
        long failedOnClose,
        long stateChunksWritten,
        long stateSizeWarnings) {

    /** Every repeated attempt: the store's commit and batch retries plus the SDK's own. */
    public long totalRetries() {
        return retries + batchRetries + sdkRetries;
    }
}

package dev.progresstracker.dynamodb.internal;

import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Unconditional bulk writes (event items, state chunks; deleting a run) through {@code BatchWriteItem}:
 * at most {@value #MAX_BATCH} requests per call (enforced here, since emulators may not), and the
 * {@code UnprocessedItems} DynamoDB hands back are sent again with backoff, within a
 * {@link WriteBudget}. Every repeated call counts in {@code batchRetries}. Thread-safe.
 */
public final class BatchWriter {

    /** DynamoDB's limit of requests in one BatchWriteItem call. */
    public static final int MAX_BATCH = 25;

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    private final DynamoDbAsyncClient client;
    private final String table;
    private final DynamoDbStoreConfig config;
    private final WriteStats stats;

    public BatchWriter(DynamoDbAsyncClient client, String table, DynamoDbStoreConfig config, WriteStats stats) {
        this.client = client;
        this.table = table;
        this.config = config;
        this.stats = stats;
    }

    /** Writes every request, blocking; throws if some are still unprocessed when the budget is spent. */
    public void writeAll(List<WriteRequest> requests) {
        WriteBudget budget = WriteBudget.start(config, stats);
        for (int from = 0; from < requests.size(); from += MAX_BATCH) {
            List<WriteRequest> left =
                    new ArrayList<>(requests.subList(from, Math.min(requests.size(), from + MAX_BATCH)));
            for (int attempt = 1; !left.isEmpty(); attempt++) {
                final List<WriteRequest> send = left;
                Throwable cause;
                try {
                    BatchWriteItemResponse r = Async.await(client.batchWriteItem(
                            b -> b.requestItems(Map.of(table, send)).overrideConfiguration(budget.attempt())));
                    left = r.hasUnprocessedItems() ? r.unprocessedItems().getOrDefault(table, List.of()) : List.of();
                    cause = new IllegalStateException(left.size() + " item(s) left unprocessed by BatchWriteItem");
                } catch (RuntimeException e) {
                    if (!Async.isRetryable(e)) {
                        throw e;
                    }
                    cause = e;
                }
                if (left.isEmpty()) {
                    break;
                }
                long delay = budget.retryDelayMillis(attempt);
                if (delay < 0) {
                    throw new IllegalStateException(
                            "BatchWriteItem on table '" + table + "' gave up " + budget.spent(attempt) + ": " + cause,
                            cause);
                }
                stats.batchRetries.increment();
                TableLayout.sleep(delay);
            }
        }
    }

    /**
     * Writes every request without blocking: chunks go out in parallel, each retried on its own
     * (unprocessed items and retryable failures) with backoff on {@code scheduler}.
     */
    public CompletableFuture<Void> writeAllAsync(
            List<WriteRequest> requests,
            ScheduledExecutorService scheduler,
            WriteBudget budget,
            WriteBudget.RetryListener listener) {
        List<CompletableFuture<Void>> chunks = new ArrayList<>();
        for (int from = 0; from < requests.size(); from += MAX_BATCH) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            sendChunk(
                    new ArrayList<>(requests.subList(from, Math.min(requests.size(), from + MAX_BATCH))),
                    1,
                    done,
                    scheduler,
                    budget,
                    listener);
            chunks.add(done);
        }
        return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new));
    }

    private void sendChunk(
            List<WriteRequest> send,
            int attempt,
            CompletableFuture<Void> done,
            ScheduledExecutorService scheduler,
            WriteBudget budget,
            WriteBudget.RetryListener listener) {
        CompletableFuture<BatchWriteItemResponse> call;
        try {
            call = client.batchWriteItem(
                    b -> b.requestItems(Map.of(table, send)).overrideConfiguration(budget.attempt()));
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((r, t) -> {
            List<WriteRequest> again;
            Throwable cause;
            if (t != null) {
                cause = Async.unwrap(t);
                if (!Async.isRetryable(t)) {
                    done.completeExceptionally(cause);
                    return;
                }
                again = send;
            } else {
                again = r.hasUnprocessedItems() ? r.unprocessedItems().getOrDefault(table, List.of()) : List.of();
                if (again.isEmpty()) {
                    done.complete(null);
                    return;
                }
                cause = new IllegalStateException(again.size() + " of " + send.size()
                        + " item(s) left unprocessed by BatchWriteItem (throttled)");
            }
            long delay = budget.retryDelayMillis(attempt);
            if (delay < 0) {
                done.completeExceptionally(new IllegalStateException(
                        "BatchWriteItem on table '" + table + "' gave up " + budget.spent(attempt) + ": " + cause,
                        cause));
                return;
            }
            stats.batchRetries.increment();
            listener.retrying(cause);
            LOG.debug("BatchWriteItem attempt {} failed ({}); retrying in {} ms", attempt, cause, delay);
            final List<WriteRequest> next = again;
            try {
                scheduler.schedule(
                        () -> sendChunk(next, attempt + 1, done, scheduler, budget, listener),
                        delay,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                done.completeExceptionally(new IllegalStateException(
                        "the DynamoDB store closed while retrying " + "BatchWriteItem on table '" + table + "' ("
                                + cause + ")",
                        cause));
            }
        });
    }
}

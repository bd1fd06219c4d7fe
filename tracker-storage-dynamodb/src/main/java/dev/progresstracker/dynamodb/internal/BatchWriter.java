package dev.progresstracker.dynamodb.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Unconditional bulk writes (event items; deleting a run) through {@code BatchWriteItem}: at most
 * {@value #MAX_BATCH} requests per call (enforced here, since emulators may not), and the
 * {@code UnprocessedItems} DynamoDB hands back are sent again with exponential backoff. Thread-safe.
 */
public final class BatchWriter {

    /** DynamoDB's limit of requests in one BatchWriteItem call. */
    public static final int MAX_BATCH = 25;

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    private final DynamoDbAsyncClient client;
    private final String table;
    private final int attempts;
    private final Duration baseDelay;

    public BatchWriter(DynamoDbAsyncClient client, String table, int attempts, Duration baseDelay) {
        this.client = client;
        this.table = table;
        this.attempts = attempts;
        this.baseDelay = baseDelay;
    }

    /** Writes every request; throws if some are still unprocessed after the configured attempts. */
    public void writeAll(List<WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += MAX_BATCH) {
            writeChunk(new ArrayList<>(requests.subList(from, Math.min(requests.size(), from + MAX_BATCH))));
        }
    }

    /**
     * Writes every request without blocking: chunks go out in parallel, each retried on its own
     * (unprocessed items and retryable failures) with backoff on {@code scheduler}.
     */
    public CompletableFuture<Void> writeAllAsync(List<WriteRequest> requests, ScheduledExecutorService scheduler) {
        List<CompletableFuture<Void>> chunks = new ArrayList<>();
        for (int from = 0; from < requests.size(); from += MAX_BATCH) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            sendChunk(new ArrayList<>(requests.subList(from, Math.min(requests.size(), from + MAX_BATCH))), 1, done,
                    scheduler);
            chunks.add(done);
        }
        return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new));
    }

    private void sendChunk(List<WriteRequest> send, int attempt, CompletableFuture<Void> done,
                           ScheduledExecutorService scheduler) {
        CompletableFuture<BatchWriteItemResponse> call;
        try {
            call = client.batchWriteItem(b -> b.requestItems(Map.of(table, send)));
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((r, t) -> {
            List<WriteRequest> again;
            if (t != null) {
                if (!Async.isRetryable(t) || attempt >= attempts) {
                    done.completeExceptionally(Async.unwrap(t));
                    return;
                }
                again = send;
            } else {
                again = r.hasUnprocessedItems() ? r.unprocessedItems().getOrDefault(table, List.of()) : List.of();
                if (again.isEmpty()) {
                    done.complete(null);
                    return;
                }
                if (attempt >= attempts) {
                    done.completeExceptionally(new IllegalStateException(again.size() + " item(s) of table '" + table
                            + "' were still unprocessed after " + attempts + " BatchWriteItem attempts"));
                    return;
                }
                LOG.debug("BatchWriteItem left {} of {} item(s) unprocessed; retrying", again.size(), send.size());
            }
            final List<WriteRequest> next = again;
            scheduler.schedule(() -> sendChunk(next, attempt + 1, done, scheduler),
                    Async.backoffMillis(baseDelay, attempt), TimeUnit.MILLISECONDS);
        });
    }

    private void writeChunk(List<WriteRequest> chunk) {
        List<WriteRequest> left = chunk;
        for (int attempt = 1; ; attempt++) {
            final List<WriteRequest> send = left;
            BatchWriteItemResponse r;
            try {
                r = Async.await(client.batchWriteItem(b -> b.requestItems(Map.of(table, send))));
            } catch (RuntimeException e) {
                if (!Async.isRetryable(e) || attempt >= attempts) {
                    throw e;
                }
                TableLayout.sleep(Async.backoffMillis(baseDelay, attempt));
                continue;
            }
            List<WriteRequest> unprocessed = r.hasUnprocessedItems() ? r.unprocessedItems().getOrDefault(table, List.of())
                    : List.of();
            if (unprocessed.isEmpty()) {
                return;
            }
            if (attempt >= attempts) {
                throw new IllegalStateException(unprocessed.size() + " item(s) of table '" + table
                        + "' were still unprocessed after " + attempts + " BatchWriteItem attempts");
            }
            LOG.debug("BatchWriteItem left {} of {} item(s) unprocessed; retrying (attempt {})", unprocessed.size(),
                    send.size(), attempt + 1);
            left = unprocessed;
            TableLayout.sleep(Async.backoffMillis(baseDelay, attempt));
        }
    }
}

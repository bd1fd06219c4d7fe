package dev.progresstracker.dynamodb.internal;

import static dev.progresstracker.dynamodb.internal.TableLayout.HEAD_EVENT_ID;
import static dev.progresstracker.dynamodb.internal.TableLayout.LAST_SEQ;

import dev.progresstracker.dynamodb.SequenceConflictException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/**
 * The wire side of one run's writes: puts a {@link Flight}'s items, then its run item on the
 * condition that the head is still this writer's, retrying within the flight's {@link WriteBudget},
 * and tells the writer how it ended — exactly one of committed, conflicted (another writer moved
 * the run on) or gave up — plus each failed attempt that will be retried. Thread-safe; never blocks
 * the caller (reads after a failed condition run on the store's scheduler).
 */
final class FlightCommitter {

    /** How a flight ended; called once per flight, from SDK or scheduler threads. */
    interface Outcomes {
        void committed(Flight f, ConsumedCapacity capacity);

        void conflicted(Flight f, SequenceConflictException conflict);

        void gaveUp(Flight f, String what, Throwable cause);

        void retrying(String problem);
    }

    private static final Logger LOG = LoggerFactory.getLogger(FlightCommitter.class);

    private final String runId;
    private final WriterContext shared;
    private final Outcomes outcomes;

    FlightCommitter(String runId, WriterContext shared, Outcomes outcomes) {
        this.runId = runId;
        this.shared = shared;
        this.outcomes = outcomes;
    }

    void send(Flight f) {
        shared.batchWriter()
                .writeAllAsync(f.items(), shared.scheduler(), f.budget(), this::retrying)
                .whenComplete((v, t) -> {
                    if (t == null) {
                        putRunItem(f, 1);
                    } else {
                        Throwable cause = Async.unwrap(t);
                        outcomes.gaveUp(f, "could not be written to " + shared.where() + ": " + describe(cause), cause);
                    }
                });
    }

    private void retrying(Throwable cause) {
        outcomes.retrying(describe(cause));
    }

    /** The cause in words, with what the SDK's own attempts failed with when the store's attempt timed out. */
    private String describe(Throwable cause) {
        String d = Async.describe(cause);
        String sdk = shared.stats().recentAttemptError(shared.config().writeTimeout());
        return sdk == null || d.contains(sdk) ? d : d + " (the SDK's attempts failed with: " + sdk + ")";
    }

    private void putRunItem(Flight f, int attempt) {
        CompletableFuture<PutItemResponse> call;
        try {
            call = shared.client()
                    .putItem(f.runPut().toBuilder()
                            .overrideConfiguration(f.budget().attempt())
                            .build());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((r, t) -> {
            if (t == null) {
                outcomes.committed(f, r.consumedCapacity());
                return;
            }
            Throwable cause = Async.unwrap(t);
            if (Async.isConditionFailure(cause)) {
                // Off the SDK's thread: telling our own earlier attempt from another writer takes a read.
                execute(f, () -> resolveConditionFailure(f, cause));
                return;
            }
            long delay = Async.isRetryable(cause) ? f.budget().retryDelayMillis(attempt) : -1;
            if (delay < 0) {
                outcomes.gaveUp(
                        f,
                        "were not confirmed as committed to " + shared.where() + " "
                                + f.budget().spent(attempt) + ": "
                                + describe(cause),
                        cause);
                return;
            }
            shared.stats().retries.increment();
            retrying(cause);
            LOG.debug(
                    "run '{}': commit of #{}..#{} failed ({}); attempt {} in {} ms",
                    runId,
                    f.firstSeq(),
                    f.lastSeq(),
                    cause,
                    attempt + 1,
                    delay);
            try {
                shared.scheduler().schedule(() -> putRunItem(f, attempt + 1), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                outcomes.gaveUp(
                        f,
                        "were not committed: the store closed while retrying (" + Async.describe(cause) + ")",
                        cause);
            }
        });
    }

    private void execute(Flight f, Runnable task) {
        try {
            shared.scheduler().execute(task);
        } catch (RejectedExecutionException e) {
            outcomes.gaveUp(f, "were not confirmed: the store closed", e);
        }
    }

    /**
     * The commit's condition failed: either an earlier attempt of this very put was applied and only
     * its response was lost (then the run item's head is our last eventId), or another writer has
     * moved the run on.
     */
    private void resolveConditionFailure(Flight f, Throwable t) {
        try {
            Map<String, AttributeValue> run = shared.reader().runItem(runId);
            long storedSeq = run == null ? 0 : ItemCodec.seq(run, LAST_SEQ);
            if (run != null && f.lastEventId().equals(run.get(HEAD_EVENT_ID).s())) {
                shared.stats().replaysRecognised.increment();
                outcomes.committed(f, null);
                return;
            }
            shared.stats().conflicts.increment();
            String storedHead = run == null ? null : run.get(HEAD_EVENT_ID).s();
            outcomes.conflicted(
                    f, new SequenceConflictException(runId, f.firstSeq(), f.lastSeq(), storedSeq, storedHead));
            if (f.plan().stateKey() != null) {
                deleteChunks(f.plan().stateKey(), f.plan().chunks().size()); // ours, never committed: invisible
            }
        } catch (RuntimeException e) {
            e.addSuppressed(t);
            outcomes.gaveUp(
                    f,
                    "could not be confirmed (the commit's condition failed and reading the run item failed: "
                            + Async.describe(e) + ")",
                    e);
        }
    }

    /**
     * Best effort, without waiting: deletes the chunks of a state nobody points to any more (TTL
     * removes what this misses). A reader that read the old run item just before sees fewer chunks
     * than it names and reads again.
     */
    void deleteChunks(String key, int count) {
        shared.batchWriter()
                .writeAllAsync(
                        RunReader.stateChunkDeletes(runId, key, count),
                        shared.scheduler(),
                        WriteBudget.start(shared.config(), shared.stats()),
                        cause -> {})
                .whenComplete((v, t) -> {
                    if (t != null) {
                        LOG.debug(
                                "run '{}': state chunks {} not deleted ({}); TTL removes them",
                                runId,
                                key,
                                t.toString());
                    }
                });
    }
}

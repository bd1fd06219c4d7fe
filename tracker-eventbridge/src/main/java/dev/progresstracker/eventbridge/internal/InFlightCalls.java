package dev.progresstracker.eventbridge.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * The {@link Publisher}'s {@code PutEvents} calls: prepared and counted under its monitor, started
 * after the monitor is released (the SDK marshals and signs on the starting thread), their outcome
 * classified ({@link CallVerdict#classify}) on the publisher's scheduler thread and handed back.
 *
 * <p>Not thread-safe: {@link #prepare}, {@link #takePrepared}, {@link #answered} and the counts are
 * guarded by the publisher's monitor; {@link #start} runs without it.
 */
final class InFlightCalls {

    private static final Logger LOG = LoggerFactory.getLogger(InFlightCalls.class);

    /** One call: its batch, whether the batch came from the outbox, when it started. */
    record Call(List<PendingEntry> batch, boolean fromOutbox, long startedAt) {}

    private final PutEventsCaller caller;
    private final PublisherMetrics metrics;
    private final int maxAttempts;
    private final Executor scheduler;
    private final BiConsumer<Call, CallVerdict> onVerdict;
    private final List<Call> prepared = new ArrayList<>();
    private int calls;
    private int entries;
    private long requests;

    /**
     * @param scheduler where outcomes are classified and handed on (the caller's thread once it refuses)
     * @param onVerdict what the publisher does with a call's verdict; runs without its monitor
     */
    InFlightCalls(
            PutEventsCaller caller,
            PublisherMetrics metrics,
            int maxAttempts,
            Executor scheduler,
            BiConsumer<Call, CallVerdict> onVerdict) {
        this.caller = caller;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.scheduler = scheduler;
        this.onVerdict = onVerdict;
    }

    /** Counts {@code batch} as in flight; the call starts once the monitor is released. */
    void prepare(List<PendingEntry> batch, boolean fromOutbox, long now) {
        calls++;
        if (!fromOutbox) {
            entries += batch.size();
        }
        requests++;
        metrics.batchSize.record(batch.size());
        prepared.add(new Call(batch, fromOutbox, now));
    }

    /** The calls prepared since the last take; empty if none. */
    List<Call> takePrepared() {
        if (prepared.isEmpty()) {
            return List.of();
        }
        List<Call> out = new ArrayList<>(prepared);
        prepared.clear();
        return out;
    }

    /** Starts {@code c} without the publisher's monitor. */
    void start(Call c) {
        caller.call(c.batch(), (r, t) -> {
            try {
                scheduler.execute(() -> answer(c, r, t));
            } catch (RejectedExecutionException ex) {
                answer(c, r, t);
            }
        });
    }

    private void answer(Call c, PutEventsResponse r, Throwable t) {
        CallVerdict verdict;
        try {
            verdict = CallVerdict.classify(c.batch(), r, t, maxAttempts);
        } catch (RuntimeException bug) {
            // Never leave the call in flight: that would stall its run for good.
            LOG.error("could not classify the outcome of a PutEvents call ({}); its entries are dead-lettered", t, bug);
            verdict = CallVerdict.classify(c.batch(), null, bug, 1);
        }
        onVerdict.accept(c, verdict);
    }

    /** {@code c} was answered: it no longer counts as in flight. */
    void answered(Call c) {
        calls--;
        if (!c.fromOutbox()) {
            entries -= c.batch().size();
        }
    }

    /** Calls in flight. */
    int count() {
        return calls;
    }

    /** Entries from memory (not the outbox) in calls in flight. */
    int entries() {
        return entries;
    }

    /** Calls prepared so far. */
    long requests() {
        return requests;
    }
}

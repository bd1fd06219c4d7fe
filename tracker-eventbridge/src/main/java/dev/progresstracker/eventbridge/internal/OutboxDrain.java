package dev.progresstracker.eventbridge.internal;

import java.util.List;

/**
 * Draining the outbox: when a new window is due, the {@link DrainRound} in progress and its waves (one
 * probing call while the endpoint is down, else up to {@code maxConcurrentRequests}), and the
 * acknowledgement of a finished window, queued for {@link DeferredWrites}. Guarded by the publisher's
 * monitor; the window itself is read outside it ({@link Outbox#peek}).
 */
final class OutboxDrain {

    private final Outbox outbox;
    private final DeferredWrites deferred;
    private final int maxBatchEntries;
    private final int maxConcurrentRequests;
    private final long maxRequestBytes;
    private DrainRound round;

    OutboxDrain(
            Outbox outbox,
            DeferredWrites deferred,
            int maxBatchEntries,
            int maxConcurrentRequests,
            long maxRequestBytes) {
        this.outbox = outbox;
        this.deferred = deferred;
        this.maxBatchEntries = maxBatchEntries;
        this.maxConcurrentRequests = maxConcurrentRequests;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** How many entries to read for a new round now (0: none is due, e.g. a round or its ack is open). */
    int windowDue(boolean outage) {
        if (round != null || deferred.pendingAck() > 0 || outbox.depth() == 0) {
            return 0;
        }
        return maxBatchEntries * (outage ? 1 : maxConcurrentRequests);
    }

    /** Starts a round on {@code window} (read from the head); false if one is open already or it is empty. */
    boolean start(List<PendingEntry> window) {
        if (window.isEmpty() || round != null) {
            return false;
        }
        round = new DrainRound(window);
        return true;
    }

    /** True if the round's previous wave is answered and the next may go. */
    boolean waveDue() {
        return round != null && !round.waveInFlight();
    }

    /** The round's next wave of batches. */
    List<List<PendingEntry>> nextWave(boolean outage) {
        return round.nextWave(outage ? 1 : maxConcurrentRequests, maxBatchEntries, maxRequestBytes);
    }

    /** Books one answered call of the round; once the window is done, its acknowledgement is queued. */
    void answered(List<PendingEntry> retry) {
        round.answered(retry);
        if (round.done()) {
            deferred.ack(round.windowSize());
            round = null;
        }
    }

    boolean roundOpen() {
        return round != null;
    }

    /** Nothing in the outbox, nothing on its way into it, no round and no acknowledgement open. */
    boolean empty() {
        return outbox.depth() == 0 && deferred.unappended() == 0 && round == null && deferred.pendingAck() == 0;
    }
}

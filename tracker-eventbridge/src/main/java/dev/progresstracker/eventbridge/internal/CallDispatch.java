package dev.progresstracker.eventbridge.internal;

import dev.progresstracker.eventbridge.EventBridgeConfig;
import java.util.List;

/**
 * Which calls a {@link Publisher} prepares next. On the direct path (nothing spilled) it takes a batch
 * from the {@link Lanes} once one is due (full by count or bytes, its oldest entry waited
 * {@code maxBatchDelay}, or a flush asks), while fewer than {@code maxConcurrentRequests} are in flight
 * and the {@link CallBook} allows calls; entries no call could carry are rejected through the book.
 * While spilling it sends the {@link OutboxDrain} round's waves. Runs under the publisher's monitor.
 */
final class CallDispatch {

    private final EventBridgeConfig config;
    private final Lanes lanes;
    private final InFlightCalls calls;
    private final CallBook book;
    private final OutboxDrain drain;
    private final long maxBatchDelay;

    CallDispatch(EventBridgeConfig config, Lanes lanes, InFlightCalls calls, CallBook book, OutboxDrain drain) {
        this.config = config;
        this.lanes = lanes;
        this.calls = calls;
        this.book = book;
        this.drain = drain;
        this.maxBatchDelay = config.maxBatchDelay().toMillis();
    }

    /** Prepares the calls that are due at {@code now}; with {@code flushing}, whatever can go. */
    void direct(long now, boolean flushing) {
        while (calls.count() < config.maxConcurrentRequests() && book.mayCall(now)) {
            Lanes.Scan s = lanes.scan(now, config.maxBatchEntries(), flushing);
            if (s.sendable() == 0) {
                return;
            }
            boolean due = flushing
                    || s.sendable() >= config.maxBatchEntries()
                    || s.sendableBytes() >= config.maxRequestBytes()
                    || now - s.oldestArrival() >= maxBatchDelay;
            if (!due) {
                return;
            }
            List<PendingEntry> batch = lanes.take(now, config.maxBatchEntries(), config.maxRequestBytes(), flushing);
            List<PendingEntry> rejected = lanes.takeRejected();
            for (PendingEntry e : rejected) {
                book.rejectIfTooLarge(e, now);
            }
            if (batch.isEmpty()) {
                if (rejected.isEmpty()) {
                    return;
                }
                continue;
            }
            calls.prepare(batch, false, now);
        }
    }

    /** While spilling: the round's next wave if one is due and calls are allowed. */
    void spilling(long now) {
        if (drain.waveDue() && book.mayCall(now)) {
            wave(now);
        }
    }

    /** Sends the round's next wave: one call (a probe) while the endpoint is down, else up to the limit. */
    void wave(long now) {
        for (List<PendingEntry> batch : drain.nextWave(book.outageOngoing())) {
            calls.prepare(batch, true, now);
        }
    }
}

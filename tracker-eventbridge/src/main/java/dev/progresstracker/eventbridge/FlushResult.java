package dev.progresstracker.eventbridge;

/**
 * What {@link EventBridgeSink#flushResult} or {@link EventBridgeSink#awaitPublished} found when it
 * returned.
 *
 * @param status      see {@link Status}
 * @param buffered    entries still only in memory (waiting, or in a call)
 * @param outboxDepth entries in the durable outbox, not yet accepted by EventBridge
 */
public record FlushResult(Status status, long buffered, long outboxDepth) {

    /** How far the events received before the flush got. */
    public enum Status {
        /** Every event is accepted by EventBridge or dead-lettered ({@code dead-letter.jsonl}). */
        PUBLISHED,
        /**
         * Nothing is only in memory any more: what is not yet accepted is durable (fsynced) in the outbox,
         * which the sink, or the next process on the same directory, publishes when EventBridge answers.
         */
        IN_OUTBOX,
        /** The timeout passed while some events were still only in memory. */
        PENDING
    }

    /** True if every event is accepted by EventBridge or dead-lettered. */
    public boolean published() {
        return status == Status.PUBLISHED;
    }

    /** True if every event is published, dead-lettered or durable in the outbox (survives a crash). */
    public boolean durable() {
        return status != Status.PENDING;
    }
}

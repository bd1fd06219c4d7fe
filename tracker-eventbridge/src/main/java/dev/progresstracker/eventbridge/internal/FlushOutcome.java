package dev.progresstracker.eventbridge.internal;

/** What a {@link Publisher#flush} found when it returned. */
public enum FlushOutcome {
    /** Everything received before the flush was accepted or dead-lettered. */
    PUBLISHED,
    /** What is not published yet is durable in the outbox (calls are failing). */
    IN_OUTBOX,
    /** The timeout came first. */
    PENDING
}

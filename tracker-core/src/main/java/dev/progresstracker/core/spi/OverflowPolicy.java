package dev.progresstracker.core.spi;

/**
 * What a sink's queue does when events arrive faster than the sink takes them. Lifecycle events
 * (everything but {@code task.progress}) are never dropped or conflated under any policy.
 */
public enum OverflowPolicy {
    /**
     * The caller waits for room. Only for a store in a durable mode: the caller asked for it.
     */
    BLOCK,
    /**
     * A newer {@code task.progress} replaces a queued one of the same task (latest wins); when the
     * queue is still full, the oldest queued progress event is dropped.
     */
    CONFLATE,
    /** No conflation; when the queue is full, the oldest queued progress event is dropped. */
    DROP_OLDEST_PROGRESS
}

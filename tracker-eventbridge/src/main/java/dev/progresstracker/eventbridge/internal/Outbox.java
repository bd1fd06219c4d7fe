package dev.progresstracker.eventbridge.internal;

import java.io.IOException;
import java.util.List;

/**
 * Durable FIFO of entries that could not go out directly. Appends are buffered and made durable by
 * {@link #sync()} (group commit); {@link #ack} durably removes entries from the head. After a
 * restart every appended-and-synced, unacknowledged entry is there again, in order.
 *
 * <p>Threading: none of it under the publisher's monitor. {@link #append} from one thread at a time
 * (the publisher's {@code DeferredWrites}, in the order the publisher decided); {@link #depth} from any
 * thread, without waiting; {@link #peek}, {@link #ack} and {@link #sync} from the publisher's scheduler
 * thread ({@link #sync} also from a flushing caller).
 */
public interface Outbox extends AutoCloseable {

    void append(PendingEntry entry) throws IOException;

    /** Makes every earlier append durable. */
    void sync() throws IOException;

    /** Up to {@code max} entries from the head, oldest first, without removing them. */
    List<PendingEntry> peek(int max) throws IOException;

    /** Durably removes the first {@code count} entries (which {@link #peek} returned). */
    void ack(int count) throws IOException;

    /** Entries appended and not yet acknowledged. */
    long depth();

    @Override
    void close() throws IOException;
}

package dev.progresstracker.eventbridge.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Disk work the publisher decides under its monitor and does after releasing it: dead letters,
 * outbox acknowledgements and a sync after a spill. Queuing is cheap and may happen under the
 * publisher's monitor (lock order: publisher, then this); {@link #run} does the writes holding
 * neither, one caller at a time (the scheduler thread, or the closing thread once it is stopped).
 */
final class DeferredWrites {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    /** What one {@link #run} did. */
    record Done(int deadLetters, boolean acked) {
        boolean any() {
            return deadLetters > 0 || acked;
        }
    }

    private record Letter(PendingEntry entry, String code, String message, long at) {
    }

    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final Path directory;
    private final Object io = new Object();
    private final List<Letter> letters = new ArrayList<>();
    private int unwritten;
    private int toAck;
    private boolean syncNeeded;

    DeferredWrites(Outbox outbox, DeadLetters deadLetters, Path directory) {
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.directory = directory;
    }

    synchronized void deadLetter(PendingEntry e, String code, String message, long nowMillis) {
        letters.add(new Letter(e, code, message, nowMillis));
        unwritten++;
    }

    /** The first {@code count} outbox entries are done with (a finished drain round). */
    synchronized void ack(int count) {
        toAck += count;
    }

    synchronized void sync() {
        syncNeeded = true;
    }

    /** Dead letters queued and not yet written. */
    synchronized int unwritten() {
        return unwritten;
    }

    /** Outbox entries finished but not yet acknowledged. */
    synchronized int pendingAck() {
        return toAck;
    }

    /** Writes what is queued; never call it holding the publisher's monitor. */
    Done run() {
        synchronized (io) {
            List<Letter> batch;
            int ack;
            boolean sync;
            synchronized (this) {
                batch = letters.isEmpty() ? List.of() : new ArrayList<>(letters);
                letters.clear();
                ack = toAck;
                sync = syncNeeded;
                syncNeeded = false;
            }
            for (Letter d : batch) {
                deadLetters.write(d.entry(), d.code(), d.message(), d.at());
            }
            boolean acked = false;
            try {
                if (sync) {
                    outbox.sync();
                }
                if (ack > 0) {
                    outbox.ack(ack);
                    acked = true;
                }
            } catch (IOException e) {
                // Left queued: tried again on the next turn; the entries stay in the outbox meanwhile.
                LOG.error("could not sync or acknowledge the EventBridge outbox {}; retrying", directory, e);
                synchronized (this) {
                    syncNeeded |= sync;
                }
            }
            synchronized (this) {
                unwritten -= batch.size();
                if (acked) {
                    toAck -= ack;
                }
            }
            return new Done(batch.size(), acked);
        }
    }
}

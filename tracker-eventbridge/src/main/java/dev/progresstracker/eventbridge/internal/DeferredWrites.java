package dev.progresstracker.eventbridge.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disk work the publisher decides under its monitor and does after releasing it: appends to the
 * outbox, dead letters, outbox acknowledgements and a sync after a spill. Queuing is cheap and may
 * happen under the publisher's monitor (lock order: publisher, then this); {@link #appendQueued} and
 * {@link #run} do the work holding neither. Appends keep the order in which they were queued: one
 * thread at a time takes them (the sink's thread right after it queued one, the scheduler thread, the
 * closing thread), and {@link #run} appends first, so a sync covers every entry queued before it.
 */
final class DeferredWrites {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    /** What one {@link #run} did. */
    record Done(int appended, int deadLetters, boolean acked) {
        boolean any() {
            return appended > 0 || deadLetters > 0 || acked;
        }
    }

    private record Letter(PendingEntry entry, String code, String message, long at) {}

    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final Path directory;
    private final Object io = new Object();
    private final Object appending = new Object();
    private final List<Letter> letters = new ArrayList<>();
    private List<PendingEntry> toAppend = new ArrayList<>();
    /** Entries taken by {@link #appendQueued} and not yet in the outbox: they still count as unappended. */
    private int inAppend;

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

    /** Queues {@code e} for the outbox, behind every entry queued before it. */
    synchronized void append(PendingEntry e) {
        toAppend.add(e);
    }

    /** Entries queued for the outbox and not yet appended to it (also those being appended right now). */
    synchronized int unappended() {
        return toAppend.size() + inAppend;
    }

    /**
     * Appends what is queued to the outbox, in order (the journal only queues each record for its writer,
     * but that may wait while the writer's queue is full: never call this holding the publisher's monitor).
     *
     * @return how many entries it appended
     */
    int appendQueued() {
        synchronized (appending) {
            List<PendingEntry> batch;
            synchronized (this) {
                if (toAppend.isEmpty()) {
                    return 0;
                }
                batch = toAppend;
                toAppend = new ArrayList<>();
                inAppend = batch.size();
            }
            int done = 0;
            try {
                for (PendingEntry e : batch) {
                    try {
                        outbox.append(e);
                    } catch (RuntimeException bug) {
                        // The outbox refuses this entry for good (closed, or a bug): as before the split, it is lost,
                        // loudly.
                        LOG.error("the EventBridge outbox {} refused {}; it is lost", directory, e, bug);
                    }
                    done++;
                    synchronized (this) {
                        inAppend--;
                    }
                }
            } catch (IOException e) {
                // Kept queued, in order, for the next turn; nothing is lost while the process lives.
                LOG.error("could not append to the EventBridge outbox {}; retrying", directory, e);
                synchronized (this) {
                    List<PendingEntry> rest = new ArrayList<>(batch.subList(done, batch.size()));
                    rest.addAll(toAppend);
                    toAppend = rest;
                    inAppend = 0;
                }
            }
            return done;
        }
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
        int appended = appendQueued();
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
            return new Done(appended, batch.size(), acked);
        }
    }
}

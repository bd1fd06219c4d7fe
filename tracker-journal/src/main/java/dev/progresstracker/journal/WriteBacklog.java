package dev.progresstracker.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * What one journal could not write yet, in order, and the failure episode it belongs to: the cause, since
 * when, when to try again ({@value #FIRST_RETRY_MS} ms after the first failure, doubling up to
 * {@value #MAX_RETRY_MS} ms) and the {@link JournalHealth} that follows (REFUSING once more than
 * {@code maxBytes} of payload are held).
 *
 * <p>Writer thread only, except {@link #health()}, which any thread may read.
 */
final class WriteBacklog {

    /** First pause before writing a failed backlog again. */
    static final long FIRST_RETRY_MS = 50;
    /** Longest pause between two attempts. */
    static final long MAX_RETRY_MS = 5_000;

    private final Path dir;
    private final long maxBytes;
    private ArrayDeque<GroupCommitter.Op> ops = new ArrayDeque<>();
    private long appends;
    private long bytes;
    private Throwable cause;
    private long sinceNanos;
    private Instant since;
    private long delayMs;
    private long nextRetryNanos;
    private volatile JournalHealth health = JournalHealth.WRITING;

    WriteBacklog(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    boolean failing() {
        return cause != null;
    }

    Throwable cause() {
        return cause;
    }

    long nextRetryNanos() {
        return nextRetryNanos;
    }

    /** Records held now. */
    long appends() {
        return appends;
    }

    long failingMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }

    JournalHealth health() {
        return health;
    }

    /**
     * A write failed with {@code t}: {@code first} goes ahead of what is held, the next attempt is scheduled.
     *
     * @return true if this starts a new episode
     */
    boolean failed(Throwable t, Collection<? extends GroupCommitter.Op> first) {
        ArrayDeque<GroupCommitter.Op> all = new ArrayDeque<>(first);
        all.addAll(ops);
        ops = all;
        boolean started = cause == null;
        long now = System.nanoTime();
        if (started) {
            sinceNanos = now;
            since = Instant.now();
            delayMs = FIRST_RETRY_MS;
        } else {
            delayMs = Math.min(delayMs * 2, MAX_RETRY_MS);
        }
        cause = t;
        nextRetryNanos = now + TimeUnit.MILLISECONDS.toNanos(delayMs);
        recount();
        return started;
    }

    /** Holds {@code op} behind the rest; a fail-fast control fails at once instead, naming the cause. */
    void add(GroupCommitter.Op op) {
        if (op instanceof GroupCommitter.Control c && c.failFast) {
            c.done.completeExceptionally(
                    new IOException("journal " + dir + " is retrying failed writes: " + cause, cause));
            return;
        }
        ops.add(op);
        if (op instanceof GroupCommitter.Append a) {
            appends++;
            bytes += a.payload.length;
        }
        updateHealth();
    }

    void addAll(Collection<? extends GroupCommitter.Op> more) {
        for (GroupCommitter.Op op : more) {
            add(op);
        }
    }

    /** Everything held, for an attempt to write it; what fails goes back through {@link #failed} and {@link #addAll}. */
    ArrayDeque<GroupCommitter.Op> takeAll() {
        ArrayDeque<GroupCommitter.Op> out = ops;
        ops = new ArrayDeque<>();
        appends = 0;
        bytes = 0;
        return out; // health keeps showing the backlog until the attempt ends
    }

    /** The episode is over: everything was written. */
    void recovered() {
        ops = new ArrayDeque<>();
        appends = 0;
        bytes = 0;
        cause = null;
        since = null;
        health = JournalHealth.WRITING;
    }

    /**
     * Fails every held stage with {@code gone} and ends the episode.
     *
     * @return {failed stages, records whose stage had completed already (BATCHED/NONE, acknowledged after
     *         the write) that are lost}
     */
    int[] abandon(IOException gone) {
        int failed = 0;
        int lostAcknowledged = 0;
        for (GroupCommitter.Op op : ops) {
            if (op instanceof GroupCommitter.Append a) {
                if (a.done.completeExceptionally(gone)) {
                    failed++;
                } else {
                    lostAcknowledged++;
                }
            } else {
                ((GroupCommitter.Control) op).done.completeExceptionally(gone);
            }
        }
        recovered();
        return new int[] {failed, lostAcknowledged};
    }

    private void recount() {
        appends = 0;
        bytes = 0;
        for (GroupCommitter.Op op : ops) {
            if (op instanceof GroupCommitter.Append a) {
                appends++;
                bytes += a.payload.length;
            }
        }
        updateHealth();
    }

    private void updateHealth() {
        String problem = "writing journal " + dir + " failed: " + cause;
        health = bytes > maxBytes
                ? new JournalHealth(
                        JournalHealth.State.REFUSING,
                        problem + "; " + bytes + " bytes held exceed maxQueuedBytes " + maxBytes,
                        since,
                        appends,
                        bytes)
                : new JournalHealth(JournalHealth.State.RETRYING, problem, since, appends, bytes);
    }
}

package dev.progresstracker.journal;

import dev.progresstracker.journal.internal.Frames;
import dev.progresstracker.journal.internal.Segment;
import dev.progresstracker.journal.internal.SegmentRecovery;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing half of a {@link Journal}: frames records into the active segment, fsyncs, rolls segments.
 *
 * <p>When a write, an fsync or a segment creation fails (a full disk, an I/O error, a read-only
 * remount), nothing is given up: every record after the last fsynced end of the segment goes back into
 * an in-memory backlog in order (after a failed fsync the page cache is not trusted, so records already
 * written are written again), the file is truncated to that end (no torn record stays on disk), and the
 * {@link WriteBacklog} is written again after {@value WriteBacklog#FIRST_RETRY_MS} ms, doubling up to
 * {@value WriteBacklog#MAX_RETRY_MS} ms between attempts, until it succeeds. Appends that arrive meanwhile
 * queue behind it; their stages complete when their record is durable as the mode promises. One WARN per
 * episode, one INFO when writes recover.
 *
 * <p>Writer thread only (the {@link GroupCommitter}'s), except {@link #health()}, which any thread may read.
 */
final class JournalWriter {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    /**
     * In {@link Durability#NONE} the writer fsyncs once this much is written since the last fsync, so the
     * records it must be able to write again after a failed fsync stay bounded in memory.
     */
    static final long NONE_FORCE_BYTES = 16L * 1024 * 1024;

    private static final int WRITE_BUFFER_BYTES = 256 * 1024;

    private final Journal journal;
    private final Path dir;
    private final JournalConfig config;
    private final JournalFiles files;

    private final ActiveSegment active;
    /** Records written since the last fsync, in order: written again if that fsync fails. */
    private final ArrayDeque<GroupCommitter.Append> unforced = new ArrayDeque<>();

    private long unforcedBytes;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private final List<GroupCommitter.Append> inBuffer = new ArrayList<>();
    private int publishedOfBatch;

    private final WriteBacklog backlog;

    private volatile long lastForceNanos = System.nanoTime();

    JournalWriter(Journal journal, Path dir, JournalConfig config, JournalFiles files, long maxBacklogBytes) {
        this.journal = journal;
        this.dir = dir;
        this.config = config;
        this.files = files;
        this.active = new ActiveSegment(files, journal.segLock);
        this.backlog = new WriteBacklog(dir, maxBacklogBytes);
    }

    // ------------------------------------------------------------------ state

    JournalHealth health() {
        return backlog.health();
    }

    boolean isRetrying() {
        return backlog.failing();
    }

    long nextRetryNanos() {
        return backlog.nextRetryNanos();
    }

    long lastForceNanos() {
        return lastForceNanos;
    }

    /** Opens {@code s} (recovered from disk, everything in it taken as durable) as the active segment. */
    void openActive(Segment s) throws IOException {
        active.open(s);
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code appends} in order. In BATCHED and NONE their stages complete here. Returns false if
     * writing failed: then they (and everything after the last fsync) are held for a retry.
     */
    boolean write(List<GroupCommitter.Append> appends) {
        publishedOfBatch = 0;
        try {
            writeFrames(appends);
        } catch (Exception e) {
            failed(e, appends.subList(publishedOfBatch, appends.size()));
            return false;
        }
        if (config.durability() != Durability.SYNC) {
            for (GroupCommitter.Append a : appends) {
                a.done.complete(a.index);
            }
            if (config.durability() == Durability.NONE && unforcedBytes >= NONE_FORCE_BYTES) {
                return forceNow();
            }
        }
        return true;
    }

    /** fsync of the active segment; may run on a helper thread, followed by {@link #forced()} on this one. */
    void forceChannel() throws IOException {
        active.force();
    }

    /** After a successful {@link #forceChannel()}: what was written is durable; SYNC stages complete. */
    void forced() {
        active.forced();
        for (GroupCommitter.Append a : unforced) {
            a.done.complete(a.index);
        }
        unforced.clear();
        unforcedBytes = 0;
        lastForceNanos = System.nanoTime();
    }

    /** fsync now; false (and the records held for a retry) if it failed. */
    boolean forceNow() {
        try {
            forceChannel();
        } catch (Exception e) {
            failed(e, List.of());
            return false;
        }
        forced();
        return true;
    }

    /** Fsyncs what is written (a {@link Journal#flush()}). */
    void flush() throws IOException {
        forceChannel();
        forced();
    }

    /** Closes the file without writing (the committer is gone). */
    void closeChannel() throws IOException {
        active.close();
    }

    /** Fsyncs the active segment and starts a new one at the next index (if the active one holds records). */
    void rotate() throws IOException {
        if (active.size() > 0) {
            roll();
        } else {
            forceChannel();
            forced();
        }
    }

    private void writeFrames(List<GroupCommitter.Append> appends) throws IOException {
        for (GroupCommitter.Append a : appends) {
            int frame = Frames.frameBytes(a.payload.length);
            long end = active.size() + buffer.position();
            if (end > 0 && end + frame > config.segmentBytes()) {
                drain();
                roll();
            }
            if (buffer.remaining() < frame) {
                drain();
            }
            if (frame > buffer.capacity()) {
                ByteBuffer big = ByteBuffer.allocate(frame);
                Frames.encode(big, a.payload);
                big.flip();
                active.write(big);
                publish(List.of(a));
                continue;
            }
            Frames.encode(buffer, a.payload);
            inBuffer.add(a);
        }
        drain();
    }

    private void drain() throws IOException {
        if (inBuffer.isEmpty()) {
            return;
        }
        buffer.flip();
        try {
            active.write(buffer);
        } finally {
            buffer.clear();
        }
        publish(inBuffer);
        inBuffer.clear();
    }

    /** Makes written records visible to readers and remembers them until the next fsync. */
    private void publish(List<GroupCommitter.Append> written) {
        active.published(written);
        for (GroupCommitter.Append a : written) {
            unforced.add(a);
            unforcedBytes += a.payload.length;
        }
        publishedOfBatch += written.size();
    }

    /**
     * Fsyncs the old segment (so no later segment can outlive its tail), then starts a new one. The switch
     * happens only once the new file exists durably, so a failure leaves the old segment active.
     */
    private void roll() throws IOException {
        forceChannel();
        forced();
        long first = active.segment().endIndex();
        Path p = dir.resolve(Segment.fileName(first));
        FileChannel next = files.openForWrite(p);
        try {
            files.syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            next.close();
            throw e;
        }
        Segment s = new Segment(p, first);
        synchronized (journal.segLock) {
            journal.segments.add(s);
        }
        active.switchTo(s, next);
    }

    /** Drops every segment (kept in quarantine) and starts a new, empty one at {@code newNextIndex}. */
    void restartAt(long newNextIndex) throws IOException {
        forceChannel();
        forced();
        active.close();
        List<Segment> old;
        synchronized (journal.segLock) {
            old = new ArrayList<>(journal.segments);
            journal.segments.clear();
        }
        SegmentRecovery.quarantineAll(dir, old, "journal restarted at record " + newNextIndex);
        Path p = dir.resolve(Segment.fileName(newNextIndex));
        files.openForWrite(p).close();
        files.syncDirectory(dir);
        Segment fresh = new Segment(p, newNextIndex);
        synchronized (journal.segLock) {
            journal.segments.add(fresh);
        }
        openActive(fresh);
    }

    // ------------------------------------------------------------------ failure and retry

    /**
     * A write, fsync or roll failed: everything after the last fsynced end goes back into the backlog (in
     * order, ahead of what was held already), readers stop seeing it, and the file is cut back to that end.
     */
    void failed(Throwable t, List<? extends GroupCommitter.Op> notWritten) {
        List<GroupCommitter.Op> first = new ArrayList<>(unforced);
        first.addAll(notWritten);
        unforced.clear();
        unforcedBytes = 0;
        inBuffer.clear();
        buffer.clear();
        active.rollBack();
        if (backlog.failed(t, first)) {
            journal.committer.retrying(journal);
            LOG.warn(
                    "journal {}: writing failed ({}); holding {} record(s) in memory in order and retrying "
                            + "({} ms, doubling up to {} ms) until writes succeed; their stages complete then",
                    dir,
                    t.toString(),
                    backlog.appends(),
                    WriteBacklog.FIRST_RETRY_MS,
                    WriteBacklog.MAX_RETRY_MS);
        }
    }

    /** Queues {@code op} behind the backlog while writes fail; a fail-fast control fails at once instead. */
    void hold(GroupCommitter.Op op) {
        backlog.add(op);
    }

    void hold(List<? extends GroupCommitter.Op> ops) {
        backlog.addAll(ops);
    }

    /** One attempt to write the backlog (and run the controls queued in it), in order. */
    void retry() {
        if (!backlog.failing()) {
            return;
        }
        if (active.needsTruncate() && !active.truncate()) {
            failed(backlog.cause(), List.of());
            return;
        }
        long records = backlog.appends();
        ArrayDeque<GroupCommitter.Op> ops = backlog.takeAll();
        List<GroupCommitter.Append> run = new ArrayList<>();
        while (!ops.isEmpty() || !run.isEmpty()) {
            GroupCommitter.Op op = ops.poll();
            if (op instanceof GroupCommitter.Append a) {
                run.add(a);
                continue;
            }
            if (!run.isEmpty()) {
                // A fresh failure puts the run (and what was unforced) first; the rest goes behind it.
                boolean ok = write(run) && (config.durability() != Durability.SYNC || forceNow());
                if (!ok) {
                    if (op != null) {
                        backlog.add(op);
                    }
                    backlog.addAll(ops);
                    return;
                }
                run = new ArrayList<>();
            }
            if (op instanceof GroupCommitter.Control c && !execute(c)) {
                backlog.addAll(ops);
                return;
            }
        }
        if (unforcedBytes > 0 && !forceNow()) {
            return; // BATCHED / NONE: the rewritten records must be fsynced before the episode ends
        }
        LOG.info(
                "journal {}: writes recovered after {} ms; wrote the {} record(s) held meanwhile",
                dir,
                backlog.failingMillis(),
                records);
        backlog.recovered();
    }

    /**
     * Runs a control on the writer thread. A control that fails while writing (a flush's fsync, a rotation)
     * starts a failure episode and waits in the backlog (or fails at once if fail-fast).
     *
     * @return false if the journal is retrying afterwards
     */
    boolean runControl(GroupCommitter.Control c) {
        if (backlog.failing() && !c.runsWhileRetrying) {
            hold(c);
            return false;
        }
        return execute(c);
    }

    private boolean execute(GroupCommitter.Control c) {
        try {
            c.action.run();
            c.done.complete(null);
            return true;
        } catch (Exception e) {
            if (c.runsWhileRetrying) {
                c.done.completeExceptionally(e);
                return !backlog.failing();
            }
            failed(e, List.of());
            hold(c);
            return false;
        }
    }

    /**
     * For close: tries once more to write what is held; whatever still cannot be written fails its stage
     * with an exception naming the cause, and the file is cut back to its last fsynced end, so nothing
     * unacknowledged is left on disk looking acknowledged. Then closes the channel.
     */
    void closeWrites() throws IOException {
        if (!backlog.failing()) {
            forceNow();
        }
        retry();
        abandon();
        closeChannel();
    }

    /** Fails every held stage with the cause; writes nothing more. */
    void abandon() {
        if (!backlog.failing()) {
            return;
        }
        Throwable cause = backlog.cause();
        int[] counts = backlog.abandon(new IOException(
                "journal " + dir + " closed while writes were failing, record not stored: " + cause, cause));
        active.truncate();
        LOG.warn(
                "journal {}: closed while writes were failing ({}); failed the stages of {} unstored record(s){}; "
                        + "{} ends at its last fsynced record (byte {})",
                dir,
                cause,
                counts[0],
                counts[1] == 0
                        ? ""
                        : ", and " + counts[1] + " record(s) acknowledged after a write "
                                + "whose fsync failed are lost as in a power failure",
                active.segment().path().getFileName(),
                active.durableSize());
    }
}

package dev.progresstracker.journal;

import dev.progresstracker.journal.internal.DirectoryLock;
import dev.progresstracker.journal.internal.Fsync;
import dev.progresstracker.journal.internal.Segment;
import dev.progresstracker.journal.internal.SegmentRecovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * An append-only log of byte records in one directory: segment files {@code journal-<first index>.log},
 * each record framed as {@code length | CRC32C | payload | '\n'}. Records are numbered from 1 without
 * gaps; the number is the record's <em>index</em>.
 *
 * <ul>
 *   <li>{@link #append(byte[])} queues a record for the {@link GroupCommitter} thread and returns a stage
 *       that completes with its index once it is as durable as {@link JournalConfig#durability()} says.
 *       One fsync covers every record queued meanwhile (group commit).</li>
 *   <li>A failing write or fsync (full disk, I/O error, read-only remount) never wedges the journal: the
 *       records after the last fsynced end are kept in memory in order, the file is cut back to that end,
 *       and they are written again after 50 ms, doubling up to 5 s between attempts, until it works; later
 *       appends queue behind them and no index is skipped or reused. {@link #health()} says RETRYING
 *       meanwhile (REFUSING once the backlog passes the committer's {@code maxQueuedBytes}); one WARN per
 *       episode, one INFO when writes recover. {@link #close()} tries once more and fails the stages of
 *       what still cannot be written, naming the cause.</li>
 *   <li>{@link #open} checks every frame: a torn or corrupt tail is cut at the last valid record and the
 *       cut bytes are kept in {@code quarantine/} with a WARN naming file and offset
 *       ({@link #recovery()} reports them). Later segments after a cut are quarantined whole.</li>
 *   <li>Segments roll over at {@link JournalConfig#segmentBytes()} or on {@link #rotate()};
 *       {@link #deleteBefore(long)} drops whole old segments (compaction after a snapshot).</li>
 *   <li>{@link #read(long, RecordVisitor)} replays from any retained index, also while appends go on.</li>
 *   <li>A lock file ({@value #LOCK_FILE}) keeps a second process (or a second {@code Journal} in
 *       this one) from opening the same directory.</li>
 * </ul>
 *
 * <p>Thread-safe. Used by {@code FileProgressStore} (one journal per run) and by the EventBridge outbox.
 */
public final class Journal implements AutoCloseable {

    /** Name of the lock file in the journal directory. */
    public static final String LOCK_FILE = "journal.lock";
    /** Sub-directory where cut bytes are kept. */
    public static final String QUARANTINE_DIR = SegmentRecovery.QUARANTINE_DIR;

    /** Reads one record during {@link #read}; return false to stop. */
    @FunctionalInterface
    public interface RecordVisitor {
        boolean visit(long index, byte[] payload) throws IOException;
    }

    @FunctionalInterface
    interface WriterAction {
        void run() throws IOException;
    }

    private final Path dir;
    private final JournalConfig config;
    final GroupCommitter committer;
    private final boolean ownsCommitter;
    private final DirectoryLock lock;
    private final JournalRecovery recovery;

    /** Guards {@link #segments}; held briefly by the writer (to publish records) and by readers (to copy). */
    final Object segLock = new Object();

    final List<Segment> segments;
    /** The writing half; used on the committer's thread only. */
    final JournalWriter writer;

    /** Guards {@link #nextIndex} and {@link #closed}: appends are numbered and queued in one step. */
    private final Object appendLock = new Object();

    private long nextIndex;
    private volatile boolean closed;

    private Journal(
            Path dir,
            JournalConfig config,
            GroupCommitter committer,
            boolean ownsCommitter,
            DirectoryLock lock,
            JournalFiles files)
            throws IOException {
        this.dir = dir;
        this.config = config;
        this.committer = committer;
        this.ownsCommitter = ownsCommitter;
        this.lock = lock;
        SegmentRecovery found = SegmentRecovery.recover(dir, config.maxRecordBytes());
        this.segments = new ArrayList<>(found.segments());
        if (segments.isEmpty()) {
            Path first = dir.resolve(Segment.fileName(1));
            files.openForWrite(first).close();
            files.syncDirectory(dir);
            segments.add(new Segment(first, 1));
        }
        Segment last = segments.get(segments.size() - 1);
        this.writer = new JournalWriter(this, dir, config, files, committer.maxQueuedBytes());
        writer.openActive(last);
        this.nextIndex = last.endIndex();
        long bytes = segments.stream().mapToLong(Segment::size).sum();
        this.recovery = new JournalRecovery(
                segments.get(0).firstIndex(), nextIndex, segments.size(), bytes, found.quarantined());
    }

    /** Opens (creating if needed) the journal in {@code dir} with its own committer thread. */
    public static Journal open(Path dir, JournalConfig config) throws IOException {
        GroupCommitter own = new GroupCommitter("journal-" + dir.getFileName());
        try {
            return open(dir, config, own, true);
        } catch (IOException | RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /**
     * Opens the journal in {@code dir}, committed by a shared {@code committer} (which the caller
     * closes after every journal on it).
     *
     * @throws IllegalStateException if another process or another open {@code Journal} holds the directory
     */
    public static Journal open(Path dir, JournalConfig config, GroupCommitter committer) throws IOException {
        return open(dir, config, committer, false, JournalFiles.SYSTEM);
    }

    /**
     * As {@link #open(Path, JournalConfig, GroupCommitter)}, writing through {@code files}: the seam fault
     * tests use to make writes, fsyncs or truncations fail ({@link JournalFiles#SYSTEM} otherwise).
     */
    public static Journal open(Path dir, JournalConfig config, GroupCommitter committer, JournalFiles files)
            throws IOException {
        return open(dir, config, committer, false, Objects.requireNonNull(files, "files must not be null"));
    }

    private static Journal open(Path dir, JournalConfig config, GroupCommitter committer, boolean owns)
            throws IOException {
        return open(dir, config, committer, owns, JournalFiles.SYSTEM);
    }

    private static Journal open(
            Path dir, JournalConfig config, GroupCommitter committer, boolean owns, JournalFiles files)
            throws IOException {
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(committer, "committer must not be null");
        Files.createDirectories(dir);
        DirectoryLock lock = DirectoryLock.acquire(dir, LOCK_FILE, "journal");
        try {
            return new Journal(dir, config, committer, owns, lock, files);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ appending

    /**
     * Queues {@code payload} (1..{@link JournalConfig#maxRecordBytes()} bytes; not copied, do not change it
     * afterwards). The stage completes with the record's index once it is durable per the configured
     * mode. While writes fail the stage stays pending (the record is held in memory and retried); it fails
     * only if the journal is closed before the record could be written, with an exception naming the cause.
     *
     * @throws IllegalArgumentException if the payload is empty or too large
     * @throws IllegalStateException    if the journal is closed
     */
    public CompletableFuture<Long> append(byte[] payload) {
        Objects.requireNonNull(payload, "payload must not be null");
        if (payload.length == 0 || payload.length > config.maxRecordBytes()) {
            throw new IllegalArgumentException(
                    "record payload must be 1.." + config.maxRecordBytes() + " bytes, got " + payload.length);
        }
        synchronized (appendLock) {
            checkWritable();
            GroupCommitter.Append op = new GroupCommitter.Append(this, nextIndex, payload);
            committer.enqueue(op);
            nextIndex++;
            return op.done;
        }
    }

    /** Index the next append gets. */
    public long nextIndex() {
        synchronized (appendLock) {
            return nextIndex;
        }
    }

    /**
     * Completes once everything appended before the call is written and fsynced, whatever the mode. While
     * writes fail it completes exceptionally at once, naming the cause (the records stay held and are
     * retried; see {@link #health()}): no caller waits on a failing disk.
     */
    public CompletableFuture<Void> flush() {
        return control(new GroupCommitter.Control(this, writer::flush, true, false));
    }

    /**
     * Closes the current segment (fsynced) and starts a new one at the next index; fails at once while
     * writes fail (rotation is for compaction, which can wait).
     */
    public CompletableFuture<Void> rotate() {
        return control(new GroupCommitter.Control(this, writer::rotate, true, false));
    }

    /**
     * Whether writes succeed now: {@link JournalHealth.State#RETRYING} with the cause and the records held
     * while they fail, {@link JournalHealth.State#REFUSING} once those exceed the committer's
     * {@code maxQueuedBytes} (appends are still taken and kept). A volatile read; any thread.
     */
    public JournalHealth health() {
        return writer.health();
    }

    /**
     * Drops every segment and starts over at {@code newNextIndex}, which must be at least
     * {@link #nextIndex()}: for a caller whose own checkpoint is ahead of the journal (the dropped files are
     * kept in {@code quarantine/}). Waits for the change.
     */
    public void restartAt(long newNextIndex) throws IOException {
        synchronized (appendLock) {
            checkWritable();
            if (newNextIndex < nextIndex) {
                throw new IllegalArgumentException("restartAt(" + newNextIndex + ") is below nextIndex " + nextIndex);
            }
            await(control(new GroupCommitter.Control(this, () -> writer.restartAt(newNextIndex), true, false)));
            nextIndex = newNextIndex;
        }
    }

    private CompletableFuture<Void> control(GroupCommitter.Control op) {
        synchronized (appendLock) {
            checkWritable();
            committer.enqueue(op);
        }
        return op.done;
    }

    private void checkWritable() {
        if (closed) {
            throw new IllegalStateException("journal " + dir + " is closed");
        }
    }

    // ------------------------------------------------------------------ reading

    /** Index of the oldest retained record (equal to {@link #nextIndex()} when none is retained). */
    public long firstIndex() {
        synchronized (segLock) {
            return segments.get(0).firstIndex();
        }
    }

    /**
     * Calls {@code visitor} for every written record from {@code fromIndex} on, in order, until it returns
     * false or the records written at the time of the call are exhausted.
     *
     * @return false (visiting nothing) if record {@code fromIndex} is no longer retained
     */
    public boolean read(long fromIndex, RecordVisitor visitor) throws IOException {
        List<Segment> view = new ArrayList<>();
        synchronized (segLock) {
            for (Segment s : segments) {
                view.add(s.copy());
            }
        }
        return JournalReader.read(view, fromIndex, config.maxRecordBytes(), visitor);
    }

    // ------------------------------------------------------------------ compaction, facts

    /** Deletes every whole segment whose records all lie below {@code index}; never the current one. */
    public int deleteBefore(long index) throws IOException {
        List<Segment> doomed = new ArrayList<>();
        synchronized (segLock) {
            while (segments.size() > 1 && segments.get(1).firstIndex() <= index) {
                doomed.add(segments.remove(0));
            }
        }
        for (Segment s : doomed) {
            Files.deleteIfExists(s.path());
        }
        if (!doomed.isEmpty()) {
            Fsync.directory(dir);
        }
        return doomed.size();
    }

    /** Bytes of records written so far in the retained segments. */
    public long sizeBytes() {
        synchronized (segLock) {
            return segments.stream().mapToLong(Segment::size).sum();
        }
    }

    public int segmentCount() {
        synchronized (segLock) {
            return segments.size();
        }
    }

    /** What {@link #open} found and cut. */
    public JournalRecovery recovery() {
        return recovery;
    }

    public Path directory() {
        return dir;
    }

    public JournalConfig config() {
        return config;
    }

    /**
     * Writes out and fsyncs everything queued, closes the files and releases the lock (and the
     * committer, if this journal made its own). If writes are failing, tries once more; the stages of
     * records that still cannot be written fail with an exception naming the cause, and the segment is cut
     * back to its last fsynced record. Idempotent.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = null;
        synchronized (appendLock) {
            if (closed) {
                return;
            }
            GroupCommitter.Control op = new GroupCommitter.Control(this, writer::closeWrites, false, true);
            try {
                committer.enqueue(op);
                done = op.done;
            } catch (IllegalStateException e) {
                // Committer already stopped: nothing more can be written; just release the files.
            }
            closed = true;
        }
        try {
            if (done != null) {
                await(done);
            } else {
                writer.abandon();
                writer.closeChannel();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("closing journal " + dir + " failed", e);
        } finally {
            lock.close();
            if (ownsCommitter) {
                committer.close();
            }
        }
    }

    // ------------------------------------------------------------------ writer thread

    boolean isClosedForWrites() {
        return closed;
    }

    private static void await(CompletableFuture<Void> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException) {
                throw (IOException) c;
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new IOException(c);
        }
    }
}

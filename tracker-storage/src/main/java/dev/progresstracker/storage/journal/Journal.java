package dev.progresstracker.storage.journal;

import dev.progresstracker.storage.internal.FrameReader;
import dev.progresstracker.storage.internal.Frames;
import dev.progresstracker.storage.internal.Fsync;
import dev.progresstracker.storage.internal.Segment;
import dev.progresstracker.storage.internal.SegmentRecovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    private static final int WRITE_BUFFER_BYTES = 256 * 1024;

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
    private final GroupCommitter committer;
    private final boolean ownsCommitter;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final JournalRecovery recovery;

    /** Guards {@link #segments}; held briefly by the writer (to publish records) and by readers (to copy). */
    private final Object segLock = new Object();
    private final List<Segment> segments;

    /** Guards {@link #nextIndex} and {@link #closed}: appends are numbered and queued in one step. */
    private final Object appendLock = new Object();
    private long nextIndex;
    private volatile boolean closed;
    private volatile Throwable failure;

    // Writer-thread state.
    private FileChannel active;
    private Segment activeSegment;
    private long activeSize;
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private volatile long lastForceNanos = System.nanoTime();

    private Journal(Path dir, JournalConfig config, GroupCommitter committer, boolean ownsCommitter,
                    FileChannel lockChannel, FileLock lock) throws IOException {
        this.dir = dir;
        this.config = config;
        this.committer = committer;
        this.ownsCommitter = ownsCommitter;
        this.lockChannel = lockChannel;
        this.lock = lock;
        SegmentRecovery found = SegmentRecovery.recover(dir, config.maxRecordBytes());
        this.segments = new ArrayList<>(found.segments());
        if (segments.isEmpty()) {
            segments.add(createSegment(1));
        }
        openActive(segments.get(segments.size() - 1));
        this.nextIndex = activeSegment.endIndex();
        long bytes = segments.stream().mapToLong(Segment::size).sum();
        this.recovery = new JournalRecovery(segments.get(0).firstIndex(), nextIndex, segments.size(), bytes,
                found.quarantined());
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
        return open(dir, config, committer, false);
    }

    private static Journal open(Path dir, JournalConfig config, GroupCommitter committer, boolean owns)
            throws IOException {
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(committer, "committer must not be null");
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lockChannel.close();
            throw new IllegalStateException("journal " + dir + " is already open in this process", e);
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("journal " + dir + " is locked by another process (lock file "
                    + dir.resolve(LOCK_FILE) + ")");
        }
        try {
            return new Journal(dir, config, committer, owns, lockChannel, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ appending

    /**
     * Queues {@code payload} (1..{@link JournalConfig#maxRecordBytes()} bytes; not copied, do not change it
     * afterwards). The stage completes with the record's index once it is durable per the configured
     * mode, or exceptionally if writing failed (the journal then refuses further appends).
     *
     * @throws IllegalArgumentException if the payload is empty or too large
     * @throws IllegalStateException    if the journal is closed or failed
     */
    public CompletableFuture<Long> append(byte[] payload) {
        Objects.requireNonNull(payload, "payload must not be null");
        if (payload.length == 0 || payload.length > config.maxRecordBytes()) {
            throw new IllegalArgumentException("record payload must be 1.." + config.maxRecordBytes()
                    + " bytes, got " + payload.length);
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

    /** Completes once everything appended before the call is written and fsynced, whatever the mode. */
    public CompletableFuture<Void> flush() {
        return control(this::force);
    }

    /** Closes the current segment (fsynced) and starts a new one at the next index. */
    public CompletableFuture<Void> rotate() {
        return control(() -> {
            if (activeSize > 0) {
                roll();
            }
        });
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
            await(control(() -> {
                force();
                active.close();
                List<Segment> old;
                synchronized (segLock) {
                    old = new ArrayList<>(segments);
                    segments.clear();
                }
                SegmentRecovery.quarantineAll(dir, old, "journal restarted at record " + newNextIndex);
                Segment fresh = createSegment(newNextIndex);
                synchronized (segLock) {
                    segments.add(fresh);
                }
                openActive(fresh);
            }));
            nextIndex = newNextIndex;
        }
    }

    private CompletableFuture<Void> control(WriterAction action) {
        GroupCommitter.Control op = new GroupCommitter.Control(this, action);
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
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("journal " + dir + " failed earlier and accepts no more records: " + f, f);
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
        if (fromIndex < view.get(0).firstIndex()) {
            return false;
        }
        for (Segment s : view) {
            if (s.endIndex() <= fromIndex || s.records() == 0) {
                continue;
            }
            long index = Math.max(fromIndex, s.firstIndex());
            long at = s.sparseIndexAtOrBefore(index);
            FileChannel ch;
            try {
                ch = FileChannel.open(s.path(), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return false;
            }
            try (ch) {
                FrameReader reader = new FrameReader(ch, s.sparseOffsetAtOrBefore(index), s.size(), config.maxRecordBytes());
                for (long i = at; i < s.endIndex(); i++) {
                    if (reader.next() != FrameReader.Status.RECORD) {
                        throw new IOException("journal " + s.path() + " changed under a reader at record " + i + ": "
                                + reader.problem());
                    }
                    if (i >= index && !visitor.visit(i, reader.payload())) {
                        return true;
                    }
                }
            }
        }
        return true;
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
     * committer, if this journal made its own). Idempotent.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = null;
        synchronized (appendLock) {
            if (closed) {
                return;
            }
            GroupCommitter.Control op = new GroupCommitter.Control(this, () -> {
                try {
                    force();
                } finally {
                    active.close();
                }
            });
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
            } else if (active != null) {
                active.close();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("closing journal " + dir + " failed", e);
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException ignored) {
                // The lock goes with the process anyway.
            }
            if (ownsCommitter) {
                committer.close();
            }
        }
    }

    // ------------------------------------------------------------------ writer thread

    void writeRecords(List<GroupCommitter.Append> appends) throws IOException {
        int pending = 0;
        long bufferStart = activeSize;
        int[] frames = new int[appends.size()];
        for (GroupCommitter.Append a : appends) {
            int frame = Frames.frameBytes(a.payload.length);
            if (activeSize > 0 && activeSize + frame > config.segmentBytes()) {
                drain(bufferStart, frames, pending);
                pending = 0;
                roll();
                bufferStart = activeSize;
            }
            if (writeBuffer.remaining() < frame) {
                drain(bufferStart, frames, pending);
                bufferStart += sum(frames, pending);
                pending = 0;
            }
            if (frame > writeBuffer.capacity()) {
                ByteBuffer big = ByteBuffer.allocate(frame);
                Frames.encode(big, a.payload);
                big.flip();
                writeFully(big, activeSize);
                publish(activeSize, new int[] {frame}, 1);
                bufferStart = activeSize;
                continue;
            }
            Frames.encode(writeBuffer, a.payload);
            frames[pending++] = frame;
            activeSize += frame;
        }
        drain(bufferStart, frames, pending);
    }

    private void drain(long at, int[] frames, int count) throws IOException {
        if (count == 0) {
            return;
        }
        writeBuffer.flip();
        writeFully(writeBuffer, at);
        writeBuffer.clear();
        publish(at, frames, count);
    }

    private void writeFully(ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            pos += active.write(buf, pos);
        }
    }

    private void publish(long at, int[] frames, int count) {
        synchronized (segLock) {
            long offset = at;
            for (int i = 0; i < count; i++) {
                activeSegment.addRecord(offset, frames[i]);
                offset += frames[i];
            }
            activeSize = offset;
        }
    }

    private static long sum(int[] frames, int count) {
        long s = 0;
        for (int i = 0; i < count; i++) {
            s += frames[i];
        }
        return s;
    }

    /** Fsyncs the old segment (so no later segment can outlive its tail), then starts a new one. */
    private void roll() throws IOException {
        force();
        active.close();
        Segment next = createSegment(activeSegment.endIndex());
        synchronized (segLock) {
            segments.add(next);
        }
        openActive(next);
    }

    private Segment createSegment(long firstIndex) throws IOException {
        Path p = dir.resolve(Segment.fileName(firstIndex));
        Files.newByteChannel(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
        Fsync.directory(dir);
        return new Segment(p, firstIndex);
    }

    private void openActive(Segment s) throws IOException {
        active = FileChannel.open(s.path(), StandardOpenOption.WRITE);
        activeSegment = s;
        activeSize = s.size();
    }

    void force() throws IOException {
        if (active != null && active.isOpen()) {
            active.force(false);
        }
        lastForceNanos = System.nanoTime();
    }

    long lastForceNanos() {
        return lastForceNanos;
    }

    boolean isClosedForWrites() {
        return closed || failure != null;
    }

    void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
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

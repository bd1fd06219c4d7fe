package dev.progresstracker.eventbridge.internal;

import dev.progresstracker.journal.Durability;
import dev.progresstracker.journal.Journal;
import dev.progresstracker.journal.JournalConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Outbox} on tracker-journal's {@link Journal} (CRC32C frames, group commit, rotation,
 * torn-tail quarantine, directory lock) in {@code <dir>/journal}, plus a {@code cursor} file holding
 * the index of the first unacknowledged record, replaced atomically on every ack. Appends are
 * {@link Durability#BATCHED}: in the operating system at once (they survive kill -9), fsynced within
 * 50 ms and on {@link #sync()}. Fully acknowledged segments are deleted. Delivery is at least once:
 * a crash between a send and its ack sends those entries again.
 */
public final class JournalOutbox implements Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(JournalOutbox.class);
    /** Segment size: small, so acknowledged entries leave the disk soon. */
    public static final long DEFAULT_SEGMENT_BYTES = 4L << 20;

    private static final long SYNC_TIMEOUT_SECONDS = 30;

    private final Path dir;
    private final Journal journal;
    private final OutboxCodec codec;
    /** Written only by the draining thread; read by any thread for {@link #depth()}. */
    private volatile long cursor;
    /**
     * Index after the last appended record (the journal's next index), kept here so that {@link #depth()}
     * is a volatile read that never waits for an append blocked by the journal writer's full queue.
     */
    private volatile long end;

    public JournalOutbox(Path dir, EntryMapper mapper) throws IOException {
        this(dir, mapper, DEFAULT_SEGMENT_BYTES);
    }

    public JournalOutbox(Path dir, EntryMapper mapper, long segmentBytes) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.codec = new OutboxCodec(mapper);
        this.journal = Journal.open(
                dir.resolve("journal"),
                JournalConfig.builder()
                        .durability(Durability.BATCHED)
                        .segmentBytes(segmentBytes)
                        .build());
        try {
            long saved = readCursor();
            if (saved > journal.nextIndex()) {
                LOG.warn(
                        "outbox {}: cursor {} is past the journal's end {}; nothing is pending",
                        dir,
                        saved,
                        journal.nextIndex());
                journal.restartAt(saved);
            }
            cursor = Math.max(saved, journal.firstIndex());
            end = journal.nextIndex();
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    @Override
    public synchronized void append(PendingEntry entry) {
        journal.append(codec.encode(entry));
        end++;
    }

    @Override
    public void sync() throws IOException {
        try {
            // Bounded: while the disk refuses writes the journal holds records and retries; never hang the drain.
            journal.flush().get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException(
                    "outbox " + dir + " not synced within " + SYNC_TIMEOUT_SECONDS + " s (disk full or failing?)", e);
        } catch (ExecutionException e) {
            throw new IOException("outbox " + dir + " could not be synced", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while syncing outbox " + dir, e);
        }
    }

    @Override
    public List<PendingEntry> peek(int max) throws IOException {
        List<PendingEntry> out = new ArrayList<>(max);
        if (cursor >= end) {
            return out;
        }
        boolean retained = journal.read(cursor, (index, payload) -> {
            out.add(codec.decode(payload));
            return out.size() < max;
        });
        if (!retained) {
            long first = journal.firstIndex();
            LOG.error(
                    "outbox {}: records {}..{} are no longer in the journal (cut as corrupt?); skipping them",
                    dir,
                    cursor,
                    first - 1);
            cursor = first;
            writeCursor(cursor);
        }
        return out;
    }

    @Override
    public void ack(int count) throws IOException {
        if (count < 0 || count > depth()) {
            throw new IllegalArgumentException("cannot ack " + count + " of " + depth() + " outbox entries");
        }
        cursor += count;
        writeCursor(cursor);
        journal.deleteBefore(cursor);
    }

    @Override
    public long depth() {
        return end - cursor;
    }

    @Override
    public void close() {
        journal.close();
    }

    private long readCursor() throws IOException {
        Path p = dir.resolve("cursor");
        if (!Files.exists(p)) {
            return 0;
        }
        String s = Files.readString(p, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException("outbox cursor " + p + " is corrupt: '" + s + "'", e);
        }
    }

    private void writeCursor(long value) throws IOException {
        Path tmp = dir.resolve("cursor.tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(Long.toString(value).getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

package dev.progresstracker.journal;

import dev.progresstracker.journal.internal.Frames;
import dev.progresstracker.journal.internal.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * The segment file a {@link JournalWriter} appends to: its channel, how far it is written and how far
 * fsynced, and cutting it back to the fsynced end after a failure (so no torn or unacknowledged record
 * stays on disk looking acknowledged). Writer thread only.
 */
final class ActiveSegment {

    private final JournalFiles files;
    private final Object segLock;
    private FileChannel channel;
    private Segment segment;
    /** Bytes written (and published to readers). */
    private long size;
    /** End at the last successful fsync, and the record count there. */
    private long durableSize;

    private long durableRecords;
    /** The last attempt to cut the file back failed: cut it before writing again. */
    private boolean needsTruncate;

    /** {@code segLock} guards the {@link Segment} bookkeeping that readers copy. */
    ActiveSegment(JournalFiles files, Object segLock) {
        this.files = files;
        this.segLock = segLock;
    }

    /** Opens {@code s} (recovered from disk or new; everything in it taken as durable). */
    void open(Segment s) throws IOException {
        channel = files.openForWrite(s.path());
        segment = s;
        size = s.size();
        durableSize = size;
        durableRecords = s.records();
    }

    /** Makes {@code next}, a new empty segment whose file is open as {@code nextChannel}, the active one. */
    void switchTo(Segment next, FileChannel nextChannel) throws IOException {
        FileChannel old = channel;
        channel = nextChannel;
        segment = next;
        size = 0;
        durableSize = 0;
        durableRecords = 0;
        old.close();
    }

    Segment segment() {
        return segment;
    }

    long size() {
        return size;
    }

    long durableSize() {
        return durableSize;
    }

    boolean needsTruncate() {
        return needsTruncate;
    }

    /** Writes all of {@code buf} at the written end (which {@link #published} then moves). */
    void write(ByteBuffer buf) throws IOException {
        long pos = size;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
    }

    /** Registers {@code written}, just written at the end, for readers, and moves the end past them. */
    void published(List<GroupCommitter.Append> written) {
        long offset = size;
        synchronized (segLock) {
            for (GroupCommitter.Append a : written) {
                int frame = Frames.frameBytes(a.payload.length);
                segment.addRecord(offset, frame);
                offset += frame;
            }
        }
        size = offset;
    }

    /** fsync; may run on a helper thread, followed by {@link #forced()} on the writer's. */
    void force() throws IOException {
        if (channel != null && channel.isOpen()) {
            channel.force(false);
        }
    }

    /** After a successful {@link #force()}: everything written is durable. */
    void forced() {
        durableSize = size;
        durableRecords = segment.records();
    }

    /** Readers stop seeing what is not fsynced; the file is cut back to the fsynced end (see {@link #truncate}). */
    void rollBack() {
        synchronized (segLock) {
            segment.truncateTo(durableRecords, durableSize);
        }
        size = durableSize;
        truncate();
    }

    /** Cuts the file back to its last fsynced end; false (and tried again before the next write) if that fails. */
    boolean truncate() {
        try {
            if (channel != null && channel.isOpen() && channel.size() > durableSize) {
                channel.truncate(durableSize);
            }
            needsTruncate = false;
            return true;
        } catch (IOException | RuntimeException e) {
            needsTruncate = true;
            return false;
        }
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}

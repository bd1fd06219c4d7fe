package dev.progresstracker.eventbridge.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * {@link Outbox} in a directory: append-only segment files ({@code segment-<first index>.log}, each
 * record framed as length + CRC32C + JSON body) and a {@code cursor} file holding the index of the
 * first unacknowledged record (replaced atomically on every ack). On open a torn or corrupt tail is
 * cut off and its bytes are kept in {@code quarantine/}; fully acknowledged segments are deleted.
 * Delivery is at least once: a crash between a send and its ack sends those entries again.
 */
public final class FileOutbox implements Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(FileOutbox.class);
    /** Default segment size before rotation. */
    public static final long DEFAULT_SEGMENT_BYTES = 4L << 20;
    private static final int HEADER = 8;
    private static final int MAX_RECORD = 4 << 20;

    private final Path dir;
    private final OutboxCodec codec;
    private final long segmentBytes;
    /** First index → path of every live segment. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private FileChannel tail;
    private long tailFirst;
    private long next;
    private long head;
    private long headOffset;
    private boolean dirty;
    private final FileChannel lockChannel;
    private final java.nio.channels.FileLock lock;

    public FileOutbox(Path dir, EntryMapper mapper) throws IOException {
        this(dir, mapper, DEFAULT_SEGMENT_BYTES);
    }

    public FileOutbox(Path dir, EntryMapper mapper, long segmentBytes) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.codec = new OutboxCodec(mapper);
        this.segmentBytes = segmentBytes;
        this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        java.nio.channels.FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException("outbox directory " + dir + " is in use by another EventBridge sink");
        }
        this.lock = l;
        recover();
    }

    private void recover() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().matches("segment-\\d{20}\\.log"))
                    .forEach(p -> segments.put(Long.parseLong(p.getFileName().toString().substring(8, 28)), p));
        }
        head = readCursor();
        next = head;
        for (var it = segments.entrySet().iterator(); it.hasNext(); ) {
            var seg = it.next();
            long count = scanAndRepair(seg.getValue());
            long end = seg.getKey() + count;
            if (end <= head && seg.getKey() != segments.lastKey()) {
                Files.deleteIfExists(seg.getValue());
                it.remove();
                continue;
            }
            next = Math.max(next, end);
        }
        if (next < head) {
            // Cursor ahead of the data (segments lost or cut): nothing is pending.
            LOG.warn("outbox {}: cursor {} is past the last record {}; starting empty", dir, head, next);
            next = head;
        }
        openTail(false);
        headOffset = offsetOf(head);
    }

    private void openTail(boolean rotate) throws IOException {
        if (rotate || segments.isEmpty() || Files.size(segments.lastEntry().getValue()) >= segmentBytes) {
            segments.put(next, dir.resolve(String.format("segment-%020d.log", next)));
        }
        tailFirst = segments.lastKey();
        tail = FileChannel.open(segments.get(tailFirst), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /** Counts the valid records of a segment; cuts a torn or corrupt tail into quarantine. */
    private long scanAndRepair(Path file) throws IOException {
        long count = 0;
        long good = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            while (good < size) {
                byte[] body = readFrame(ch, good, size);
                if (body == null) {
                    break;
                }
                good += HEADER + body.length;
                count++;
            }
            if (good < size) {
                Path q = Files.createDirectories(dir.resolve("quarantine"))
                        .resolve(file.getFileName() + "." + good + ".bad");
                ByteBuffer bad = ByteBuffer.allocate((int) Math.min(size - good, Integer.MAX_VALUE - 8));
                ch.read(bad, good);
                Files.write(q, java.util.Arrays.copyOf(bad.array(), bad.position()));
                ch.truncate(good);
                ch.force(true);
                LOG.warn("outbox {}: cut {} torn/corrupt byte(s) at offset {} of {}; kept in {}", dir, size - good, good,
                        file.getFileName(), q);
            }
        }
        return count;
    }

    /** The body of the frame at {@code pos}, or null if it is torn or fails its checksum. */
    private static byte[] readFrame(FileChannel ch, long pos, long size) throws IOException {
        if (size - pos < HEADER) {
            return null;
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        readFully(ch, h, pos);
        int len = h.getInt(0);
        int crc = h.getInt(4);
        if (len < 0 || len > MAX_RECORD || size - pos - HEADER < len) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(len);
        readFully(ch, b, pos + HEADER);
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, len);
        return (int) c.getValue() == crc ? b.array() : null;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    @Override
    public void append(PendingEntry entry) throws IOException {
        if (tail.size() >= segmentBytes) {
            tail.force(false);
            tail.close();
            openTail(true);
        }
        byte[] body = codec.encode(entry);
        CRC32C c = new CRC32C();
        c.update(body);
        ByteBuffer frame = ByteBuffer.allocate(HEADER + body.length);
        frame.putInt(body.length).putInt((int) c.getValue()).put(body).flip();
        while (frame.hasRemaining()) {
            tail.write(frame);
        }
        next++;
        dirty = true;
    }

    @Override
    public void sync() throws IOException {
        if (dirty) {
            tail.force(false);
            dirty = false;
        }
    }

    @Override
    public List<PendingEntry> peek(int max) throws IOException {
        List<PendingEntry> out = new ArrayList<>(max);
        long index = head;
        long offset = headOffset;
        while (out.size() < max && index < next) {
            var seg = segments.floorEntry(index);
            try (FileChannel ch = FileChannel.open(seg.getValue(), StandardOpenOption.READ)) {
                long size = ch.size();
                while (out.size() < max && index < next && offset < size) {
                    byte[] body = readFrame(ch, offset, size);
                    if (body == null) {
                        throw new IOException("outbox record " + index + " in " + seg.getValue() + " is unreadable");
                    }
                    out.add(codec.decode(body));
                    offset += HEADER + body.length;
                    index++;
                }
            }
            offset = 0;
        }
        return out;
    }

    @Override
    public void ack(int count) throws IOException {
        if (count < 0 || count > depth()) {
            throw new IllegalArgumentException("cannot ack " + count + " of " + depth() + " outbox entries");
        }
        sync();
        head += count;
        writeCursor(head);
        while (segments.size() > 1) {
            var first = segments.firstEntry();
            Long second = segments.higherKey(first.getKey());
            if (second == null || second > head) {
                break;
            }
            Files.deleteIfExists(first.getValue());
            segments.remove(first.getKey());
        }
        headOffset = offsetOf(head);
    }

    @Override
    public long depth() {
        return next - head;
    }

    @Override
    public void close() throws IOException {
        try {
            sync();
            tail.close();
        } finally {
            lock.release();
            lockChannel.close();
        }
    }

    private long offsetOf(long index) throws IOException {
        var seg = segments.floorEntry(index);
        if (seg == null) {
            return 0;
        }
        long offset = 0;
        try (FileChannel ch = FileChannel.open(seg.getValue(), StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            for (long i = seg.getKey(); i < index && offset < size; i++) {
                h.clear();
                readFully(ch, h, offset);
                offset += HEADER + h.getInt(0);
            }
        }
        return offset;
    }

    private long readCursor() throws IOException {
        Path p = dir.resolve("cursor");
        if (!Files.exists(p)) {
            return segments.isEmpty() ? 0 : segments.firstKey();
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
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
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

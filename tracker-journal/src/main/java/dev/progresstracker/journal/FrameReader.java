package dev.progresstracker.journal;

import dev.progresstracker.journal.internal.Frames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads frames sequentially from a segment file between two offsets, telling a clean end from a
 * torn frame (the file ends inside it) and a corrupt one (bad length, checksum or trailer).
 * Not thread-safe; the channel is not closed by this reader.
 */
public final class FrameReader {

    /** Outcome of {@link #next()}. */
    public enum Status {
        RECORD,
        END,
        TORN,
        CORRUPT
    }

    private final FileChannel channel;
    private final long end;
    private final int maxRecordBytes;
    private ByteBuffer buf = ByteBuffer.allocate(64 * 1024).flip();
    private long loaded;
    private long frameOffset;
    private byte[] payload;
    private String problem;

    /** Reads frames starting at {@code start} up to (not including) {@code end}. */
    public FrameReader(FileChannel channel, long start, long end, int maxRecordBytes) {
        this.channel = channel;
        this.end = end;
        this.maxRecordBytes = maxRecordBytes;
        this.loaded = start;
        this.frameOffset = start;
    }

    /** Bytes one record of {@code payloadLength} bytes takes on disk, framing included. */
    public static int frameBytes(int payloadLength) {
        return Frames.frameBytes(payloadLength);
    }

    /** Offset of the frame just read, or of the bad/torn frame, or of the end. */
    public long frameOffset() {
        return frameOffset;
    }

    /** Offset just after the last good frame. */
    public long validEnd() {
        return frameOffset;
    }

    /** Payload of the frame just read (a fresh array). */
    public byte[] payload() {
        return payload;
    }

    /** Why the last frame was TORN or CORRUPT. */
    public String problem() {
        return problem;
    }

    /**
     * Reads the next frame. After {@link Status#RECORD}, {@link #payload()} holds it and {@link #frameOffset()}
     * its start; after anything else, {@link #frameOffset()} is where the valid data ends.
     */
    public Status next() throws IOException {
        if (payload != null) {
            frameOffset += Frames.frameBytes(payload.length);
            payload = null;
        }
        if (!ensure(Frames.HEADER_BYTES)) {
            if (buf.remaining() == 0) {
                return Status.END;
            }
            problem = "torn frame header (" + buf.remaining() + " of " + Frames.HEADER_BYTES + " bytes)";
            return Status.TORN;
        }
        int length = buf.getInt(buf.position());
        int crc = buf.getInt(buf.position() + 4);
        if (length <= 0 || length > maxRecordBytes) {
            problem = "bad record length " + length + " (allowed 1.." + maxRecordBytes + ")";
            return Status.CORRUPT;
        }
        int frame = Frames.frameBytes(length);
        if (!ensure(frame)) {
            problem = "torn record (" + buf.remaining() + " of " + frame + " bytes present)";
            return Status.TORN;
        }
        int p = buf.position();
        ByteBuffer body = buf.duplicate();
        body.position(p + Frames.HEADER_BYTES).limit(p + Frames.HEADER_BYTES + length);
        if (Frames.crc(length, body.duplicate()) != crc) {
            problem = "checksum mismatch in record of " + length + " bytes";
            return Status.CORRUPT;
        }
        if (buf.get(p + frame - 1) != Frames.TRAILER) {
            problem = "missing record trailer";
            return Status.CORRUPT;
        }
        byte[] out = new byte[length];
        body.get(out);
        buf.position(p + frame);
        payload = out;
        return Status.RECORD;
    }

    /** Makes {@code n} bytes available in the buffer if the file has them before {@code end}. */
    private boolean ensure(int n) throws IOException {
        if (buf.remaining() >= n) {
            return true;
        }
        if (n > buf.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(n, buf.capacity() * 2));
            bigger.put(buf);
            buf = bigger.flip();
        }
        buf.compact();
        try {
            while (buf.position() < n && loaded < end) {
                int want = (int) Math.min(buf.remaining(), end - loaded);
                ByteBuffer slice = buf.duplicate();
                slice.limit(slice.position() + want);
                int r = channel.read(slice, loaded);
                if (r < 0) {
                    break;
                }
                buf.position(buf.position() + r);
                loaded += r;
            }
        } finally {
            buf.flip();
        }
        return buf.remaining() >= n;
    }
}

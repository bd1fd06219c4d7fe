package dev.progresstracker.journal.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The record frame of a journal segment: {@code int length | int crc32c | payload | '\n'}, big
 * endian. The checksum covers the four length bytes and the payload, so a zero-filled tail (length
 * 0, crc 0) or a flipped length bit never passes; the newline keeps JSON payloads one per line
 * for people reading the file with {@code less}.
 */
public final class Frames {

    /** Bytes before the payload. */
    public static final int HEADER_BYTES = 8;
    /** Bytes of framing per record. */
    public static final int OVERHEAD_BYTES = HEADER_BYTES + 1;

    public static final byte TRAILER = '\n';

    private Frames() {}

    public static int crc(int length, byte[] payload, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload, off, len);
        return (int) crc.getValue();
    }

    public static int crc(int length, ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload);
        return (int) crc.getValue();
    }

    /** Writes one frame of {@code payload} into {@code dst}, which must have room for it. */
    public static void encode(ByteBuffer dst, byte[] payload) {
        dst.putInt(payload.length);
        dst.putInt(crc(payload.length, payload, 0, payload.length));
        dst.put(payload);
        dst.put(TRAILER);
    }

    public static int frameBytes(int payloadLength) {
        return payloadLength + OVERHEAD_BYTES;
    }
}

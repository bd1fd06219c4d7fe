package dev.progresstracker.benchmarks.websocket.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * RFC 6455 §5.2 framing as a client needs it: reads the header of a server frame in place (no copy)
 * and encodes masked client frames. Servers never mask and this load client never fragments, so a
 * masked or fragmented server frame is a protocol error here, named in the exception.
 */
public final class Frames {

    public static final int OP_CONTINUATION = 0x0;
    public static final int OP_TEXT = 0x1;
    public static final int OP_BINARY = 0x2;
    public static final int OP_CLOSE = 0x8;
    public static final int OP_PING = 0x9;
    public static final int OP_PONG = 0xA;

    private Frames() {}

    /** Where one complete frame's payload lies in the buffer it was read from. */
    public static final class Header {
        int opcode;
        int payloadStart;
        int payloadLength;

        public int opcode() {
            return opcode;
        }

        /** Absolute index of the payload in the buffer's backing array. */
        public int payloadStart() {
            return payloadStart;
        }

        public int payloadLength() {
            return payloadLength;
        }
    }

    /** A server frame that breaks the protocol (or this client's limits). */
    public static final class ProtocolException extends Exception {
        private static final long serialVersionUID = 1L;

        public ProtocolException(String message) {
            super(message);
        }
    }

    /**
     * Reads the frame at {@code buf.position()} (a heap buffer, in read mode). If the whole frame is
     * there, fills {@code out}, moves the position past the frame and returns 0; otherwise leaves the
     * position and returns how many bytes the frame needs in all (header included, or a lower bound
     * while the header itself is incomplete), so the caller can grow its buffer.
     *
     * @throws ProtocolException if the frame is masked, fragmented, uses reserved bits or opcodes, is a
     *                           control frame over 125 bytes, or is longer than {@code maxPayload}
     */
    public static int next(ByteBuffer buf, int maxPayload, Header out) throws ProtocolException {
        int available = buf.remaining();
        if (available < 2) {
            return 2;
        }
        byte[] a = buf.array();
        int p = buf.arrayOffset() + buf.position();
        int b0 = a[p] & 0xFF;
        int b1 = a[p + 1] & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
            throw new ProtocolException(
                    "reserved bits set (no extension was negotiated): first byte 0x" + Integer.toHexString(b0));
        }
        if ((b1 & 0x80) != 0) {
            throw new ProtocolException("server frame is masked (RFC 6455 §5.1 forbids it), opcode " + opcode);
        }
        boolean control = (opcode & 0x8) != 0;
        if (!control && opcode != OP_TEXT && opcode != OP_BINARY) {
            throw new ProtocolException(
                    opcode == OP_CONTINUATION
                            ? "continuation frame: this client does not accept fragmented messages"
                            : "reserved data opcode 0x" + Integer.toHexString(opcode));
        }
        if (control && opcode != OP_CLOSE && opcode != OP_PING && opcode != OP_PONG) {
            throw new ProtocolException("reserved control opcode 0x" + Integer.toHexString(opcode));
        }
        if (!fin) {
            throw new ProtocolException(
                    control
                            ? "fragmented control frame, opcode " + opcode
                            : "fragmented message (FIN=0): this client does not accept fragmented messages");
        }
        int len7 = b1 & 0x7F;
        int header;
        long length;
        if (len7 < 126) {
            header = 2;
            length = len7;
        } else if (len7 == 126) {
            header = 4;
            if (available < header) {
                return header;
            }
            length = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
            if (length < 126) {
                throw new ProtocolException("16-bit length " + length + " is not minimal (RFC 6455 §5.2)");
            }
        } else {
            header = 10;
            if (available < header) {
                return header;
            }
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (a[p + 2 + i] & 0xFF);
            }
            if (length < 0) {
                throw new ProtocolException("64-bit length has its most significant bit set");
            }
            if (length <= 0xFFFF) {
                throw new ProtocolException("64-bit length " + length + " is not minimal (RFC 6455 §5.2)");
            }
        }
        if (control && length > 125) {
            throw new ProtocolException("control frame (opcode " + opcode + ") of " + length + " bytes; at most 125");
        }
        if (length > maxPayload) {
            throw new ProtocolException("frame of " + length + " bytes exceeds this client's limit of " + maxPayload);
        }
        int total = header + (int) length;
        if (available < total) {
            return total;
        }
        out.opcode = opcode;
        out.payloadStart = p + header;
        out.payloadLength = (int) length;
        buf.position(buf.position() + total);
        return 0;
    }

    /** A masked text frame of {@code text}. */
    public static byte[] text(String text) {
        return masked(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A masked pong echoing a ping's payload (at most 125 bytes). */
    public static byte[] pong(byte[] array, int offset, int length) {
        byte[] payload = new byte[length];
        System.arraycopy(array, offset, payload, 0, length);
        return masked(OP_PONG, payload);
    }

    /** A masked close frame with {@code code} and a short reason. */
    public static byte[] close(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + Math.min(r.length, 123)];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, payload.length - 2);
        return masked(OP_CLOSE, payload);
    }

    /**
     * A client frame (RFC 6455 §5.3: always masked). The masking key comes from
     * {@link ThreadLocalRandom}: unpredictable enough for a load tool that only talks to its own server.
     */
    static byte[] masked(int opcode, byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + 4 + n];
        frame[0] = (byte) (0x80 | opcode);
        if (n < 126) {
            frame[1] = (byte) (0x80 | n);
        } else if (n <= 0xFFFF) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        int key = ThreadLocalRandom.current().nextInt();
        for (int i = 0; i < 4; i++) {
            frame[header + i] = (byte) (key >>> (24 - 8 * i));
        }
        for (int i = 0; i < n; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ frame[header + (i & 3)]);
        }
        return frame;
    }

    /** The close code of a close frame's payload, 1005 (no status) when it has none. */
    public static int closeCode(byte[] array, int offset, int length) {
        return length >= 2 ? ((array[offset] & 0xFF) << 8) | (array[offset + 1] & 0xFF) : 1005;
    }

    /** The reason of a close frame's payload, empty when it has none. */
    public static String closeReason(byte[] array, int offset, int length) {
        return length > 2 ? new String(array, offset + 2, length - 2, StandardCharsets.UTF_8) : "";
    }
}

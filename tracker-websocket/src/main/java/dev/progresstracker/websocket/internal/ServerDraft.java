package dev.progresstracker.websocket.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;

/**
 * RFC 6455 as a server must apply it, on top of Java-WebSocket's {@link Draft_6455}, which decodes
 * a frame whether or not it is masked: a client frame without the mask bit fails the connection
 * with <b>1002</b> (§5.1), whatever its opcode (an unmasked ping gets no pong). Frames before it in
 * the same read are still processed, in order; nothing after it is.
 *
 * <p>Frame headers are followed across reads with a small state machine (header bytes seen, payload
 * bytes to skip), so a header split over two TCP segments is checked too. One instance per
 * connection ({@link #copyInstance}); used by that connection's decoder thread only.
 */
final class ServerDraft extends Draft_6455 {

    /** Longest header: 2 bytes, 8 of extended length (the mask key is skipped with the payload). */
    private static final int MAX_HEADER = 10;

    private final int maxFrameBytes;
    /** Stands for "an unmasked frame came here" in the list of frames handed to {@link #processFrame}. */
    private final Framedata unmaskedMarker = new PingFrame();

    private final byte[] header = new byte[MAX_HEADER];
    private int headerLength;
    /** Bytes of the current frame still to come after its header (mask key and payload). */
    private long toSkip;

    private boolean failed;

    ServerDraft(int maxFrameBytes) {
        // Our subprotocol first; the empty one accepts clients that offer none (or only a token entry).
        super(List.of(), List.<IProtocol>of(new Protocol(Messages.SUBPROTOCOL), new Protocol("")), maxFrameBytes);
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public Draft copyInstance() {
        return new ServerDraft(maxFrameBytes);
    }

    @Override
    public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
        if (failed) {
            buffer.position(buffer.limit());
            return List.of(); // the marker went out already: the connection is being failed
        }
        int unmaskedAt = findUnmaskedHeader(buffer);
        if (unmaskedAt < 0) {
            return super.translateFrame(buffer);
        }
        failed = true;
        int end = buffer.limit();
        List<Framedata> frames = new ArrayList<>();
        if (unmaskedAt > buffer.position()) {
            // The complete frames before the offending one are decoded as usual.
            ByteBuffer before = buffer.duplicate();
            before.limit(unmaskedAt);
            frames.addAll(super.translateFrame(before));
        }
        buffer.position(end);
        frames.add(unmaskedMarker);
        return frames;
    }

    @Override
    public void processFrame(WebSocketImpl webSocketImpl, Framedata frame) throws InvalidDataException {
        if (frame == unmaskedMarker) {
            throw new InvalidDataException(
                    CloseFrame.PROTOCOL_ERROR, "client frames must be masked (RFC 6455 section 5.1)");
        }
        super.processFrame(webSocketImpl, frame);
    }

    @Override
    public void reset() {
        super.reset();
        headerLength = 0;
        toSkip = 0;
    }

    /**
     * Walks the frame headers in {@code buffer} (without moving it) and returns the position where an
     * unmasked frame starts (its first header byte if in this buffer, else the buffer's position), or -1.
     */
    private int findUnmaskedHeader(ByteBuffer buffer) {
        int p = buffer.position();
        int limit = buffer.limit();
        while (p < limit) {
            if (toSkip > 0) {
                long n = Math.min(toSkip, limit - p);
                toSkip -= n;
                p += (int) n;
                continue;
            }
            int headerStart = p - headerLength;
            header[headerLength++] = buffer.get(p++);
            if (headerLength < 2) {
                continue;
            }
            if ((header[1] & 0x80) == 0) {
                return Math.max(headerStart, buffer.position());
            }
            int length7 = header[1] & 0x7F;
            int needed = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
            if (headerLength < needed) {
                continue;
            }
            long payload = length7 < 126
                    ? length7
                    : length7 == 126 ? ((header[2] & 0xFFL) << 8) | (header[3] & 0xFFL) : extendedLength();
            // A negative (invalid) length is refused by the decoder itself; only skip what can come.
            toSkip = 4 + Math.max(0, payload);
            headerLength = 0;
        }
        return -1;
    }

    private long extendedLength() {
        long v = 0;
        for (int i = 2; i < 10; i++) {
            v = (v << 8) | (header[i] & 0xFFL);
        }
        return v;
    }
}

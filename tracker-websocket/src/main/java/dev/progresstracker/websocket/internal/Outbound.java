package dev.progresstracker.websocket.internal;

import dev.progresstracker.core.event.ProgressEvent;
import java.nio.charset.StandardCharsets;

/**
 * One server message, encoded once as a complete WebSocket text frame and shared (read-only) by
 * every client it goes to.
 *
 * @param frame         the frame bytes: header and UTF-8 payload; never modified after creation
 * @param conflationKey non-null for {@code task.progress} and {@code task.usage}: run and task, so a newer one may replace it
 * @param runId         the run an event or snapshot belongs to, null for control messages
 * @param sequence      the event's sequence, or the snapshot's; 0 for control messages
 * @param snapshot      a run's snapshot: not counted toward a client's send buffer limits
 * @param event         the event an {@code event} message carries (a client whose delivery of it differs
 *                      from the one in the frame gets it encoded afresh), else null
 */
public record Outbound(
        byte[] frame, String conflationKey, String runId, long sequence, boolean snapshot, ProgressEvent event) {

    /** A message that carries no event (a snapshot, or a frame built by hand). */
    public Outbound(byte[] frame, String conflationKey, String runId, long sequence, boolean snapshot) {
        this(frame, conflationKey, runId, sequence, snapshot, null);
    }

    /** An event or control message (not a snapshot). */
    public Outbound(byte[] frame, String conflationKey, String runId, long sequence) {
        this(frame, conflationKey, runId, sequence, false, null);
    }

    /** A control message (hello, pong, error, summary) of {@code json}. */
    static Outbound control(String json) {
        return new Outbound(textFrame(json), null, null, 0);
    }

    int size() {
        return frame.length;
    }

    /**
     * An unmasked, unfragmented text frame (RFC 6455 §5.2) as servers send them. Encoded here rather
     * than by Java-WebSocket so that one encoding serves every client and frames can be batched.
     */
    static byte[] textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + n];
        frame[0] = (byte) 0x81; // FIN + text opcode
        if (n < 126) {
            frame[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            long len = n;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (len >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, n);
        return frame;
    }
}

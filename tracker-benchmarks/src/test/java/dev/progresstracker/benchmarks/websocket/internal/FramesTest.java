package dev.progresstracker.benchmarks.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {

    /** An unmasked server frame as RFC 6455 §5.2 lays it out (minimal length encoding). */
    static byte[] serverFrame(int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        int n = payload.length;
        if (n < 126) {
            out.write(n);
        } else if (n <= 0xFFFF) {
            out.write(126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(127);
            for (int i = 0; i < 8; i++) {
                out.write((int) ((long) n >>> (56 - 8 * i)));
            }
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] payloadOf(int size, char fill) {
        return String.valueOf(fill).repeat(size).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void readsShort16BitAnd64BitLengthsEvenWhenTheBytesArriveOneAtATime() throws Exception {
        byte[][] payloads = {
            payloadOf(0, 'a'),
            payloadOf(125, 'b'),
            payloadOf(126, 'c'),
            payloadOf(65535, 'd'),
            payloadOf(65536, 'e'),
            payloadOf(200_000, 'f')
        };
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] p : payloads) {
            stream.writeBytes(serverFrame(Frames.OP_TEXT, p));
        }
        byte[] all = stream.toByteArray();

        // Feed the stream in 1-byte (then 7-byte) pieces: every header split point is crossed.
        for (int step : new int[] {1, 7, all.length}) {
            ByteBuffer buf = ByteBuffer.allocate(all.length);
            buf.flip();
            List<Integer> lengths = new ArrayList<>();
            Frames.Header h = new Frames.Header();
            int fed = 0;
            while (fed < all.length) {
                buf.compact();
                int n = Math.min(step, all.length - fed);
                buf.put(all, fed, n);
                fed += n;
                buf.flip();
                while (Frames.next(buf, Integer.MAX_VALUE, h) == 0) {
                    assertThat(h.opcode()).isEqualTo(Frames.OP_TEXT);
                    byte expected = payloads[lengths.size()].length == 0 ? 0 : payloads[lengths.size()][0];
                    for (int i = 0; i < h.payloadLength(); i++) {
                        assertThat(buf.array()[h.payloadStart() + i]).isEqualTo(expected);
                    }
                    lengths.add(h.payloadLength());
                }
            }
            assertThat(lengths).containsExactly(0, 125, 126, 65535, 65536, 200_000);
            assertThat(buf.remaining()).isZero();
        }
    }

    @Test
    void reportsHowManyBytesAnIncompleteFrameNeeds() throws Exception {
        byte[] frame = serverFrame(Frames.OP_TEXT, payloadOf(70_000, 'x'));
        Frames.Header h = new Frames.Header();
        assertThat(Frames.next(ByteBuffer.wrap(frame, 0, 1), 1 << 20, h)).isEqualTo(2);
        assertThat(Frames.next(ByteBuffer.wrap(frame, 0, 5), 1 << 20, h)).isEqualTo(10);
        ByteBuffer partial = ByteBuffer.wrap(frame, 0, 100);
        assertThat(Frames.next(partial, 1 << 20, h)).isEqualTo(10 + 70_000);
        assertThat(partial.position()).as("position untouched").isZero();
    }

    @Test
    void rejectsWhatAServerMustNotSend() {
        Frames.Header h = new Frames.Header();
        assertThatThrownBy(() ->
                        Frames.next(ByteBuffer.wrap(new byte[] {(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 5}), 100, h))
                .hasMessageContaining("masked");
        assertThatThrownBy(() -> Frames.next(ByteBuffer.wrap(new byte[] {(byte) 0x01, 0}), 100, h))
                .hasMessageContaining("fragmented");
        assertThatThrownBy(() -> Frames.next(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0}), 100, h))
                .hasMessageContaining("continuation");
        assertThatThrownBy(() -> Frames.next(ByteBuffer.wrap(new byte[] {(byte) 0xC1, 0}), 100, h))
                .hasMessageContaining("reserved bits");
        assertThatThrownBy(() -> Frames.next(ByteBuffer.wrap(new byte[] {(byte) 0x83, 0}), 100, h))
                .hasMessageContaining("reserved data opcode");
        assertThatThrownBy(() ->
                        Frames.next(ByteBuffer.wrap(serverFrame(Frames.OP_PING, payloadOf(126, 'p'))), 1000, h))
                .hasMessageContaining("control frame")
                .hasMessageContaining("at most 125");
        assertThatThrownBy(() -> Frames.next(ByteBuffer.wrap(new byte[] {(byte) 0x81, 126, 0, 5}), 100, h))
                .hasMessageContaining("not minimal");
        assertThatThrownBy(() -> Frames.next(
                        ByteBuffer.wrap(new byte[] {(byte) 0x81, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0}), 100, h))
                .hasMessageContaining("most significant bit");
        assertThatThrownBy(() -> Frames.next(ByteBuffer.wrap(serverFrame(Frames.OP_TEXT, payloadOf(101, 'x'))), 100, h))
                .hasMessageContaining("101 bytes exceeds this client's limit of 100");
    }

    @Test
    void clientFramesAreMaskedAndUnmaskToThePayload() {
        for (int size : new int[] {0, 5, 125, 126, 65535, 65536}) {
            String text = "é".repeat(size / 2) + "x".repeat(size % 2);
            byte[] frame = Frames.text(text);
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            assertThat(frame[0] & 0xFF).isEqualTo(0x81);
            assertThat(frame[1] & 0x80).as("mask bit").isEqualTo(0x80);
            int len7 = frame[1] & 0x7F;
            int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
            assertThat(frame.length).isEqualTo(header + 4 + payload.length);
            byte[] unmasked = new byte[payload.length];
            for (int i = 0; i < payload.length; i++) {
                unmasked[i] = (byte) (frame[header + 4 + i] ^ frame[header + (i & 3)]);
            }
            assertThat(unmasked).isEqualTo(payload);
        }
        byte[] close = Frames.close(1000, "bye");
        assertThat(close[0] & 0xFF).isEqualTo(0x88);
        assertThat(close[1] & 0x7F).isEqualTo(5);
    }

    @Test
    void readsCloseCodesAndReasons() {
        byte[] p = {0x03, (byte) 0xF0, 'o', 'k'};
        assertThat(Frames.closeCode(p, 0, 4)).isEqualTo(1008);
        assertThat(Frames.closeReason(p, 0, 4)).isEqualTo("ok");
        assertThat(Frames.closeCode(p, 0, 0)).isEqualTo(1005);
    }
}

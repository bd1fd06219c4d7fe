package dev.progresstracker.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;

/** The mask check follows frame boundaries across reads of any size, extended lengths included. */
class ServerDraftTest {

    private static byte[] frame(int opcode, int length, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (length < 126) {
            out.write(maskBit | length);
        } else {
            out.write(maskBit | 126);
            out.write(length >>> 8);
            out.write(length & 0xFF);
        }
        byte[] key = {1, 2, 3, 4};
        if (masked) {
            out.writeBytes(key);
        }
        byte[] payload = "a".repeat(length).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < length; i++) {
            out.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
        }
        return out.toByteArray();
    }

    /** Feeds {@code bytes} in pieces of {@code chunk}; returns the frames decoded (the marker last, if any). */
    private static List<Framedata> feed(ServerDraft d, byte[] bytes, int chunk) throws InvalidDataException {
        List<Framedata> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += chunk) {
            byte[] piece = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk));
            out.addAll(d.translateFrame(ByteBuffer.wrap(piece)));
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void maskedFramesPassInAnyChunkingAndAnUnmaskedOneIsFoundAfterThem() throws Exception {
        byte[] stream = concat(
                frame(1, 5, true), frame(1, 300, true), frame(9, 0, true), frame(1, 7, false), frame(1, 5, true));
        for (int chunk : new int[] {1, 2, 3, 7, 64, stream.length}) {
            ServerDraft d = new ServerDraft(65536);
            List<Framedata> frames = feed(d, stream, chunk);
            assertThat(frames).as("chunks of %d", chunk).hasSize(4);
            assertThat(frames.subList(0, 3))
                    .extracting(f -> f.getPayloadData().remaining())
                    .containsExactly(5, 300, 0);
            assertThatThrownBy(() -> d.processFrame(null, frames.get(3)))
                    .isInstanceOfSatisfying(
                            InvalidDataException.class,
                            e -> assertThat(e.getCloseCode()).isEqualTo(CloseFrame.PROTOCOL_ERROR))
                    .hasMessageContaining("masked");
        }
    }

    @Test
    void onlyMaskedFramesDecodeAsUsual() throws Exception {
        byte[] stream = concat(frame(1, 200, true), frame(1, 1000, true));
        ServerDraft d = new ServerDraft(65536);
        assertThat(feed(d, stream, 5)).hasSize(2);
        assertThat(d.copyInstance()).isInstanceOf(ServerDraft.class);
    }
}

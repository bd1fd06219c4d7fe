package dev.progresstracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.java_websocket.framing.CloseFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 framing rules seen from a raw socket: a client frame without the mask bit fails the
 * connection with 1002 (§5.1), whatever its opcode; a text frame that is not UTF-8 with 1007 (§8.1).
 */
class FramingTest {

    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private WebSocketProgressServer server;
    private Socket socket;
    private DataInputStream in;

    /** One frame from the server. */
    private record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        server = WebSocketProgressServer.builder()
                .config(WebSocketConfig.builder().port(0).build())
                .start();
        socket = RawHandshake.open(server.uri(), "/", Map.of());
        InputStream raw = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int end = -1;
        while (end < 0) {
            int n = raw.read(buf);
            if (n < 0) {
                throw new EOFException("no upgrade response");
            }
            head.write(buf, 0, n);
            end = head.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        }
        byte[] all = head.toByteArray();
        assertThat(new String(all, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
        // What came after the response head is the start of the frame stream.
        in = new DataInputStream(
                new SequenceInputStream(new ByteArrayInputStream(Arrays.copyOfRange(all, end + 4, all.length)), raw));
        Frame hello = read();
        assertThat(hello.text()).contains("\"hello\"");
    }

    @AfterEach
    void tearDown() throws Exception {
        socket.close();
        server.close();
    }

    /** The next frame from the server, past its heartbeat pings. */
    private Frame read() throws IOException {
        Frame f;
        do {
            f = readAny();
        } while (f.opcode() == PING);
        return f;
    }

    private Frame readAny() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertThat(b1 & 0x80).as("server frames are not masked").isZero();
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }

    /** Frames until (and with) the close frame. */
    private List<Frame> readUntilClose() throws IOException {
        List<Frame> frames = new ArrayList<>();
        Frame f;
        do {
            f = read();
            frames.add(f);
        } while (f.opcode() != CLOSE);
        return frames;
    }

    private static byte[] frame(int opcode, byte[] payload, boolean masked) {
        return RawHandshake.frame(opcode, payload, masked);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void send(byte[]... frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.writeBytes(f);
        }
        socket.getOutputStream().write(all.toByteArray());
        socket.getOutputStream().flush();
    }

    @Test
    void aMaskedPingIsAnsweredWithAPong() throws Exception {
        send(frame(PING, utf8("hi"), true));
        Frame pong = read();
        assertThat(pong.opcode()).isEqualTo(PONG);
        assertThat(pong.text()).isEqualTo("hi");
    }

    @Test
    void anUnmaskedPingClosesWith1002AndGetsNoPong() throws Exception {
        send(frame(PING, utf8("hi"), false));
        List<Frame> frames = readUntilClose();
        assertThat(frames).extracting(Frame::opcode).containsExactly(CLOSE);
        assertThat(frames.get(0).closeCode()).isEqualTo(CloseFrame.PROTOCOL_ERROR);
        assertThat(frames.get(0).text()).contains("masked");
        assertThat(in.read())
                .as("the server closes the socket after the close frame")
                .isEqualTo(-1);
        assertThat(server.counters().closedProtocol.sum()).isEqualTo(1);
    }

    @Test
    void anUnmaskedTextFrameClosesWith1002AndIsNotHandled() throws Exception {
        send(frame(TEXT, utf8("{\"type\":\"ping\",\"id\":\"unmasked\"}"), false));
        List<Frame> frames = readUntilClose();
        assertThat(frames).extracting(Frame::opcode).containsExactly(CLOSE);
        assertThat(frames.get(0).closeCode()).isEqualTo(CloseFrame.PROTOCOL_ERROR);
    }

    /**
     * Frames before the unmasked one in the same read are handled, in order; it and what follows are
     * not. (A bad message is counted when handled; its answer goes through the send thread and may
     * come after the close frame, so it is not what is checked.)
     */
    @Test
    void framesBeforeAnUnmaskedOneAreHandledAndNothingAfterIt() throws Exception {
        send(
                frame(TEXT, utf8("not json, first"), true),
                frame(PING, utf8("second"), true),
                frame(TEXT, utf8("not json, unmasked"), false),
                frame(TEXT, utf8("not json, after"), true),
                frame(PING, utf8("after"), true));
        List<Frame> frames = readUntilClose();
        List<Frame> control = frames.stream().filter(f -> f.opcode() != TEXT).toList();
        assertThat(control).extracting(Frame::opcode).containsExactly(PONG, CLOSE);
        assertThat(control.get(0).text()).isEqualTo("second");
        assertThat(frames.get(frames.size() - 1).closeCode()).isEqualTo(CloseFrame.PROTOCOL_ERROR);
        assertThat(server.counters().protocolErrors.sum())
                .as("messages handled: only the first")
                .isEqualTo(1);
    }

    @Test
    void invalidUtf8InATextFrameClosesWith1007() throws Exception {
        send(frame(TEXT, new byte[] {'{', (byte) 0xC3, 0x28, '}'}, true));
        List<Frame> frames = readUntilClose();
        assertThat(frames).extracting(Frame::opcode).containsExactly(CLOSE);
        assertThat(frames.get(0).closeCode()).isEqualTo(CloseFrame.NO_UTF8);
    }
}

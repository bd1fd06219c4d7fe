package dev.progresstracker.benchmarks.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    @Test
    void acceptKeyIsTheOneOfRfc6455() {
        // RFC 6455 §1.3's worked example.
        assertThat(Handshake.acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void requestCarriesAFreshKeyAndTheHeaders() {
        Handshake a = new Handshake(URI.create("ws://127.0.0.1:8765/x?token=t"), Map.of("Authorization", "Bearer t"));
        Handshake b = new Handshake(URI.create("ws://127.0.0.1:8765/"), Map.of());
        String req = new String(a.request(), StandardCharsets.ISO_8859_1);
        assertThat(req)
                .startsWith("GET /x?token=t HTTP/1.1\r\n")
                .contains("Host: 127.0.0.1:8765\r\n")
                .contains("Sec-WebSocket-Key: " + a.key() + "\r\n")
                .contains("Sec-WebSocket-Version: 13\r\n")
                .contains("Authorization: Bearer t\r\n")
                .endsWith("\r\n\r\n");
        assertThat(java.util.Base64.getDecoder().decode(a.key())).hasSize(16);
        assertThat(a.key()).isNotEqualTo(b.key());
    }

    private static ByteBuffer response(String head, String after) {
        return ByteBuffer.wrap((head + "\r\n\r\n" + after).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void acceptsAValid101AndLeavesTheFramesAfterIt() throws Exception {
        Handshake h = new Handshake(URI.create("ws://127.0.0.1:1/"), Map.of());
        ByteBuffer buf = response(
                "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + Handshake.acceptFor(h.key()),
                "FRAMES");
        assertThat(h.complete(buf)).isTrue();
        assertThat(StandardCharsets.ISO_8859_1.decode(buf).toString()).isEqualTo("FRAMES");
    }

    @Test
    void waitsForTheWholeHead() throws Exception {
        Handshake h = new Handshake(URI.create("ws://127.0.0.1:1/"), Map.of());
        ByteBuffer buf = ByteBuffer.wrap(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(h.complete(buf)).isFalse();
        assertThat(buf.position()).isZero();
    }

    @Test
    void rejectsWrongStatusHeadersAndAccept() {
        Handshake h = new Handshake(URI.create("ws://127.0.0.1:1/"), Map.of());
        String accept = "Sec-WebSocket-Accept: " + Handshake.acceptFor(h.key());
        assertThatThrownBy(() -> h.complete(response("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer", "")))
                .hasMessageContaining("got 'HTTP/1.1 401 Unauthorized'");
        assertThatThrownBy(() -> h.complete(response("HTTP/1.1 101 OK\r\nConnection: Upgrade\r\n" + accept, "")))
                .hasMessageContaining("Upgrade: websocket")
                .hasMessageContaining("no such header");
        assertThatThrownBy(() -> h.complete(
                        response("HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: close\r\n" + accept, "")))
                .hasMessageContaining("Connection: Upgrade")
                .hasMessageContaining("'close'");
        assertThatThrownBy(() -> h.complete(response(
                        "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + "Sec-WebSocket-Accept: "
                                + Handshake.acceptFor("c29tZSBvdGhlciBrZXk="),
                        "")))
                .hasMessageContaining("does not match the key");
        assertThatThrownBy(() -> h.complete(response(
                        "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + accept
                                + "\r\nSec-WebSocket-Extensions: permessage-deflate",
                        "")))
                .hasMessageContaining("extension 'permessage-deflate'");
        assertThatThrownBy(() -> h.complete(response(
                        "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + accept
                                + "\r\nSec-WebSocket-Protocol: chat",
                        "")))
                .hasMessageContaining("subprotocol 'chat'");
        assertThatThrownBy(() -> h.complete(ByteBuffer.wrap(new byte[Handshake.MAX_HEAD_BYTES + 1])))
                .hasMessageContaining("no end of the response head");
    }
}

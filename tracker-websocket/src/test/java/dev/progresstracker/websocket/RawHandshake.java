package dev.progresstracker.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Speaks the HTTP upgrade by hand, to see exactly what the server answers. */
final class RawHandshake {

    private RawHandshake() {}

    static String request(URI ws, String pathAndQuery, Map<String, String> headers) throws IOException {
        try (Socket s = open(ws, pathAndQuery, headers)) {
            return readResponse(s.getInputStream());
        }
    }

    /** Opens a socket and sends the upgrade request; the caller reads the answer. */
    static Socket open(URI ws, String pathAndQuery, Map<String, String> headers) throws IOException {
        Socket s = new Socket(ws.getHost(), ws.getPort());
        s.setSoTimeout(10_000);
        StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n")
                .append("Host: ")
                .append(ws.getHost())
                .append(':')
                .append(ws.getPort())
                .append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ")
                .append(Base64.getEncoder().encodeToString(new byte[16]))
                .append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Everything until the server closes (or the head of a 101 response). */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            String text = out.toString(StandardCharsets.ISO_8859_1);
            if (text.startsWith("HTTP/1.1 101") && text.contains("\r\n\r\n")) {
                break;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** A client frame (FIN set) of {@code opcode}, masked with a fixed key when {@code masked}. */
    static byte[] frame(int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        }
        byte[] key = {0x12, 0x34, 0x56, 0x78};
        if (masked) {
            out.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
        }
        return out.toByteArray();
    }
}

package dev.progresstracker.benchmarks.websocket.internal;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of the opening handshake (RFC 6455 §4.1): a request with a fresh random
 * {@code Sec-WebSocket-Key}, and the checks of the server's answer — status 101, {@code Upgrade:
 * websocket}, {@code Connection: Upgrade}, the {@code Sec-WebSocket-Accept} derived from our key, and
 * no extension or subprotocol we did not offer.
 */
public final class Handshake {

    /** Longest response head accepted; a server that sends more is not speaking WebSocket. */
    public static final int MAX_HEAD_BYTES = 8192;

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final String key;
    private final byte[] request;
    private final Set<String> offeredProtocols = new HashSet<>();

    /** A handshake for {@code uri} ({@code ws://host:port/path?query}) with extra request headers. */
    public Handshake(URI uri, Map<String, String> headers) {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        StringBuilder r = new StringBuilder(256)
                .append("GET ")
                .append(path)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(uri.getHost())
                .append(':')
                .append(uri.getPort())
                .append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ")
                .append(key)
                .append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        headers.forEach((k, v) -> {
            r.append(k).append(": ").append(v).append("\r\n");
            if (k.equalsIgnoreCase("Sec-WebSocket-Protocol")) {
                for (String p : v.split(",")) {
                    offeredProtocols.add(p.trim());
                }
            }
        });
        this.request = r.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    public byte[] request() {
        return request.clone();
    }

    String key() {
        return key;
    }

    /** {@code base64(SHA-1(key + GUID))}, what the server must answer to {@code key}. */
    public static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    /** The server's answer does not complete the handshake. */
    public static final class HandshakeException extends Exception {
        private static final long serialVersionUID = 1L;

        public HandshakeException(String message) {
            super(message);
        }
    }

    /**
     * Checks the response head at {@code buf.position()} (read mode). Returns false, leaving the
     * buffer as it is, while the head is incomplete; returns true and moves the position past the
     * blank line when it is complete and valid (what follows is already WebSocket frames).
     *
     * @throws HandshakeException naming what is wrong: status, a header, or a head over {@value #MAX_HEAD_BYTES} bytes
     */
    public boolean complete(ByteBuffer buf) throws HandshakeException {
        int end = headEnd(buf);
        if (end < 0) {
            if (buf.remaining() > MAX_HEAD_BYTES) {
                throw new HandshakeException("no end of the response head within " + MAX_HEAD_BYTES + " bytes");
            }
            return false;
        }
        String head = new String(
                buf.array(), buf.arrayOffset() + buf.position(), end - buf.position(), StandardCharsets.ISO_8859_1);
        check(head);
        buf.position(end + 4);
        return true;
    }

    /** Index (relative to the buffer) of the CRLFCRLF ending the head, or -1. */
    private static int headEnd(ByteBuffer buf) {
        byte[] a = buf.array();
        int off = buf.arrayOffset();
        for (int i = buf.position(); i + 3 < buf.limit(); i++) {
            if (a[off + i] == '\r' && a[off + i + 1] == '\n' && a[off + i + 2] == '\r' && a[off + i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void check(String head) throws HandshakeException {
        String[] lines = head.split("\r\n");
        String status = lines[0];
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new HandshakeException("expected 'HTTP/1.1 101 Switching Protocols', got '" + status + "'");
        }
        String upgrade = null;
        String connection = null;
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new HandshakeException("malformed header line '" + lines[i] + "'");
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "upgrade" -> upgrade = value;
                case "connection" -> connection = value;
                case "sec-websocket-accept" -> accept = value;
                case "sec-websocket-extensions" -> {
                    if (!value.isEmpty()) {
                        throw new HandshakeException("server chose extension '" + value + "' that was not offered");
                    }
                }
                case "sec-websocket-protocol" -> {
                    if (!value.isEmpty() && !offeredProtocols.contains(value)) {
                        throw new HandshakeException("server chose subprotocol '" + value + "' that was not offered");
                    }
                }
                default -> {
                    // other headers do not matter to the handshake
                }
            }
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            throw new HandshakeException("expected 'Upgrade: websocket', got " + quoted(upgrade));
        }
        if (connection == null || !hasToken(connection, "upgrade")) {
            throw new HandshakeException("expected 'Connection: Upgrade', got " + quoted(connection));
        }
        String expected = acceptFor(key);
        if (!expected.equals(accept)) {
            throw new HandshakeException(
                    "Sec-WebSocket-Accept " + quoted(accept) + " does not match the key (expected '" + expected + "')");
        }
    }

    private static boolean hasToken(String value, String token) {
        for (String t : value.split(",")) {
            if (t.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static String quoted(String s) {
        return s == null ? "no such header" : "'" + s + "'";
    }
}

package dev.progresstracker.websocket.internal;

import dev.progresstracker.websocket.WebSocketConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;
import org.java_websocket.handshake.ClientHandshake;

/**
 * Decides at the HTTP upgrade whether a client may connect: connection limit (503), Origin
 * allowlist (403), bearer token (401). The token may come in an {@code Authorization: Bearer}
 * header, as a {@code bearer.<token>} entry of {@code Sec-WebSocket-Protocol} (what browsers can
 * send), or as a {@code ?token=} query parameter; it is taken from the raw request by
 * {@link RequestHeadRedactor}, compared in constant time and never logged or echoed. Thread-safe.
 */
public final class HandshakeGuard {

    /** Prefix of the subprotocol entry that carries the token. */
    public static final String TOKEN_SUBPROTOCOL_PREFIX = "bearer.";

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    /** Why a handshake was refused: HTTP status, a reason for the client, and a metric tag. */
    public record Rejection(int status, String statusText, String reason, String metricTag) {}

    private final WebSocketConfig config;
    private final byte[] tokenDigest;

    public HandshakeGuard(WebSocketConfig config) {
        this.config = config;
        this.tokenDigest = config.authToken() == null ? null : sha256(config.authToken());
    }

    /** Null to accept, else why not. */
    public Rejection check(ClientHandshake request, String presented, int openConnections) {
        if (openConnections >= config.maxConnections()) {
            return new Rejection(
                    503,
                    "Service Unavailable",
                    "connection limit of " + config.maxConnections() + " reached; try again later",
                    "capacity");
        }
        String origin = request.getFieldValue("Origin");
        if (!origin.isEmpty() && !originAllowed(origin)) {
            return new Rejection(403, "Forbidden", "origin '" + clip(origin) + "' is not allowed", "origin");
        }
        if (tokenDigest != null) {
            if (presented == null) {
                return new Rejection(401, "Unauthorized", "a bearer token is required", "unauthorized");
            }
            if (!MessageDigest.isEqual(tokenDigest, sha256(presented))) {
                return new Rejection(401, "Unauthorized", "the bearer token is not valid", "unauthorized");
            }
        }
        return null;
    }

    /** Whether accepted clients have proven the token (false when none is configured). */
    public boolean authRequired() {
        return tokenDigest != null;
    }

    boolean originAllowed(String origin) {
        if (config.allowedOrigins().contains("*")) {
            return true;
        }
        if (config.allowedOrigins().isEmpty()) {
            try {
                URI u = URI.create(origin);
                String host = u.getHost();
                return host != null
                        && LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT))
                        && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        for (String allowed : config.allowedOrigins()) {
            if (allowed.equalsIgnoreCase(origin)) {
                return true;
            }
        }
        return false;
    }

    /** The raw HTTP response that refuses the upgrade. */
    static byte[] httpResponse(Rejection r) {
        byte[] body = (r.reason() + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + r.status() + " " + r.statusText() + "\r\n"
                + (r.status() == 401 ? "WWW-Authenticate: Bearer\r\n" : "")
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    private static byte[] sha256(String v) {
        try {
            // Hashing first makes the comparison constant-time in the token's length too.
            return MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String clip(String v) {
        return v.length() <= 100 ? v : v.substring(0, 100) + "…";
    }
}

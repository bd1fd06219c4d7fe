package dev.progresstracker.websocket.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the bearer token in an HTTP upgrade request head and masks it in place, before any other
 * code (Java-WebSocket logs raw request bytes at TRACE) sees the bytes. The token may be in
 * {@code Authorization: Bearer …}, in a {@code bearer.…} entry of {@code Sec-WebSocket-Protocol},
 * or in a {@code token=} query parameter; the first found in that order is the one presented.
 */
final class RequestHeadRedactor {

    private static final Pattern AUTHORIZATION = Pattern.compile("(?im)^Authorization:[ \\t]*Bearer[ \\t]+([^\\s]+)");
    private static final Pattern SUBPROTOCOL = Pattern.compile("(?im)^Sec-WebSocket-Protocol:[^\\r\\n]*?\\b"
            + Pattern.quote(HandshakeGuard.TOKEN_SUBPROTOCOL_PREFIX) + "([^,\\s]+)");
    private static final Pattern QUERY = Pattern.compile("\\A[A-Z]+ [^ ?]*\\?(?:[^ ]*&)?token=([^& #]*)");

    private RequestHeadRedactor() {}

    /**
     * Masks every token occurrence in {@code head[0, length)} with {@code *} (same length, so nothing
     * shifts) and returns the presented token, or null if there is none.
     */
    static String redact(byte[] head, int length) {
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
        String token = null;
        for (Pattern p : new Pattern[] {AUTHORIZATION, SUBPROTOCOL, QUERY}) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                if (token == null) {
                    String raw = text.substring(m.start(1), m.end(1));
                    token = p == QUERY ? decode(raw) : raw;
                }
                for (int i = m.start(1); i < m.end(1); i++) {
                    head[i] = '*';
                }
            }
        }
        return token;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}

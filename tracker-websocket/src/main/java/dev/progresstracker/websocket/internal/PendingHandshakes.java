package dev.progresstracker.websocket.internal;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections accepted but not yet upgraded (the HTTP upgrade, and for {@code wss://} the TLS
 * handshake before it). Java-WebSocket counts a connection only once it is open and closes nothing
 * that never finished its upgrade, so a peer that connects and sends half a request (or nothing)
 * would hold a descriptor for good. Here such connections are bounded in number ({@link #admit}
 * refuses one over the limit) and in time ({@link #expire} closes those older than the timeout).
 *
 * <p>Thread-safe. {@link #admit} is called only by the selector thread, so the limit is never
 * exceeded; the others from any thread.
 */
public final class PendingHandshakes {

    private static final Logger LOG = LoggerFactory.getLogger(PendingHandshakes.class);

    private final int limit;
    private final long timeoutNanos;
    private final ServerMetrics metrics;
    /** Each pending connection and when it was accepted ({@link System#nanoTime()}). */
    private final Map<WebSocketImpl, Long> acceptedAt = new ConcurrentHashMap<>();

    public PendingHandshakes(int limit, Duration timeout, ServerMetrics metrics) {
        this.limit = limit;
        this.timeoutNanos = timeout.toNanos();
        this.metrics = metrics;
    }

    /** Counts {@code ws} as pending; false (and counted as refused) if {@code limit} are pending already. */
    boolean admit(WebSocketImpl ws) {
        if (acceptedAt.size() >= limit) {
            metrics.rejected("pending");
            return false;
        }
        acceptedAt.put(ws, System.nanoTime());
        return true;
    }

    /** {@code ws} finished its upgrade or closed: it no longer counts. */
    void done(WebSocket ws) {
        acceptedAt.remove(ws);
    }

    /** Connections accepted and not yet upgraded or closed. */
    public int count() {
        return acceptedAt.size();
    }

    /** Closes every connection pending for longer than the timeout; returns how many. */
    public int expire() {
        long now = System.nanoTime();
        int closed = 0;
        for (Iterator<Map.Entry<WebSocketImpl, Long>> it = acceptedAt.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<WebSocketImpl, Long> e = it.next();
            if (now - e.getValue() > timeoutNanos) {
                it.remove();
                if (close(e.getKey(), "handshake timeout")) {
                    closed++;
                }
            }
        }
        if (closed > 0) {
            metrics.handshakesTimedOut.add(closed);
            LOG.debug(
                    "closed {} connection(s) that did not complete the upgrade within {} ms",
                    closed,
                    timeoutNanos / 1_000_000);
        }
        return closed;
    }

    /** Closes every pending connection (the listening socket is going away). */
    public void closeAll() {
        for (Iterator<WebSocketImpl> it = acceptedAt.keySet().iterator(); it.hasNext(); ) {
            WebSocketImpl ws = it.next();
            it.remove();
            close(ws, "server stopping");
        }
    }

    private static boolean close(WebSocketImpl ws, String why) {
        if (ws.getReadyState() != ReadyState.NOT_YET_CONNECTED) {
            return false; // upgraded (or closed) just now
        }
        try {
            // Not a close handshake: there is no WebSocket yet. The socket is simply closed.
            ws.closeConnection(CloseFrame.NEVER_CONNECTED, why);
            return true;
        } catch (RuntimeException ex) {
            LOG.debug("closing a pending connection: {}", ex.toString());
            return false;
        }
    }
}

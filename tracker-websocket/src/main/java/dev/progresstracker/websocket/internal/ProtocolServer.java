package dev.progresstracker.websocket.internal;

import dev.progresstracker.websocket.WebSocketConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java-WebSocket adapter: one listening socket, from start to stop. Everything that outlives it
 * (runs, resume) lives in {@link Broker}; connection policy in {@link HandshakeGuard}; messages in
 * {@link RequestHandler}. Java-WebSocket's own write path carries only its control frames; our
 * messages reach the socket through {@link SendPump}.
 */
public final class ProtocolServer extends WebSocketServer {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolServer.class);
    private static final AtomicLong IDS = new AtomicLong();

    /** What the server needs from its owner. */
    public interface Owner {
        Broker broker();

        RequestHandler requests();

        ServerMetrics metrics();

        String serverVersion();

        /** Closes {@code s} as too slow (1008), at most once. */
        void closeSlow(ClientSession s);

        /** Connections accepted and not yet upgraded. */
        PendingHandshakes pending();
    }

    private final WebSocketConfig config;
    private final HandshakeGuard guard;
    private final Owner owner;
    private final CompletableFuture<Integer> started = new CompletableFuture<>();

    public ProtocolServer(InetSocketAddress address, WebSocketConfig config, Owner owner) {
        super(address, config.workerThreads(), List.of(new ServerDraft(config.maxFrameBytes())));
        this.config = config;
        this.guard = new HandshakeGuard(config);
        this.owner = owner;
        setReuseAddr(true);
        // The kernel's accept queue (default 50): a burst of connects longer than it waits a second for a
        // SYN retransmit. As long as the pending-handshake limit; the kernel caps it at somaxconn.
        setMaxPendingConnections(Math.max(50, Math.min(config.maxPendingHandshakes(), 4096)));
        setTcpNoDelay(true);
        setDaemon(true);
        // Heartbeat and idle timeout are ours (millisecond resolution, counted, and they close stalled peers).
        setConnectionLostTimeout(0);
        setWebSocketFactory(new GuardedSocketFactory(
                config.sslContext() == null
                        ? new DefaultWebSocketServerFactory()
                        : new DefaultSSLWebSocketServerFactory(config.sslContext()),
                owner.pending()));
    }

    /**
     * Stops listening and closes every connection with 1001, giving close handshakes up to
     * {@code graceMillis}; the sockets of those that did not end by then are closed (Java-WebSocket's
     * own shutdown closes the selector but leaves those sockets open, and their clients waiting).
     */
    public void shutdown(int graceMillis) {
        try {
            stop(graceMillis, "server stopping");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Java-WebSocket may race its own selector shutdown (ClosedSelectorException); the socket is gone either
            // way.
            LOG.debug("WebSocket server stop: {}", e.toString());
        }
        for (WebSocket c : List.copyOf(getConnections())) {
            try {
                ((WebSocketImpl) c).closeConnection(CloseFrame.GOING_AWAY, "server stopped");
            } catch (RuntimeException e) {
                LOG.debug("{}: close after stop: {}", c.getAttachment(), e.toString());
            }
        }
    }

    /** Completes with the bound port once listening, or exceptionally if binding failed. */
    public CompletableFuture<Integer> started() {
        return started;
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
            WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
        HandshakeGuard.Rejection r = guard.check(
                request,
                ((GuardedSocketFactory.GuardedSocket) conn).presentedToken(),
                getConnections().size());
        if (r != null) {
            owner.metrics().rejected(r.metricTag());
            LOG.debug("refused a handshake from {}: {} {}", conn.getRemoteSocketAddress(), r.status(), r.reason());
            ((GuardedSocketFactory.GuardedSocket) conn).reject(HandshakeGuard.httpResponse(r));
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, r.reason());
        }
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        owner.pending().done(conn);
        ClientSession s = new ClientSession(
                IDS.incrementAndGet(),
                conn,
                this,
                guard.authRequired(),
                config.sendBufferBytes(),
                config.sendBufferMessages(),
                owner.metrics());
        conn.setAttachment(s);
        ((GuardedSocketFactory.GuardedSocket) conn)
                .onFrameQueued(() -> owner.broker().watchSocket(s));
        owner.metrics().connectionsOpened.increment();
        owner.broker().add(s);
        owner.broker()
                .send(
                        s,
                        Messages.hello(
                                owner.serverVersion(),
                                s.authenticated,
                                config.maxSubscriptionsPerClient(),
                                config.maxFrameBytes()));
        LOG.debug("{} connected from {}", s, conn.getRemoteSocketAddress());
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        ClientSession s = conn.getAttachment();
        if (s == null) {
            return;
        }
        s.touch();
        owner.requests().onText(s, message);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        ClientSession s = conn.getAttachment();
        if (s != null) {
            owner.metrics().protocolErrors.increment();
            conn.close(CloseFrame.REFUSE, "binary messages are not supported; send JSON text");
        }
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata f) {
        ClientSession s = conn.getAttachment();
        if (s != null) {
            s.touch();
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        if (code == CloseFrame.TOOBIG && !remote) {
            owner.metrics().closedTooBig.increment();
        } else if (code == CloseFrame.PROTOCOL_ERROR && !remote) {
            owner.metrics().closedProtocol.increment();
        }
        ClientSession s = conn.getAttachment();
        if (s != null) {
            owner.broker().remove(s);
            LOG.debug("{} closed: {} {}", s, code, reason);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            if (!started.completeExceptionally(ex)) {
                LOG.warn("WebSocket server error: {}", ex.toString());
            }
            return;
        }
        LOG.debug("{}: {}", conn.getAttachment(), ex.toString());
    }

    @Override
    public void onStart() {
        started.complete(getPort());
    }
}

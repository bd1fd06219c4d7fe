package dev.progresstracker.websocket;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.websocket.internal.Broker;
import dev.progresstracker.websocket.internal.ClientSession;
import dev.progresstracker.websocket.internal.Heartbeat;
import dev.progresstracker.websocket.internal.PendingHandshakes;
import dev.progresstracker.websocket.internal.ProtocolServer;
import dev.progresstracker.websocket.internal.RequestHandler;
import dev.progresstracker.websocket.internal.ServerMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live progress over WebSocket: an {@link EventSink} that keeps the state of every run it sees and
 * streams events to subscribed clients (protocol in the module README). Build with
 * {@link #builder()}; {@link Builder#start()} builds and starts, or call {@link #start()} yourself.
 *
 * <p>Threading: {@link #publish} runs on the tracker's sink thread and never waits for a client
 * (each client has a bounded buffer drained by one send thread; a client that falls too far behind
 * is closed with 1008). Lifecycle methods are thread-safe. {@link #stop()} closes every client but
 * keeps the runs' state, so a later {@link #start()} lets clients resume where they were;
 * {@link #close()} (called by the tracker when it closes) stops for good.
 */
public final class WebSocketProgressServer implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketProgressServer.class);
    private static final String VERSION = versionOf();

    private final WebSocketConfig config;
    private final ServerMetrics metrics;
    private final Broker broker;
    private final RequestHandler requests;
    private final Heartbeat heartbeat;
    private final PendingHandshakes pending;
    private ProtocolServer server;
    private int boundPort = -1;
    private boolean closed;

    private WebSocketProgressServer(Builder b) {
        this.config = b.config;
        this.metrics = new ServerMetrics(this::connectionCount, this::pendingHandshakeCount);
        this.pending = new PendingHandshakes(config.maxPendingHandshakes(), config.handshakeTimeout(), metrics);
        this.broker = new Broker(config, b.store, metrics, this::closeSlow);
        this.requests = new RequestHandler(broker, config, metrics, b.clock);
        this.heartbeat = new Heartbeat(broker, pending, config, metrics);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts listening; returns once it listens. After a {@link #stop()}, binds the port it
     * had before (also when configured as 0), so clients reconnect to the same address.
     *
     * @throws IllegalStateException if running or closed, or the port cannot be bound (the cause says why)
     */
    public synchronized WebSocketProgressServer start() {
        if (closed) {
            throw new IllegalStateException("the WebSocket server is closed");
        }
        if (server != null) {
            throw new IllegalStateException("the WebSocket server is already running on port " + boundPort);
        }
        int port = boundPort > 0 && config.port() == 0 ? boundPort : config.port();
        ProtocolServer s = new ProtocolServer(new InetSocketAddress(config.host(), port), config, new Owner());
        s.start();
        try {
            boundPort = s.started().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            s.shutdown(STOP_GRACE_MILLIS);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    "WebSocket server could not listen on " + config.host() + ":" + port + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.shutdown(STOP_GRACE_MILLIS);
            throw new IllegalStateException("interrupted while starting the WebSocket server", e);
        }
        server = s;
        heartbeat.start();
        LOG.info("WebSocket progress server listening on {}", uri());
        return this;
    }

    /** How long {@link #stop()} lets close handshakes run before it closes the sockets. */
    private static final int STOP_GRACE_MILLIS = 1000;

    /**
     * Closes every client (1001, going away; a client that has not ended its close handshake within a
     * second has its socket closed) and the listening socket; run state is kept. Idempotent.
     */
    public synchronized void stop() {
        ProtocolServer s = server;
        server = null;
        if (s != null) {
            heartbeat.stop();
            s.shutdown(STOP_GRACE_MILLIS);
            pending.closeAll(); // the library closes only upgraded connections
            LOG.info("WebSocket progress server on port {} stopped", boundPort);
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The port it listens on (the real one when configured as 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the WebSocket server is not running");
        }
        return boundPort;
    }

    /** {@code ws://host:port/} or {@code wss://…} when TLS is configured. */
    public synchronized URI uri() {
        return URI.create((config.sslContext() != null ? "wss" : "ws") + "://" + hostForUri() + ":" + port() + "/");
    }

    private String hostForUri() {
        String h = config.host();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    public WebSocketConfig config() {
        return config;
    }

    /** Open client connections. */
    public int connectionCount() {
        return broker.sessions().size();
    }

    /**
     * Connections accepted but not yet upgraded (not in {@link #connectionCount()}): at most
     * {@link WebSocketConfig#maxPendingHandshakes()}, each for at most about {@link WebSocketConfig#handshakeTimeout()}.
     */
    public int pendingHandshakeCount() {
        return pending.count();
    }

    /** Subscriptions of the open connections: runs followed by id, plus one per {@code "*"}. */
    public int subscriptionCount() {
        return broker.subscriptionCount();
    }

    /** Runs the server holds state for. */
    public int runCount() {
        return broker.runCount();
    }

    /**
     * Bytes waiting for clients' sockets: their send buffers (snapshots included) and what waits in
     * Java-WebSocket's output queues; a batch shared by several caught-up clients counts once for each.
     */
    public long queuedBytes() {
        return broker.queuedBytes();
    }

    /**
     * Meters {@code tracker.websocket.connections}, {@code .messages.out}, {@code .messages.conflated},
     * {@code .clients.closed.slow}, {@code .clients.closed.idle}, {@code .protocol.errors},
     * {@code .handshakes.rejected{reason}}; bind to any registry.
     */
    public MeterBinder metrics() {
        return metrics;
    }

    /** Same counters as {@link #metrics()}, for reading directly. */
    public ServerMetrics counters() {
        return metrics;
    }

    // ------------------------------------------------------------------ EventSink

    @Override
    public String name() {
        return "websocket";
    }

    /** CONFLATE: a progress event may be replaced by a newer one of its task before it gets here. */
    @Override
    public OverflowPolicy overflowPolicy() {
        return OverflowPolicy.CONFLATE;
    }

    @Override
    public void publish(ProgressEvent event) {
        broker.publish(event);
    }

    /** Stops for good: clients are closed and the send thread ends. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        heartbeat.close();
        broker.close();
    }

    private void closeSlow(ClientSession s) {
        heartbeat.closeSlow(s);
    }

    private final class Owner implements ProtocolServer.Owner {
        @Override
        public Broker broker() {
            return broker;
        }

        @Override
        public RequestHandler requests() {
            return requests;
        }

        @Override
        public ServerMetrics metrics() {
            return metrics;
        }

        @Override
        public String serverVersion() {
            return VERSION;
        }

        @Override
        public void closeSlow(ClientSession s) {
            WebSocketProgressServer.this.closeSlow(s);
        }

        @Override
        public PendingHandshakes pending() {
            return pending;
        }
    }

    private static String versionOf() {
        String v = WebSocketProgressServer.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    /** Defaults: {@link WebSocketConfig#defaults()}, an empty {@link InMemoryProgressStore}, the UTC clock. */
    public static final class Builder {
        private WebSocketConfig config = WebSocketConfig.defaults();
        private ProgressStore store;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        public Builder config(WebSocketConfig config) {
            this.config = Objects.requireNonNull(config, "config must not be null");
            return this;
        }

        /**
         * The store that resume and runs the server has not seen are read from; use the tracker's own
         * (default: an empty in-memory store, so only what this server saw is known).
         */
        public Builder store(ProgressStore store) {
            this.store = Objects.requireNonNull(store, "store must not be null");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /** A server that is not yet listening. */
        public WebSocketProgressServer build() {
            if (store == null) {
                store = new InMemoryProgressStore();
            }
            return new WebSocketProgressServer(this);
        }

        /** Builds and starts listening. */
        public WebSocketProgressServer start() {
            return build().start();
        }
    }
}

package dev.progresstracker.benchmarks.websocket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket client for load tests: many connections multiplexed on a few selector threads, raw
 * NIO, no per-message allocation. It does the opening handshake itself ({@link Handshake}), reads
 * server frames in place ({@link Frames}), answers pings, completes the closing handshake, and of
 * each text message extracts only an event's sequence and time ({@link EventScanner}). The JDK's
 * {@code java.net.http.WebSocket} decodes every message to a {@code String} on callback threads,
 * which costs more CPU than the server it is meant to measure.
 *
 * <p>Plain {@code ws://} only. Listener methods run on the selector threads and must be quick.
 */
public final class LightClient implements AutoCloseable {

    /** Receives what the connections read; called on selector threads. */
    public interface Listener {
        /** The handshake completed; the first message has been queued. */
        default void onOpen(Connection c) {}

        /**
         * An event message arrived.
         *
         * @param timeMicros     the event's {@code time}, microseconds since the epoch
         * @param receivedMicros when the read that returned it completed, same scale
         */
        void onEvent(Connection c, long sequence, long timeMicros, long receivedMicros);

        /**
         * Every text message, after {@link #onEvent} for events: the UTF-8 payload is
         * {@code a[off, off+len)}, valid only during the call. {@code kind} is an {@link EventScanner} constant.
         */
        default void onText(Connection c, byte[] a, int off, int len, int kind) {}

        /** The connection ended: {@code code} from the server's close frame, or 1006; {@code error} if the client gave up. */
        default void onClosed(Connection c, int code, String reason, Throwable error) {}
    }

    /** Largest frame payload accepted (a snapshot of a big run); larger frames end the connection with 1009. */
    public static final int DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;

    static final int INITIAL_BUFFER = 16 * 1024;

    final Listener listener;
    final int maxPayload;
    private final List<SelectorWorker> workers = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    volatile long coalesceNanos;

    /** Starts {@code threads} selector threads (daemon). */
    public LightClient(int threads, Listener listener) throws IOException {
        this(threads, DEFAULT_MAX_PAYLOAD, listener);
    }

    public LightClient(int threads, int maxPayload, Listener listener) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.listener = listener;
        this.maxPayload = maxPayload;
        for (int i = 0; i < threads; i++) {
            SelectorWorker w = new SelectorWorker(Selector.open(), "ws-load-client-" + i, this);
            workers.add(w);
            w.thread.start();
        }
    }

    /**
     * Opens a connection to {@code uri} ({@code ws://host:port/path?query}); returns at once, the
     * handshake continues on a selector thread. {@code firstMessage} (may be null) is sent as soon as
     * the handshake completes.
     *
     * @param receiveBufferBytes {@code SO_RCVBUF}, or 0 for the system's (auto-tuned) default
     */
    public Connection connect(URI uri, Map<String, String> headers, String firstMessage, int receiveBufferBytes)
            throws IOException {
        if (!"ws".equals(uri.getScheme())) {
            throw new IllegalArgumentException("only ws:// is supported, got " + uri);
        }
        int id = ids.incrementAndGet();
        SelectorWorker w = workers.get(id % workers.size());
        SocketChannel ch = SocketChannel.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (receiveBufferBytes > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            ch.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        Connection c = new Connection(id, w, ch, new Handshake(uri, headers), firstMessage, INITIAL_BUFFER);
        w.execute(() -> w.register(c));
        return c;
    }

    /** Closes every socket at once (no closing handshake) and stops the selector threads. */
    @Override
    public void close() {
        for (SelectorWorker w : workers) {
            w.running = false;
            w.selector.wakeup();
        }
        try {
            for (SelectorWorker w : workers) {
                w.thread.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /**
     * After each pass over the sockets that were ready, the selector threads pause this long (0, the
     * default: no pause) so that the next pass finds many sockets ready instead of being woken for
     * each one: with 1,000 connections a wake-up per socket costs the clients more CPU than reading.
     * Reads then happen up to this much later, which the measured latency includes.
     */
    public void coalesceReads(java.time.Duration pause) {
        this.coalesceNanos = pause.toNanos();
    }
}

package dev.progresstracker.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.WrappedByteChannel;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Role;
import org.java_websocket.framing.Framedata;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;

/**
 * Creates {@link GuardedSocket}s, delegating channel wrapping (plain or TLS) to another factory.
 * Every accepted connection counts as {@link PendingHandshakes pending} until it is upgraded or
 * closed; one over the limit is closed at once.
 */
final class GuardedSocketFactory implements WebSocketServerFactory {

    private static final byte[] PENDING_LIMIT_RESPONSE = HandshakeGuard.httpResponse(new HandshakeGuard.Rejection(
            503, "Service Unavailable", "too many connections in their handshake; try again later", "pending"));

    private final WebSocketServerFactory delegate;
    private final PendingHandshakes pending;

    GuardedSocketFactory(WebSocketServerFactory delegate, PendingHandshakes pending) {
        this.delegate = delegate;
        this.pending = pending;
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
        return new GuardedSocket(a, List.of(d), pending);
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> drafts) {
        return new GuardedSocket(a, drafts, pending);
    }

    /**
     * Called by the selector thread for each accepted connection. Over the pending limit it throws,
     * and Java-WebSocket closes the socket at once; a plain socket is first sent a 503 (best effort:
     * a non-blocking write to an empty send buffer).
     */
    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        // The key's attachment is the connection (registered before the channel is wrapped).
        WebSocketImpl ws = key.attachment() instanceof WebSocketImpl w ? w : null;
        if (ws != null && !pending.admit(ws)) {
            if (!(delegate instanceof DefaultSSLWebSocketServerFactory)) { // no HTTP before TLS
                try {
                    channel.write(ByteBuffer.wrap(PENDING_LIMIT_RESPONSE));
                } catch (IOException ignored) {
                    // closed below either way
                }
            }
            throw new IOException("too many pending handshakes: connection refused");
        }
        BlockingQueue<ByteBuffer> outQueue = ws != null ? ws.outQueue : null;
        try {
            return new GuardedChannel(delegate.wrapChannel(channel, key), channel, outQueue);
        } catch (IOException | RuntimeException e) {
            if (ws != null) {
                pending.done(ws);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        delegate.close();
    }

    /**
     * A connection that can refuse its upgrade with a real HTTP status (401, 403, 503). Java-WebSocket
     * answers every refused handshake with its own "404" and, having no draft yet, never closes the
     * socket itself; here the channel sends only our answer, and the server closes once it is out.
     */
    static final class GuardedSocket extends WebSocketImpl {
        private static final Draft CLOSING_DRAFT = closingDraft();
        private final PendingHandshakes pending;
        private volatile boolean rejected;
        private volatile Runnable frameQueued;

        GuardedSocket(WebSocketAdapter listener, List<Draft> drafts, PendingHandshakes pending) {
            super(listener, drafts);
            this.pending = pending;
        }

        /** Every way a connection ends passes here (end of stream, I/O error, a close, a timeout). */
        @Override
        public void closeConnection(int code, String message, boolean remote) {
            try {
                super.closeConnection(code, message, remote);
            } finally {
                pending.done(this);
            }
        }

        /**
         * Runs after Java-WebSocket queued a frame of its own (a close, ping or pong): its selector can
         * turn write interest off just as a frame is queued and strand it, which for a close frame
         * leaves an idle client open for good; the hook lets the send pump watch the queue until it
         * is written. Runs on the thread that queued the frame; must not block.
         */
        void onFrameQueued(Runnable hook) {
            frameQueued = hook;
        }

        @Override
        public void sendFrame(Framedata frame) {
            super.sendFrame(frame);
            frameQueued();
        }

        @Override
        public void sendFrame(Collection<Framedata> frames) {
            super.sendFrame(frames);
            frameQueued();
        }

        private void frameQueued() {
            Runnable hook = frameQueued;
            if (hook != null) {
                hook.run();
            }
        }

        void reject(byte[] httpResponse) {
            rejected = true;
            ((GuardedChannel) getChannel()).reject(httpResponse);
        }

        /** The bearer token the client presented, or null. */
        String presentedToken() {
            return ((GuardedChannel) getChannel()).presentedToken();
        }

        @Override
        public Draft getDraft() {
            Draft d = super.getDraft();
            // The library closes a flushed connection only when it has a server-side draft.
            return d == null && rejected ? CLOSING_DRAFT : d;
        }

        private static Draft closingDraft() {
            Draft d = new Draft_6455();
            d.setParseMode(Role.SERVER);
            return d;
        }
    }

    /** What {@link GuardedChannel#writeDirectly} did. */
    enum DirectWrite {
        WRITTEN,
        PARTLY,
        NOT_TRIED
    }

    /**
     * Passes everything through, with three exceptions. Until the request head is complete it is held
     * back, and the bearer token in it is taken out and masked ({@link RequestHeadReader}), so the
     * library never holds (or logs) it. After {@link #reject} only the rejection is written. And on a
     * plain socket, writing the head of the connection's output queue writes the buffers queued behind
     * it too, in one gathering write: Java-WebSocket writes its queue one buffer per call, which would
     * cost a system call per frame. The send thread may also write a batch itself when nothing waits
     * ({@link #writeDirectly}).
     */
    static final class GuardedChannel implements WrappedByteChannel {
        /** Buffers gathered into one write; the kernel takes at most IOV_MAX (1024) anyway. */
        private static final int MAX_GATHER = 256;

        private final ByteChannel delegate;
        private final SocketChannel socket;
        /** The connection's output queue, or null: then every write is passed through alone. */
        private final BlockingQueue<ByteBuffer> outQueue;

        private ByteBuffer[] queued = new ByteBuffer[MAX_GATHER];
        private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
        private ByteBuffer rejection;
        /** The rest of a {@link #writeDirectly direct write} the socket did not take yet. */
        private volatile ByteBuffer unwritten;

        private final RequestHeadReader head = new RequestHeadReader();

        GuardedChannel(ByteChannel delegate, SocketChannel socket, BlockingQueue<ByteBuffer> outQueue) {
            this.delegate = delegate;
            this.socket = socket;
            // TLS wraps each buffer into records itself: only a plain socket gathers.
            this.outQueue = delegate == socket ? outQueue : null;
        }

        /** The token the client presented in its request head, or null. */
        String presentedToken() {
            return head.presentedToken();
        }

        synchronized void reject(byte[] response) {
            rejection = ByteBuffer.wrap(response);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return head.holding() ? head.read(delegate, dst, false) : delegate.read(dst);
        }

        @Override
        public int readMore(ByteBuffer dst) throws IOException {
            if (head.holding()) {
                return head.read(delegate, dst, true);
            }
            return delegate instanceof WrappedByteChannel w ? w.readMore(dst) : 0;
        }

        @Override
        public boolean isNeedRead() {
            return head.released() || (delegate instanceof WrappedByteChannel w && w.isNeedRead());
        }

        /**
         * Writes {@code batch} (whole frames) from the calling thread at once if nothing else waits to
         * be written on this connection, sparing the selector a write-interest update, a wake-up and
         * a second one to turn the interest off again. What the socket does not take is kept and
         * written before anything queued later.
         *
         * @return {@link DirectWrite#NOT_TRIED} if something waits (or on TLS): queue it instead
         */
        synchronized DirectWrite writeDirectly(ByteBuffer batch) throws IOException {
            if (outQueue == null || rejection != null || unwritten != null || !outQueue.isEmpty()) {
                return DirectWrite.NOT_TRIED;
            }
            socket.write(batch);
            if (!batch.hasRemaining()) {
                return DirectWrite.WRITTEN;
            }
            unwritten = batch;
            return DirectWrite.PARTLY;
        }

        /** Bytes of a direct write still wait for the socket: the selector must write them. */
        boolean hasUnwritten() {
            return unwritten != null;
        }

        /** Writes the rest of a direct write; false if some of it still waits. Caller holds the lock. */
        private boolean writeUnwritten() throws IOException {
            ByteBuffer rest = unwritten;
            if (rest != null) {
                socket.write(rest);
                if (rest.hasRemaining()) {
                    return false;
                }
                unwritten = null;
            }
            return true;
        }

        @Override
        public synchronized int write(ByteBuffer src) throws IOException {
            if (rejection == null) {
                if (!writeUnwritten()) {
                    return 0; // the selector keeps write interest: src stays at the queue's head
                }
                return outQueue == null ? delegate.write(src) : gatheringWrite(src);
            }
            if (rejection.hasRemaining()) {
                delegate.write(rejection);
            }
            // The library's own refusal (and anything after) is dropped: the client gets one answer.
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        /**
         * Writes {@code src} and, if it is the head of the output queue (Java-WebSocket writes the queue
         * head first, and removes a buffer once it has no bytes remaining), the buffers behind it in the
         * same system call. Those are then found empty and removed without another write. Order is the
         * queue's order; a partial write leaves the rest for the next call.
         */
        private int gatheringWrite(ByteBuffer src) throws IOException {
            if (!src.hasRemaining()) {
                return 0; // written by an earlier gathering write
            }
            queued = outQueue.toArray(queued); // one lock; null-terminated when shorter than the array
            int n = 0;
            int size = 0;
            while (size < queued.length && queued[size] != null) {
                size++;
            }
            if (size > 0 && queued[0] == src) {
                for (int i = 0; i < size && n < MAX_GATHER; i++) {
                    if (queued[i].hasRemaining()) {
                        gather[n++] = queued[i];
                    }
                }
            }
            Arrays.fill(queued, 0, size, null);
            if (n <= 1) {
                return socket.write(src);
            }
            int before = src.position();
            try {
                socket.write(gather, 0, n);
            } finally {
                Arrays.fill(gather, 0, n, null);
            }
            return src.position() - before;
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

        @Override
        public boolean isNeedWrite() {
            return unwritten != null || (delegate instanceof WrappedByteChannel w && w.isNeedWrite());
        }

        @Override
        public synchronized void writeMore() throws IOException {
            if (writeUnwritten() && delegate instanceof WrappedByteChannel w) {
                w.writeMore();
            }
        }

        @Override
        public boolean isBlocking() {
            return delegate instanceof WrappedByteChannel w ? w.isBlocking() : socket.isBlocking();
        }
    }
}

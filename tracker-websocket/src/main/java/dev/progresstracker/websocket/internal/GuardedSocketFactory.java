package dev.progresstracker.websocket.internal;

import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.WrappedByteChannel;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Role;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * Creates {@link GuardedSocket}s, delegating channel wrapping (plain or TLS) to another factory.
 */
final class GuardedSocketFactory implements WebSocketServerFactory {

    private final WebSocketServerFactory delegate;

    GuardedSocketFactory(WebSocketServerFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
        return new GuardedSocket(a, List.of(d));
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> drafts) {
        return new GuardedSocket(a, drafts);
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        return new GuardedChannel(delegate.wrapChannel(channel, key), channel);
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
        private volatile boolean rejected;

        GuardedSocket(WebSocketAdapter listener, List<Draft> drafts) {
            super(listener, drafts);
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

    /**
     * Passes everything through, with two exceptions. Until the request head is complete it is held
     * back, and the bearer token in it is taken out and masked ({@link RequestHeadRedactor}), so the
     * library never holds (or logs) it. After {@link #reject} only the rejection is written.
     */
    static final class GuardedChannel implements WrappedByteChannel {
        /** A longer request head is passed on unread; the library refuses it. */
        private static final int MAX_HEAD = 16 * 1024;
        private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

        private final ByteChannel delegate;
        private final SocketChannel socket;
        private ByteBuffer rejection;
        private byte[] head = new byte[1024];
        private int headLength;
        private ByteBuffer released;
        private volatile String presentedToken;

        GuardedChannel(ByteChannel delegate, SocketChannel socket) {
            this.delegate = delegate;
            this.socket = socket;
        }

        /** The token the client presented in its request head, or null. */
        String presentedToken() {
            return presentedToken;
        }

        synchronized void reject(byte[] response) {
            rejection = ByteBuffer.wrap(response);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return head == null && released == null ? delegate.read(dst) : readHead(dst, false);
        }

        @Override
        public int readMore(ByteBuffer dst) throws IOException {
            if (head != null || released != null) {
                return readHead(dst, true);
            }
            return delegate instanceof WrappedByteChannel w ? w.readMore(dst) : 0;
        }

        @Override
        public boolean isNeedRead() {
            return released != null || (delegate instanceof WrappedByteChannel w && w.isNeedRead());
        }

        private int readHead(ByteBuffer dst, boolean more) throws IOException {
            if (released == null) {
                ByteBuffer tmp = ByteBuffer.allocate(4096);
                int n = more && delegate instanceof WrappedByteChannel w ? w.readMore(tmp) : delegate.read(tmp);
                if (n < 0) {
                    return headLength == 0 ? -1 : release(dst, headLength);
                }
                if (headLength + n > head.length) {
                    head = java.util.Arrays.copyOf(head, Math.max(head.length * 2, headLength + n));
                }
                System.arraycopy(tmp.array(), 0, head, headLength, n);
                headLength += n;
                int end = indexOf(head, headLength, END_OF_HEAD);
                if (end < 0 && headLength < MAX_HEAD) {
                    return 0; // wait for the rest of the head
                }
                presentedToken = RequestHeadRedactor.redact(head, end < 0 ? headLength : end);
                return release(dst, headLength);
            }
            return drain(dst);
        }

        private int release(ByteBuffer dst, int length) {
            released = ByteBuffer.wrap(head, 0, length);
            head = null;
            return drain(dst);
        }

        private int drain(ByteBuffer dst) {
            int n = Math.min(dst.remaining(), released.remaining());
            ByteBuffer slice = released.slice();
            slice.limit(n);
            dst.put(slice);
            released.position(released.position() + n);
            if (!released.hasRemaining()) {
                released = null;
            }
            return n;
        }

        private static int indexOf(byte[] data, int length, byte[] pattern) {
            outer:
            for (int i = 0; i <= length - pattern.length; i++) {
                for (int j = 0; j < pattern.length; j++) {
                    if (data[i + j] != pattern[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        @Override
        public synchronized int write(ByteBuffer src) throws IOException {
            if (rejection == null) {
                return delegate.write(src);
            }
            if (rejection.hasRemaining()) {
                delegate.write(rejection);
            }
            // The library's own refusal (and anything after) is dropped: the client gets one answer.
            int n = src.remaining();
            src.position(src.limit());
            return n;
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
            return delegate instanceof WrappedByteChannel w && w.isNeedWrite();
        }

        @Override
        public void writeMore() throws IOException {
            if (delegate instanceof WrappedByteChannel w) {
                w.writeMore();
            }
        }

        @Override
        public boolean isBlocking() {
            return delegate instanceof WrappedByteChannel w ? w.isBlocking() : socket.isBlocking();
        }
    }
}

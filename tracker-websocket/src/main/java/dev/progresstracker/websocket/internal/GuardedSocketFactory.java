package dev.progresstracker.websocket.internal;

import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;

import java.io.IOException;
import java.nio.ByteBuffer;
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
    public java.nio.channels.ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        return delegate.wrapChannel(channel, key);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /**
     * A connection that can refuse its upgrade with a real HTTP status (401, 403, 503). Java-WebSocket
     * answers every refused handshake with "404"; this queues our response first and, when the library
     * then closes, withdraws its own so the client reads exactly one answer.
     */
    static final class GuardedSocket extends WebSocketImpl {
        private volatile ByteBuffer rejection;

        GuardedSocket(WebSocketAdapter listener, List<Draft> drafts) {
            super(listener, drafts);
        }

        void reject(byte[] httpResponse) {
            ByteBuffer r = ByteBuffer.wrap(httpResponse);
            rejection = r;
            outQueue.add(r);
        }

        @Override
        public synchronized void flushAndClose(int code, String message, boolean remote) {
            ByteBuffer r = rejection;
            if (r != null) {
                outQueue.removeIf(b -> b != r);
            }
            super.flushAndClose(code, message, remote);
        }
    }
}

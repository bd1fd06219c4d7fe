package dev.progresstracker.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.Arrays;
import org.java_websocket.WrappedByteChannel;

/**
 * The request head of one connection, held back by its {@link GuardedSocketFactory.GuardedChannel}
 * until it is complete: the bearer token in it is taken out and masked ({@link RequestHeadRedactor})
 * before the library reads it, so the library never holds (or logs) it. Used on the connection's
 * selector thread only; {@link #presentedToken()} may be read from any thread.
 */
final class RequestHeadReader {

    /** A longer request head is passed on unread; the library refuses it. */
    private static final int MAX_HEAD = 16 * 1024;

    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    private byte[] head = new byte[1024];
    private int headLength;
    private ByteBuffer released;
    private volatile String presentedToken;

    /** The token the client presented in its request head, or null. */
    String presentedToken() {
        return presentedToken;
    }

    /** True until the head was read and handed on in full: reads go through {@link #read}. */
    boolean holding() {
        return head != null || released != null;
    }

    /** Part of the (masked) head is waiting to be handed on. */
    boolean released() {
        return released != null;
    }

    /**
     * Reads through {@code delegate} while the head is held: nothing until the head is complete (or
     * too long, or the stream ends), then the head with its token masked, in pieces as {@code dst} has room.
     */
    int read(ByteChannel delegate, ByteBuffer dst, boolean more) throws IOException {
        if (released == null) {
            ByteBuffer tmp = ByteBuffer.allocate(4096);
            int n = more && delegate instanceof WrappedByteChannel w ? w.readMore(tmp) : delegate.read(tmp);
            if (n < 0) {
                return headLength == 0 ? -1 : release(dst, headLength);
            }
            if (headLength + n > head.length) {
                head = Arrays.copyOf(head, Math.max(head.length * 2, headLength + n));
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
}

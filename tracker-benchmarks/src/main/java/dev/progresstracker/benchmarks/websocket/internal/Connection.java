package dev.progresstracker.benchmarks.websocket.internal;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One client connection of a {@link LightClient}. Its state is changed only by the selector thread
 * that owns it; the counters are volatile so another thread may read them while it runs. The
 * methods that act ({@link #send}, {@link #stall}, {@link #close}) hand the work to that thread.
 */
public final class Connection {

    /** Where the connection is in its life. */
    public enum State {
        CONNECTING,
        HANDSHAKE,
        OPEN,
        CLOSING,
        CLOSED
    }

    private final int id;
    final SelectorWorker worker;
    final SocketChannel channel;
    final Handshake handshake;
    final String firstMessage;
    SelectionKey key;
    ByteBuffer in;
    final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    boolean closeSent;
    boolean stalled;

    private volatile State state = State.CONNECTING;
    private volatile long events;
    private volatile long otherMessages;
    private volatile long lastSequence;
    private volatile long skipped;
    private volatile long outOfOrder;
    private volatile long pings;
    private volatile int closeCode;
    private volatile String closeReason = "";
    private volatile Throwable error;

    Connection(
            int id,
            SelectorWorker worker,
            SocketChannel channel,
            Handshake handshake,
            String firstMessage,
            int bufferBytes) {
        this.id = id;
        this.worker = worker;
        this.channel = channel;
        this.handshake = handshake;
        this.firstMessage = firstMessage;
        this.in = ByteBuffer.allocate(bufferBytes);
    }

    public int id() {
        return id;
    }

    public State state() {
        return state;
    }

    void state(State s) {
        state = s;
    }

    /** Event messages received. */
    public long events() {
        return events;
    }

    /** Text messages other than events (hello, snapshot, pong…). */
    public long otherMessages() {
        return otherMessages;
    }

    /** Sequence of the last event received; 0 before the first. */
    public long lastSequence() {
        return lastSequence;
    }

    /** Sequence numbers passed over between received events: the server conflated them (or lost them). */
    public long skipped() {
        return skipped;
    }

    /** Events whose sequence was not above the previous one: must stay 0 (the server guarantees order). */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** Pings received (each answered with a pong). */
    public long pings() {
        return pings;
    }

    /** The server's close code; 1006 if the connection ended without one; 0 while not closed. */
    public int closeCode() {
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }

    /** Why the client gave up on the connection (handshake, protocol, I/O), or null. */
    public Throwable error() {
        return error;
    }

    // ------------------------------------------------------------------ selector thread

    void countEvent(long sequence) {
        long last = lastSequence;
        if (sequence <= last) {
            outOfOrder++;
            return;
        }
        if (last > 0) {
            skipped += sequence - last - 1;
        }
        lastSequence = sequence;
        events++;
    }

    void countOther() {
        otherMessages++;
    }

    void countPing() {
        pings++;
    }

    /** Records how the connection ended, once. */
    boolean ended(int code, String reason, Throwable cause) {
        if (closeCode != 0) {
            return false;
        }
        closeReason = reason;
        error = cause;
        closeCode = code;
        return true;
    }

    // ------------------------------------------------------------------ any thread

    /** Sends {@code text} as one masked text frame. */
    public void send(String text) {
        byte[] frame = Frames.text(text);
        worker.execute(() -> worker.write(this, frame));
    }

    /**
     * Stops reading from the socket for good: the server sees a peer whose receive window fills up
     * and stays full (a stuck browser tab). Pings are no longer answered either.
     */
    public void stall() {
        worker.execute(() -> worker.stall(this));
    }

    /** Starts the closing handshake (1000); the connection ends when the server answers or drops it. */
    public void close() {
        worker.execute(() -> worker.startClose(this, 1000, "client closing"));
    }

    /** Drops the TCP connection without a closing handshake (a killed browser tab). */
    public void abort() {
        worker.execute(() -> worker.abort(this));
    }

    @Override
    public String toString() {
        return "connection#" + id + "(" + state + ")";
    }
}

package dev.progresstracker.benchmarks.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread of a {@link LightClient} and the connections it owns: connects, reads frames in
 * place, answers pings, writes what the connections queue, and ends them.
 */
final class SelectorWorker implements Runnable {
    private final LightClient client;
    final Selector selector;
    final Thread thread;
    volatile boolean running = true;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Frames.Header header = new Frames.Header();
    private final EventScanner scanner = new EventScanner();
    /**
     * Reads land here first, then in the connection's heap buffer (which the scanner reads in
     * place): reading into a heap buffer makes the JDK look up a thread-local temporary direct
     * buffer per read, which took a tenth of these threads' CPU.
     */
    private final ByteBuffer direct = ByteBuffer.allocateDirect(256 * 1024);

    SelectorWorker(Selector selector, String name, LightClient client) {
        this.client = client;
        this.selector = selector;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                int ready = selector.select(500);
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    handle(k);
                }
                long pause = client.coalesceNanos;
                if (pause > 0 && ready > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(pause);
                }
            }
        } catch (IOException e) {
            running = false;
        } finally {
            for (SelectionKey k : selector.keys()) {
                Object c = k.attachment();
                if (c instanceof Connection) {
                    end((Connection) c, 1006, "client stopped", null);
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    void register(Connection c) {
        try {
            c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
            if (c.channel.isConnectionPending() && c.channel.finishConnect() || c.channel.isConnected()) {
                connected(c);
            }
        } catch (IOException e) {
            end(c, 1006, "connect failed", e);
        }
    }

    private void handle(SelectionKey k) {
        Connection c = (Connection) k.attachment();
        try {
            if (!k.isValid()) {
                return;
            }
            if (k.isConnectable() && c.channel.finishConnect()) {
                connected(c);
            }
            if (k.isValid() && k.isWritable()) {
                flush(c);
            }
            if (k.isValid() && k.isReadable()) {
                read(c);
            }
        } catch (IOException e) {
            end(c, 1006, "I/O error", e);
        } catch (RuntimeException e) {
            end(c, 1006, "client failure: " + e, e); // a listener bug ends this connection, not the thread
        }
    }

    private void connected(Connection c) throws IOException {
        c.state(Connection.State.HANDSHAKE);
        c.key.interestOps(SelectionKey.OP_READ);
        write(c, c.handshake.request());
    }

    private void read(Connection c) throws IOException {
        while (true) {
            direct.clear().limit(Math.min(direct.capacity(), c.in.remaining()));
            int n = c.channel.read(direct);
            if (n < 0) {
                end(c, c.closeSent ? 1000 : 1006, "server closed the TCP connection", null);
                return;
            }
            if (n == 0) {
                return;
            }
            c.in.put(direct.flip());
            boolean full = !c.in.hasRemaining();
            c.in.flip();
            int need = process(c, LightClient.nowMicros());
            if (c.state() == Connection.State.CLOSED) {
                return;
            }
            c.in.compact();
            if (need > c.in.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, 2 * c.in.capacity()));
                c.in.flip();
                bigger.put(c.in);
                c.in = bigger;
            } else if (!full) {
                return; // the socket had no more than we read: wait for the selector
            }
            if (c.stalled) {
                return;
            }
        }
    }

    /** Handles every complete frame in {@code c.in}; returns the bytes the next incomplete one needs. */
    private int process(Connection c, long receivedMicros) {
        ByteBuffer in = c.in;
        try {
            if (c.state() == Connection.State.HANDSHAKE) {
                if (!c.handshake.complete(in)) {
                    return in.remaining() + 1;
                }
                c.state(Connection.State.OPEN);
                if (c.firstMessage != null) {
                    write(c, Frames.text(c.firstMessage));
                }
                client.listener.onOpen(c);
            }
            while (c.state() == Connection.State.OPEN || c.state() == Connection.State.CLOSING) {
                int need = Frames.next(in, client.maxPayload, header);
                if (need > 0) {
                    return need;
                }
                onFrame(c, in.array(), header.payloadStart(), header.payloadLength(), receivedMicros);
            }
        } catch (Handshake.HandshakeException e) {
            end(c, 1006, "handshake failed: " + e.getMessage(), e);
        } catch (Frames.ProtocolException e) {
            startClose(c, e.getMessage().startsWith("frame of") ? 1009 : 1002, "protocol error");
            end(c, 1002, "protocol error: " + e.getMessage(), e);
        } catch (IOException e) {
            end(c, 1006, "I/O error", e);
        }
        return 0;
    }

    private void onFrame(Connection c, byte[] a, int off, int len, long receivedMicros) throws IOException {
        switch (header.opcode()) {
            case Frames.OP_TEXT -> {
                int kind = scanner.scan(a, off, len);
                if (kind == EventScanner.EVENT) {
                    c.countEvent(scanner.sequence());
                    client.listener.onEvent(c, scanner.sequence(), scanner.timeMicros(), receivedMicros);
                } else {
                    c.countOther();
                }
                client.listener.onText(c, a, off, len, kind);
            }
            case Frames.OP_PING -> {
                c.countPing();
                write(c, Frames.pong(a, off, len));
            }
            case Frames.OP_CLOSE -> {
                int code = Frames.closeCode(a, off, len);
                String reason = Frames.closeReason(a, off, len);
                c.ended(code, reason, null);
                if (!c.closeSent) {
                    // Echo the code (RFC 6455 §5.5.1); the server then closes the TCP connection.
                    startClose(c, code == 1005 ? 1000 : code, "");
                }
                c.state(Connection.State.CLOSING);
            }
            default -> {
                // pong, binary: nothing to do for a progress watcher
            }
        }
    }

    void write(Connection c, byte[] bytes) {
        if (c.state() == Connection.State.CLOSED) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            if (c.out.isEmpty()) {
                c.channel.write(b);
            }
            if (b.hasRemaining()) {
                c.out.add(b);
                c.key.interestOps(c.key.interestOps() | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            end(c, 1006, "I/O error", e);
        }
    }

    private void flush(Connection c) throws IOException {
        ByteBuffer b;
        while ((b = c.out.peek()) != null) {
            c.channel.write(b);
            if (b.hasRemaining()) {
                return;
            }
            c.out.poll();
        }
        c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_WRITE);
    }

    void stall(Connection c) {
        c.stalled = true;
        if (c.key != null && c.key.isValid()) {
            c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    void startClose(Connection c, int code, String reason) {
        if (c.closeSent || c.state() == Connection.State.CLOSED) {
            return;
        }
        c.closeSent = true;
        write(c, Frames.close(code, reason));
        if (c.state() != Connection.State.CLOSED) {
            c.state(Connection.State.CLOSING);
        }
    }

    void abort(Connection c) {
        end(c, 1006, "aborted by the client", null);
    }

    private void end(Connection c, int code, String reason, Throwable error) {
        if (c.state() == Connection.State.CLOSED) {
            return;
        }
        c.state(Connection.State.CLOSED);
        c.ended(code, reason, error);
        if (c.key != null) {
            c.key.cancel();
        }
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // already gone
        }
        client.listener.onClosed(c, c.closeCode(), c.closeReason(), c.error());
    }
}

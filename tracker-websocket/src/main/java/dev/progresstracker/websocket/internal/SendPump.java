package dev.progresstracker.websocket.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that moves queued messages of every client to Java-WebSocket's per-connection
 * output queue, at most {@value #MAX_IN_FLIGHT} buffers of about {@value #MAX_BATCH_BYTES} bytes
 * each per connection. What does not fit stays in the client's own bounded buffer, where progress
 * events are conflated and a client that falls too far behind is closed. Batching several frames
 * into one buffer saves a socket write per frame for a client that is momentarily behind.
 */
final class SendPump implements Runnable {

    static final int MAX_IN_FLIGHT = 4;
    static final int MAX_BATCH_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(SendPump.class);

    private final LinkedBlockingQueue<ClientSession> ready = new LinkedBlockingQueue<>();
    private final List<ClientSession> backlog = new ArrayList<>();
    private final ServerMetrics metrics;
    private final Thread thread;
    private volatile boolean running = true;

    SendPump(String name, ServerMetrics metrics) {
        this.metrics = metrics;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for {@code s}'s queue to be written soon; cheap and non-blocking. */
    void schedule(ClientSession s) {
        if (s.scheduled.compareAndSet(false, true)) {
            ready.add(s);
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                ClientSession s = ready.poll(backlog.isEmpty() ? 100 : 1, TimeUnit.MILLISECONDS);
                while (s != null) {
                    flush(s);
                    s = ready.poll();
                }
                if (!backlog.isEmpty()) {
                    List<ClientSession> retry = new ArrayList<>(backlog);
                    backlog.clear();
                    for (ClientSession b : retry) {
                        b.backlogged.set(false);
                        flush(b);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("send pump: {}", e.toString(), e);
            }
        }
    }

    private void flush(ClientSession s) {
        s.scheduled.set(false);
        if (s.isClosed() || !s.conn.isOpen()) {
            return;
        }
        int handed = 0;
        while (s.conn.outQueue.size() < MAX_IN_FLIGHT) {
            ClientSession.Batch b = s.nextBatch(MAX_BATCH_BYTES);
            if (b == null) {
                break;
            }
            s.conn.outQueue.add(b.buffer());
            metrics.messagesOut.add(b.frames());
            handed++;
        }
        // Java-WebSocket's selector can clear the write interest just after we queued a buffer (it
        // drained the queue, then resets interest to read-only), which strands that buffer until the
        // next write. So demand a write again while anything waits, and keep the client in the
        // backlog until its socket queue is empty.
        boolean waiting = !s.conn.outQueue.isEmpty();
        if (handed > 0 || waiting) {
            try {
                s.server.onWriteDemand(s.conn);
            } catch (RuntimeException e) {
                LOG.debug("{}: write demand failed: {}", s, e.toString());
            }
        }
        if ((s.hasQueued() || waiting) && s.backlogged.compareAndSet(false, true)) {
            backlog.add(s);
        }
    }

    void stop() {
        running = false;
        thread.interrupt();
    }
}

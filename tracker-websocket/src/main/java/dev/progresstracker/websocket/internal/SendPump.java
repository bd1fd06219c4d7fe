package dev.progresstracker.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that moves queued messages of every client towards its socket. A live reader's
 * frames of a round are written by this thread itself, one system call per client, when nothing else
 * waits on that connection ({@link GuardedSocketFactory.GuardedChannel#writeDirectly}); otherwise,
 * and for a client's own buffer, frames go to Java-WebSocket's per-connection output queue (at most
 * {@value #MAX_IN_FLIGHT}), which its selector writes. What does not fit stays in the client's own
 * bounded buffer, where progress events are conflated and a client that falls too far behind is
 * closed. Frames are views of the shared encoded bytes (no copy); the channel writes all queued
 * frames with one gathering write, so a client that is momentarily behind costs one system call per
 * wake-up, not one per frame.
 *
 * <p>Rounds (one pass over what is ready when the round starts) start at most every 5 ms, or
 * {@value #ROUND_COST_PER_WRITE_MICROS} µs per client written to in the previous round if that is
 * longer (at most {@value #MAX_ROUND_INTERVAL_MILLIS} ms): under a steady stream, the events of
 * those milliseconds reach each client in one write and one read instead of one each. Each write and
 * read costs tens of microseconds in the kernel whatever its size, so with many clients the
 * number of rounds, not of events, is what fills the CPU; spacing the rounds with the client count
 * keeps that cost bounded (1,000 clients: a round per 40 ms). A first event after a quiet spell
 * goes out at once. Clients whose socket was full are retried every few milliseconds between rounds,
 * without disturbing the others' rounds.
 *
 * <p>Two kinds of work come in: a client whose own buffer has something (new, resuming or slow
 * clients, control messages), and a run whose live readers have new events in its {@link LiveLog}
 * ({@link LiveReaders#handLive}). A client whose buffer this thread empties is offered live reading
 * ({@link Broker#tryGoLive}).
 */
final class SendPump implements Runnable {

    /**
     * Frames per connection in Java-WebSocket's queue: up to 12,800 frames/s per client at one round
     * per 5 ms, far above any progress stream; fewer keeps more of a slow client's backlog where it
     * can still be conflated.
     */
    static final int MAX_IN_FLIGHT = 64;
    /**
     * Bytes per connection in Java-WebSocket's queue before a client's own buffer stops moving there
     * (one larger frame, such as a big snapshot, still goes alone): what waits for a client that does
     * not read stays countable and droppable in its own buffer.
     */
    static final long MAX_IN_FLIGHT_BYTES = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SendPump.class);

    /**
     * Shortest time between the starts of two rounds that send frames. With 100 clients at 1,000
     * events/s it about halved the write system calls per delivered event (load driver,
     * docs/performance.md); the cost is at most this much added delay while events keep coming.
     */
    static final long MIN_ROUND_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /**
     * Round spacing per client written to: a loopback write and its read cost ≈ 45 µs of CPU together
     * on the 2-core VM of docs/performance.md (≈ 17 µs writing from this thread, the rest reading);
     * at this spacing they take about half the CPU.
     */
    static final long ROUND_COST_PER_WRITE_MICROS = 40;

    static final long MAX_ROUND_INTERVAL_MILLIS = 50;
    private static final long BACKLOG_RETRY_MILLIS = 5;

    /** {@link ClientSession}s and {@link RunChannel}s with something to send. */
    private final LinkedBlockingQueue<Object> ready = new LinkedBlockingQueue<>();

    private final List<Object> backlog = new ArrayList<>();
    private final List<Object> round = new ArrayList<>();
    private final List<ClientSession> handedTo = new ArrayList<>();
    private final List<ByteBuffer> batches = new ArrayList<>();
    private final ServerMetrics metrics;
    private final Broker broker;
    private final Thread thread;
    private volatile boolean running = true;
    private long lastRound = System.nanoTime() - MIN_ROUND_INTERVAL_NANOS;
    private long roundInterval = MIN_ROUND_INTERVAL_NANOS;
    /** Clients handed frames in the current round. */
    private int writes;

    SendPump(String name, ServerMetrics metrics, Broker broker) {
        this.metrics = metrics;
        this.broker = broker;
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

    /** Asks for {@code ch}'s live readers to be handed its new events soon; cheap and non-blocking. */
    void schedule(RunChannel ch) {
        if (!ch.scheduled.get() && ch.scheduled.compareAndSet(false, true)) {
            ready.add(ch);
        }
    }

    /**
     * Watches {@code s}'s socket queue until what Java-WebSocket itself queued there (a close, ping
     * or pong frame) is written, even after the connection stopped being open; cheap and non-blocking.
     */
    void watchSocket(ClientSession s) {
        ready.add(new SocketWatch(s));
    }

    private record SocketWatch(ClientSession session) {}

    @Override
    public void run() {
        while (running) {
            try {
                Object s = ready.poll(backlog.isEmpty() ? 100 : BACKLOG_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                if (s == null && backlog.isEmpty()) {
                    continue;
                }
                long sinceLast = System.nanoTime() - lastRound;
                if (s != null && sinceLast < roundInterval) {
                    // Too soon after the last round that sent something: let more events gather, so
                    // each client gets them in one write.
                    TimeUnit.NANOSECONDS.sleep(roundInterval - sinceLast);
                }
                // Taken before the round: what the round itself puts in the backlog is retried later.
                List<Object> retry = backlog.isEmpty() ? List.of() : new ArrayList<>(backlog);
                backlog.clear();
                long start = System.nanoTime();
                int handed = 0;
                writes = 0;
                if (s != null) {
                    // Only what is ready now: what becomes ready while this round writes waits for the next.
                    round.add(s);
                    ready.drainTo(round);
                    try {
                        for (Object o : round) {
                            handed += flush(o);
                        }
                    } finally {
                        round.clear();
                    }
                }
                if (s != null && handed > 0) {
                    lastRound = start; // retries alone do not delay the next round
                    roundInterval = roundInterval(writes);
                }
                for (Object b : retry) {
                    if (b instanceof RunChannel ch) {
                        ch.backlogged.set(false);
                        flushLive(ch, true);
                    } else {
                        ClientSession c = (ClientSession) b;
                        c.backlogged.set(false);
                        if (c.hasQueued()) {
                            flush(c);
                        } else {
                            // Only its socket queue waits: a cheap, lock-free look.
                            if (c.conn.isOpen()) {
                                offerLive(c, c.conn.outQueue.size());
                            }
                            demandWrite(c);
                        }
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

    private int flush(Object o) {
        if (o instanceof SocketWatch w) {
            demandWrite(w.session());
            return 0;
        }
        return o instanceof RunChannel ch ? flushLive(ch, false) : flush((ClientSession) o);
    }

    /** {@link Broker#handLive} and the writes; {@code waitingOnly}: a retry for readers that waited for room. */
    private int flushLive(RunChannel ch, boolean waitingOnly) {
        if (!waitingOnly) {
            ch.scheduled.set(false);
        }
        int handed;
        try {
            handed = broker.handLive(ch, handedTo, batches, waitingOnly);
            writes += handedTo.size();
            for (int i = 0; i < handedTo.size(); i++) {
                write(handedTo.get(i), batches.get(i));
            }
        } finally {
            handedTo.clear();
            batches.clear();
        }
        if (ch.livePending && ch.backlogged.compareAndSet(false, true)) {
            backlog.add(ch);
        }
        return handed;
    }

    /**
     * Writes {@code batch} to {@code s}'s socket from this thread if nothing else waits there (one
     * system call, no selector round trip), else queues it for the selector.
     */
    private void write(ClientSession s, ByteBuffer batch) {
        GuardedSocketFactory.DirectWrite done = GuardedSocketFactory.DirectWrite.NOT_TRIED;
        if (s.conn.getChannel() instanceof GuardedSocketFactory.GuardedChannel channel) {
            try {
                done = channel.writeDirectly(batch);
            } catch (IOException | RuntimeException e) {
                // Queued instead: the selector's own write meets the failure and closes the connection.
                // Never thrown on: the rest of the round's clients must still get their batches.
                LOG.debug("{}: direct write failed: {}", s, e.toString());
            }
        }
        if (done == GuardedSocketFactory.DirectWrite.NOT_TRIED) {
            s.conn.outQueue.add(batch);
        }
        if (done != GuardedSocketFactory.DirectWrite.WRITTEN) {
            demandWrite(s);
        }
    }

    /** Hands {@code s}'s queued frames to its socket queue, as many as fit; returns how many. */
    private int flush(ClientSession s) {
        s.scheduled.set(false);
        if (s.isClosed() || !s.conn.isOpen()) {
            return 0;
        }
        int inFlight = s.conn.outQueue.size();
        int room = MAX_IN_FLIGHT - inFlight;
        long byteRoom = inFlight == 0 ? MAX_IN_FLIGHT_BYTES : MAX_IN_FLIGHT_BYTES - s.bytesInFlight();
        // A frame over the byte budget (a large snapshot) moves only onto an empty socket queue: what a
        // client that reads nothing holds stays within one frame there and its own buffer.
        int handed = room > 0 && byteRoom > 0 ? s.drainTo(s.conn.outQueue, room, byteRoom, inFlight == 0) : 0;
        metrics.messagesOut.add(handed);
        if (handed > 0) {
            writes++;
        }
        if (!s.hasQueued()) {
            offerLive(s, inFlight + handed);
        }
        demandWrite(s);
        return handed;
    }

    /**
     * Lets {@code s} (its own buffer empty) read its runs from the live log, if some run is not read
     * live yet and its socket queue has room ({@code inFlight} buffers waiting).
     */
    private void offerLive(ClientSession s, int inFlight) {
        if (s.notAllLive && inFlight < LiveReaders.LIVE_MAX_IN_FLIGHT) {
            broker.tryGoLive(s);
        }
    }

    /**
     * Makes sure the selector writes what waits in {@code s}'s socket queue (or the rest of a direct
     * write). Java-WebSocket's selector
     * turns write interest off once it has drained the queue, and can do so just after a buffer was
     * queued (it saw the queue empty a moment before), stranding that buffer. So write interest is
     * asked for whenever something waits and the interest is off, and a client stays in the backlog,
     * checked every few milliseconds, until its socket queue is empty. Asking only when the interest
     * is off spares the selector an interest update and a wake-up per client and round while it is
     * still writing.
     */
    private void demandWrite(ClientSession s) {
        boolean waiting = s.socketBusy();
        if (waiting && !writeInterest(s)) {
            try {
                s.server.onWriteDemand(s.conn);
            } catch (RuntimeException e) {
                LOG.debug("{}: write demand failed: {}", s, e.toString());
            }
        }
        // While the socket is open, not only while the connection is: a close frame waits on a closing one.
        if ((waiting || s.hasQueued()) && socketOpen(s) && s.backlogged.compareAndSet(false, true)) {
            backlog.add(s);
        }
    }

    private static boolean socketOpen(ClientSession s) {
        var channel = s.conn.getChannel();
        return channel != null && channel.isOpen();
    }

    private static boolean writeInterest(ClientSession s) {
        SelectionKey key = s.conn.getSelectionKey();
        try {
            return key != null && (key.interestOps() & SelectionKey.OP_WRITE) != 0;
        } catch (CancelledKeyException e) {
            return true; // closed: nothing to demand
        }
    }

    static long roundInterval(int writes) {
        long nanos = TimeUnit.MICROSECONDS.toNanos(ROUND_COST_PER_WRITE_MICROS * writes);
        return Math.max(
                MIN_ROUND_INTERVAL_NANOS, Math.min(TimeUnit.MILLISECONDS.toNanos(MAX_ROUND_INTERVAL_MILLIS), nanos));
    }

    void stop() {
        running = false;
        thread.interrupt();
    }
}

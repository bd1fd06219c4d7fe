package dev.progresstracker.websocket.internal;

import dev.progresstracker.core.event.EventType;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.server.WebSocketServer;

/**
 * One connected client: what it subscribed to, how far each run was sent, and its bounded
 * {@link SendBuffer}. Producers (the sink thread, decoder threads) only append to the buffer; the
 * {@link SendPump} moves it to the socket. Nothing here ever blocks on the network.
 *
 * <p>The connection is its client's delivery path: each event leaves the buffer with its
 * {@link dev.progresstracker.core.event.Delivery} on it (the previous event of its run this client was sent, the progress events of
 * its task conflation replaced). The shared frame already says so when nothing was skipped for this
 * client alone; otherwise the event is encoded afresh for it.
 *
 * <p>Thread-safe: every mutable field is guarded by {@code this}. Lock order: a {@link RunChannel}
 * before a session, never the reverse.
 */
public final class ClientSession {

    /** What {@link #offer} did. */
    enum Offer {
        QUEUED,
        SKIPPED,
        OVERFLOW
    }

    /**
     * Per-run progress of this client: the last sequence queued; while resuming, live events held
     * back, and once the history is known, what of it is still to be queued ({@link #replay}). While
     * {@code live}, the run's {@link RunChannel.LiveReader} tracks what was sent instead.
     */
    static final class Cursor {
        long lastSent;
        ArrayDeque<Outbound> held;
        Iterator<Outbound> replay;
        /** Taken from {@link #replay} or {@link #held} but not queued yet: it did not fit. */
        Outbound next;

        boolean live;

        Cursor(long lastSent) {
            this.lastSent = lastSent;
        }
    }

    final long id;
    final WebSocketImpl conn;
    final WebSocketServer server;
    final boolean authenticated;
    private final int maxMessages;
    final AtomicBoolean scheduled = new AtomicBoolean();
    final AtomicBoolean backlogged = new AtomicBoolean();
    final AtomicBoolean closing = new AtomicBoolean();
    private volatile long lastActivityNanos = System.nanoTime();

    private final SendBuffer buffer;
    private final Map<String, Cursor> cursors = new HashMap<>();
    private final java.util.Set<String> explicitRuns = new java.util.HashSet<>();
    private boolean all;
    /**
     * While a {@code "*"} subscribe is being set up: the runs whose live events met this client before
     * it followed them (followed when the set-up ends); null otherwise.
     */
    private Set<String> metWhileSubscribing;

    private final PacedReplays replays = new PacedReplays();

    private ListedRuns listed = ListedRuns.NONE;
    /**
     * Some run followed by name is not read live (yet). Written under the lock; volatile so that
     * the send thread can look without taking it.
     */
    volatile boolean notAllLive;

    private boolean closed;
    private String overflowReason;

    ClientSession(
            long id,
            WebSocket conn,
            WebSocketServer server,
            boolean authenticated,
            int maxBytes,
            int maxMessages,
            ServerMetrics metrics) {
        this.id = id;
        this.conn = (WebSocketImpl) conn;
        this.server = server;
        this.authenticated = authenticated;
        this.maxMessages = maxMessages;
        this.buffer = new SendBuffer(maxBytes, maxMessages, metrics);
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - lastActivityNanos;
    }

    // ------------------------------------------------------------------ subscriptions

    synchronized boolean subscribedToAll() {
        return all;
    }

    /** Follows every run; false stops that, keeping the runs subscribed by name. */
    synchronized void subscribeAll(boolean on) {
        all = on;
        if (!on) {
            for (Iterator<String> it = cursors.keySet().iterator(); it.hasNext(); ) {
                String runId = it.next();
                if (!explicitRuns.contains(runId)) {
                    it.remove();
                    dropQueued(runId);
                }
            }
        }
    }

    /**
     * Starts following every run, holding back what the live path would do for a run not followed
     * yet: the subscribe about to follow each known run (with its resume point) decides, and
     * {@link #endSubscribeAll} names the runs met meanwhile that it did not know.
     */
    synchronized void beginSubscribeAll() {
        all = true;
        metWhileSubscribing = new LinkedHashSet<>();
    }

    /** Ends {@link #beginSubscribeAll}: the runs met live meanwhile (some may be followed by now). */
    synchronized Set<String> endSubscribeAll() {
        Set<String> met = metWhileSubscribing;
        metWhileSubscribing = null;
        return met == null ? Set.of() : met;
    }

    /** The runs of the latest {@code summary} sent to this client; {@link ListedRuns#NONE} before one. */
    synchronized ListedRuns listedRuns() {
        return listed;
    }

    /** Remembers the runs of the {@code summary} about to be sent; replaces those of an earlier one. */
    synchronized void listed(ListedRuns runs) {
        listed = runs;
    }

    synchronized Cursor cursor(String runId) {
        return cursors.get(runId);
    }

    /** Runs subscribed by name, plus one for {@code "*"}. */
    synchronized int subscriptionCount() {
        return explicitRuns.size() + (all ? 1 : 0);
    }

    synchronized boolean isExplicit(String runId) {
        return explicitRuns.contains(runId);
    }

    synchronized void addExplicit(String runId) {
        explicitRuns.add(runId);
        notAllLive = true;
    }

    /**
     * The cursor of a run this client starts to follow, or null if it already follows it (by name or
     * through {@code "*"}) and so has its state already.
     */
    synchronized Cursor addCursor(String runId, long lastSent) {
        if (cursors.containsKey(runId)) {
            return null;
        }
        Cursor c = new Cursor(lastSent);
        cursors.put(runId, c);
        return c;
    }

    /** Stops following {@code runId} by name; true if it was. */
    synchronized boolean removeExplicit(String runId) {
        boolean was = explicitRuns.remove(runId);
        if (was && !all) {
            cursors.remove(runId);
            dropQueued(runId);
        }
        return was;
    }

    /**
     * Drops what is still queued of a run this client no longer follows: it asked not to have it,
     * and so a client that subscribes and unsubscribes without reading holds at most one unsent
     * snapshot per run it follows.
     */
    private void dropQueued(String runId) {
        buffer.dropRun(runId);
        refill();
    }

    synchronized List<String> explicitRunIds() {
        return new ArrayList<>(explicitRuns);
    }

    /** Runs followed by name that could read live: not live yet, not resuming; empty if the buffer is not. */
    synchronized List<String> liveCandidates() {
        if (closed || buffer.hasQueued()) {
            return List.of();
        }
        List<String> out = null;
        boolean anyNotLive = false;
        for (String runId : explicitRuns) {
            Cursor c = cursors.get(runId);
            anyNotLive |= c == null || !c.live;
            if (c != null && !c.live && c.held == null) {
                if (out == null) {
                    out = new ArrayList<>(1);
                }
                out.add(runId);
            }
        }
        notAllLive = anyNotLive;
        return out == null ? List.of() : out;
    }

    // ------------------------------------------------------------------ outbound

    /**
     * Offers a live event of {@code runId}. {@code snapshot} is asked for (at most once per call) when
     * this client follows every run and meets this run in the middle: it gets the state, not a
     * fragment. Caller holds the run's channel lock, so events arrive in sequence order.
     */
    synchronized Offer offer(String runId, Outbound event, Supplier<Outbound> snapshot) {
        if (closed) {
            return Offer.SKIPPED;
        }
        Cursor c = cursors.get(runId);
        if (c == null) {
            if (!all) {
                return Offer.SKIPPED;
            }
            if (event.sequence() == 1) {
                c = new Cursor(0);
                cursors.put(runId, c);
            } else if (metWhileSubscribing != null) {
                // The subscribe being set up follows this run after this event, with the event in its
                // snapshot or history: a snapshot now would pre-empt the history the client asked for.
                metWhileSubscribing.add(runId);
                return Offer.SKIPPED;
            } else {
                Outbound snap = snapshot.get();
                cursors.put(runId, new Cursor(snap.sequence()));
                return enqueue(snap);
            }
        }
        if (c.held != null) {
            if (c.held.size() >= maxMessages) {
                return overflow("more than " + maxMessages + " events arrived while resuming");
            }
            c.held.add(event);
            return Offer.QUEUED;
        }
        if (event.sequence() <= c.lastSent) {
            return Offer.SKIPPED;
        }
        c.lastSent = event.sequence();
        return enqueue(event);
    }

    /** {@link #offer(String, Outbound, Supplier)} for a client that follows the run by name. */
    Offer offer(String runId, Outbound event) {
        return offer(runId, event, () -> {
            throw new IllegalStateException("no snapshot expected");
        });
    }

    /** Queues a message that is not subject to per-run ordering (hello, pong, error, summary, replay). */
    synchronized Offer send(Outbound msg) {
        if (closed) {
            return Offer.SKIPPED;
        }
        return enqueue(msg);
    }

    private Offer enqueue(Outbound msg) {
        String overflow = buffer.add(msg);
        return overflow == null ? Offer.QUEUED : overflow(overflow);
    }

    private Offer overflow(String reason) {
        overflowReason = reason;
        closeQuietly();
        return Offer.OVERFLOW;
    }

    /**
     * Moves up to {@code max} queued frames, oldest first, to {@code out} (the connection's socket
     * queue) and returns how many. Each is a read-only view of the shared frame: nothing is copied
     * here; the socket channel writes several of them with one gathering write.
     */
    synchronized int drainTo(Collection<ByteBuffer> out, int max) {
        return drainTo(out, max, Long.MAX_VALUE);
    }

    /**
     * {@link #drainTo(Collection, int)}, also stopping before a frame would take the bytes moved past
     * {@code maxBytes}; the first frame always moves (a frame larger than the budget goes alone).
     */
    synchronized int drainTo(Collection<ByteBuffer> out, int max, long maxBytes) {
        return drainTo(out, max, maxBytes, true);
    }

    /**
     * {@link #drainTo(Collection, int, long)}; with {@code oversizeFirst} false even the first frame
     * moves only within {@code maxBytes}, so a frame larger than the budget waits until {@code out} is
     * empty instead of stacking a second large frame behind the one still being written.
     */
    synchronized int drainTo(Collection<ByteBuffer> out, int max, long maxBytes, boolean oversizeFirst) {
        int n = buffer.drainTo(out, max, maxBytes, oversizeFirst);
        refill();
        return n;
    }

    /**
     * Sends {@code history} of {@code runId} (its events after the resume point, in order), paced:
     * a part is queued whenever the buffer is below half its limits, so history the client asked for
     * never fills its buffer (it is not the client being slow) and what waits for it stays about
     * half a buffer. Live events of the run stay held until the history is queued, then follow it,
     * also paced. No-op unless {@link #holdLive} holds the run's events (closed, unsubscribed).
     */
    synchronized void replay(String runId, Iterator<Outbound> history) {
        Cursor c = cursors.get(runId);
        if (c == null || c.held == null || closed) {
            return;
        }
        c.replay = history;
        replays.start(runId);
        refill();
    }

    private void refill() {
        if (!closed) {
            replays.refill(cursors, buffer);
        }
    }

    /** The client holds {@code runId} up to {@code sequence} (its resume point): the next event follows it. */
    synchronized void startAfter(String runId, long sequence) {
        buffer.startAfter(runId, sequence);
    }

    /** The client was sent {@code runId} up to {@code sequence} (of {@code type}) outside its buffer (live reading). */
    synchronized void sentLive(String runId, long sequence, EventType type) {
        buffer.sentLive(runId, sequence, type);
    }

    /**
     * Holds the live events of {@code runId} back from now on (they go to the cursor, not the buffer)
     * while its missed events are read from the store.
     */
    synchronized void holdLive(String runId) {
        Cursor c = cursors.get(runId);
        if (c != null && !closed) {
            c.held = new ArrayDeque<>();
        }
    }

    /** Ends {@link #holdLive}: the events held, in order; null if nothing was held (closed, unsubscribed). */
    synchronized Collection<Outbound> stopHolding(String runId) {
        Cursor c = cursors.get(runId);
        if (c == null || c.held == null || closed) {
            return null;
        }
        Collection<Outbound> held = c.held;
        c.held = null;
        return held;
    }

    /** Batches in Java-WebSocket's output queue of this connection (each one send round's frames). */
    int socketQueueSize() {
        return conn.outQueue.size();
    }

    /** Bytes wait for this client's socket: queued for the selector, or the rest of a direct write. */
    boolean socketBusy() {
        return !conn.outQueue.isEmpty()
                || conn.getChannel() instanceof GuardedSocketFactory.GuardedChannel c && c.hasUnwritten();
    }

    /** Bytes in Java-WebSocket's output queue of this connection, not yet written to the socket. */
    long bytesInFlight() {
        long n = 0;
        for (ByteBuffer b : conn.outQueue) {
            n += b.remaining();
        }
        return n;
    }

    /** Whether anything waits for the socket: queued, or history still to be queued. Read without the lock. */
    boolean hasQueued() {
        return buffer.hasQueued() || replays.pending();
    }

    synchronized long queuedBytes() {
        return buffer.queuedBytes();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized String overflowReason() {
        return overflowReason;
    }

    /** Marks the session closed and frees its buffer; later offers are skipped. */
    synchronized void closeQuietly() {
        closed = true;
        buffer.clear();
        replays.clear();
        for (Cursor c : cursors.values()) {
            c.held = null;
            c.replay = null;
            c.next = null;
        }
    }

    @Override
    public String toString() {
        // Never the resource descriptor or headers: they may carry the token.
        return "client#" + id;
    }
}

package dev.progresstracker.websocket.internal;

import dev.progresstracker.core.event.Delivery;
import dev.progresstracker.core.event.DeliveryPath;
import dev.progresstracker.core.event.EventType;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * One client's bounded send buffer: the frames waiting for its socket, oldest first, with the
 * latest progress of a task replacing the one still queued, and the client's delivery path (each
 * frame leaves stamped with what this client was sent before it).
 *
 * <p>Snapshots are counted apart and not limited: a client holds at most one unsent snapshot per run
 * it follows; the messages behind them are limited to {@code maxMessages} and {@code maxBytes}.
 *
 * <p>Not thread-safe: guarded by its {@link ClientSession}'s lock, except {@link #hasQueued()}, which
 * the send thread reads without it.
 */
final class SendBuffer {

    /** A queue entry; {@code dead} once a newer progress event of the same task replaced it. */
    private static final class Slot {
        final Outbound msg;
        boolean dead;
        /** Progress events of the same task this one replaced in this buffer (with those they replaced). */
        long superseded;

        Slot(Outbound msg) {
            this.msg = msg;
        }
    }

    private final int maxBytes;
    private final int maxMessages;
    private final ServerMetrics metrics;
    private final ArrayDeque<Slot> queue = new ArrayDeque<>();
    private final DeliveryPath path = new DeliveryPath();
    private final Map<String, Slot> pendingProgress = new HashMap<>();
    /** Written under the session's lock; volatile so that the send thread can look without taking it. */
    private volatile int liveMessages;

    private long queuedBytes;
    /** The part of {@link #liveMessages} and {@link #queuedBytes} that is snapshots (not limited). */
    private int snapshotMessages;

    private long snapshotBytes;

    SendBuffer(int maxBytes, int maxMessages, ServerMetrics metrics) {
        this.maxBytes = maxBytes;
        this.maxMessages = maxMessages;
        this.metrics = metrics;
    }

    /** Appends {@code msg}; returns null, or why the buffer overflowed (the session then closes). */
    String add(Outbound msg) {
        long replaced = 0;
        if (msg.conflationKey() != null) {
            Slot old = pendingProgress.get(msg.conflationKey());
            if (old != null && !old.dead) {
                // Latest progress of a task wins; the newer one goes to the tail so sequence order holds.
                old.dead = true;
                uncount(old.msg);
                metrics.conflated.increment();
                replaced = old.superseded + (old.msg.event() == null ? 0 : Delivery.supersededBy(old.msg.event())) + 1;
            }
        }
        Slot slot = new Slot(msg);
        slot.superseded = replaced;
        queue.addLast(slot);
        if (msg.conflationKey() != null) {
            pendingProgress.put(msg.conflationKey(), slot);
        }
        liveMessages++;
        queuedBytes += msg.size();
        if (msg.snapshot()) {
            // A snapshot is the state the client asked for, as large as the run: it is not limited (a
            // client holds at most one unsent per run it follows); the events behind it are.
            snapshotMessages++;
            snapshotBytes += msg.size();
            return null;
        }
        int limitedMessages = liveMessages - snapshotMessages;
        long limitedBytes = queuedBytes - snapshotBytes;
        // One message larger than the whole buffer is still sent, alone.
        if (limitedMessages > 1 && (limitedBytes > maxBytes || limitedMessages > maxMessages)) {
            return "send buffer full (" + limitedMessages + " messages, " + limitedBytes
                    + " bytes queued besides snapshots; limits " + maxMessages + " / " + maxBytes + ")";
        }
        if (queue.size() > 2 * maxMessages) {
            queue.removeIf(s -> s.dead);
        }
        return null;
    }

    /**
     * Whether history a client asked for may be added now: the limited part of the buffer is below
     * half its limits. Paced history thus never fills the buffer by itself, and the other half stays
     * for live events and replies.
     */
    boolean belowLowWater() {
        return liveMessages - snapshotMessages < maxMessages / 2 && queuedBytes - snapshotBytes < maxBytes / 2;
    }

    /** Whether {@code msg} can be added without overflowing (always, when nothing limited waits). */
    boolean fits(Outbound msg) {
        int limitedMessages = liveMessages - snapshotMessages;
        return limitedMessages == 0
                || (limitedMessages < maxMessages && queuedBytes - snapshotBytes + msg.size() <= maxBytes);
    }

    /** Drops what is still queued of {@code runId}. */
    void dropRun(String runId) {
        for (Slot s : queue) {
            if (!s.dead && runId.equals(s.msg.runId())) {
                s.dead = true;
                uncount(s.msg);
                forget(s);
            }
        }
    }

    /**
     * Moves up to {@code max} queued frames, oldest first, to {@code out}, stopping before a frame
     * would take the bytes moved past {@code maxBytes}; with {@code oversizeFirst} the first frame
     * always moves (a frame larger than the budget goes alone). Each is a read-only view of the
     * shared frame unless this client's delivery differs from the one it carries.
     */
    int drainTo(Collection<ByteBuffer> out, int max, long maxBytes, boolean oversizeFirst) {
        int n = 0;
        long bytes = 0;
        Slot s;
        while (n < max && (s = peekLive()) != null && ((n == 0 && oversizeFirst) || bytes + s.msg.size() <= maxBytes)) {
            pollLive();
            byte[] frame = frameFor(s);
            out.add(ByteBuffer.wrap(frame).asReadOnlyBuffer());
            bytes += frame.length;
            n++;
        }
        return n;
    }

    /** The frame of {@code s} as this client gets it: stamped with its delivery on this connection. */
    private byte[] frameFor(Slot s) {
        Outbound msg = s.msg;
        if (msg.snapshot()) {
            path.startAfter(msg.runId(), msg.sequence());
            return msg.frame();
        }
        if (msg.event() == null) {
            return msg.frame();
        }
        Delivery d = path.next(msg.event(), s.superseded);
        return d.equals(msg.event().delivery())
                ? msg.frame()
                : Messages.event(msg.event().withDelivery(d)).frame();
    }

    /** The client holds {@code runId} up to {@code sequence} (its resume point): the next event follows it. */
    void startAfter(String runId, long sequence) {
        path.startAfter(runId, sequence);
    }

    /** The client was sent {@code runId} up to {@code sequence} (of {@code type}) outside this buffer. */
    void sentLive(String runId, long sequence, EventType type) {
        path.delivered(runId, sequence, type);
    }

    private Slot peekLive() {
        Slot s;
        while ((s = queue.peekFirst()) != null && s.dead) {
            queue.pollFirst();
        }
        return s;
    }

    private void pollLive() {
        Slot s = peekLive();
        if (s != null) {
            queue.pollFirst();
            uncount(s.msg);
            forget(s);
        }
    }

    private void forget(Slot s) {
        String key = s.msg.conflationKey();
        if (key != null && pendingProgress.get(key) == s) {
            pendingProgress.remove(key);
        }
    }

    private void uncount(Outbound msg) {
        liveMessages--;
        queuedBytes -= msg.size();
        if (msg.snapshot()) {
            snapshotMessages--;
            snapshotBytes -= msg.size();
        }
    }

    /** Whether anything waits; read by the send thread without the session's lock. */
    boolean hasQueued() {
        return liveMessages > 0;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    /** Frees everything queued. */
    void clear() {
        queue.clear();
        pendingProgress.clear();
        liveMessages = 0;
        queuedBytes = 0;
        snapshotMessages = 0;
        snapshotBytes = 0;
    }
}

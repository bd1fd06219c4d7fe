package dev.progresstracker.websocket.internal;

import java.util.ArrayDeque;
import java.util.Map;

/**
 * The runs of one client whose history is queued a part at a time ({@link ClientSession#replay}),
 * the first to ask goes first: whenever the client's buffer is below half its limits, the next
 * events of that history (then the live events held behind it) are moved into it. History the
 * client asked for thus never fills its buffer by itself, so it never closes the client as slow.
 *
 * <p>Not thread-safe: guarded by its {@link ClientSession}'s lock, except {@link #pending()}, which
 * the send thread reads without it.
 */
final class PacedReplays {

    private final ArrayDeque<String> runs = new ArrayDeque<>();
    /** {@link #runs} is not empty. Written under the session's lock; volatile for the send thread. */
    private volatile boolean pending;

    void start(String runId) {
        runs.addLast(runId);
        pending = true;
    }

    /** Whether some history is still to be queued; read without the session's lock. */
    boolean pending() {
        return pending;
    }

    void clear() {
        runs.clear();
        pending = false;
    }

    /** Queues paced history, then the live events held behind it, while {@code buffer} has room for it. */
    void refill(Map<String, ClientSession.Cursor> cursors, SendBuffer buffer) {
        while (!runs.isEmpty() && buffer.belowLowWater()) {
            ClientSession.Cursor c = cursors.get(runs.peekFirst());
            if (c == null || c.replay == null) {
                runs.pollFirst(); // unsubscribed, or an entry of an earlier subscription
                continue;
            }
            Outbound next = c.next != null ? c.next : c.replay.hasNext() ? c.replay.next() : c.held.pollFirst();
            c.next = null;
            if (next == null) {
                // History and the events held behind it are queued: the run's events go straight on.
                c.replay = null;
                c.held = null;
                runs.pollFirst();
            } else if (!buffer.fits(next)) {
                c.next = next; // paced history never overflows the buffer: it waits for room
                break;
            } else if (next.sequence() > c.lastSent) {
                buffer.add(next);
                c.lastSent = next.sequence();
            }
        }
        pending = !runs.isEmpty();
    }
}

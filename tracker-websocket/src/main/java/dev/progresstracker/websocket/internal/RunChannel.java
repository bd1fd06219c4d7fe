package dev.progresstracker.websocket.internal;

import dev.progresstracker.core.event.Delivery;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the server knows of one run: its state folded from the events it saw (seeded from the store
 * when it meets the run mid-way), the most recent encoded events for cheap resume, and the clients
 * that subscribed to it by name. Guarded by {@code this}; taken before any {@link ClientSession}.
 *
 * <p>A subscriber by name is either <em>queued</em> (each event is offered to its own buffer, where
 * progress is conflated: new, resuming or slow clients) or <em>live</em> (caught up: it reads from the
 * shared {@link LiveLog}, and publishing an event costs nothing per live client). The send thread moves
 * a client to live once its own buffer is empty, and back to queued when it falls behind.
 */
final class RunChannel {

    final String runId;
    private final int ringCapacity;
    /** Null until the run is seen or loaded. */
    private RunProjection projection;

    private final ArrayDeque<Outbound> recent = new ArrayDeque<>();
    /** Every client that subscribed to this run by name. */
    final Set<ClientSession> subscribers = new LinkedHashSet<>();
    /** Subscribers that get each event in their own buffer. */
    final Set<ClientSession> queued = new LinkedHashSet<>();
    /** Subscribers that read from {@link #log}. */
    final Map<ClientSession, LiveReader> live = new LinkedHashMap<>();

    final LiveLog log = new LiveLog();
    /** A lower bound of the live readers' next positions (exact after each send round). */
    long minLivePosition = Long.MAX_VALUE;
    /** Set by the send thread: some live reader still waits for room. */
    boolean livePending;

    final AtomicBoolean scheduled = new AtomicBoolean();
    final AtomicBoolean backlogged = new AtomicBoolean();
    private static final WeakReference<Outbound> EMPTY = new WeakReference<>(null);
    private WeakReference<Outbound> lastSnapshot = EMPTY;
    private RunProjection lastSnapshotOf;

    /** A live subscriber: where it is in the log, and the sequence of the last event it was handed. */
    static final class LiveReader {
        final ClientSession session;
        final ClientSession.Cursor cursor;
        long nextPosition;
        long lastSequence;
        /** The type of the event {@link #lastSequence}; null when that is not an event handed out live. */
        dev.progresstracker.core.event.EventType lastType;
        /** Its socket queue was full at the last hand-out: a retry between rounds serves it. */
        boolean waiting;

        LiveReader(ClientSession session, ClientSession.Cursor cursor, long nextPosition) {
            this.session = session;
            this.cursor = cursor;
            this.nextPosition = nextPosition;
            this.lastSequence = cursor.lastSent;
        }
    }

    RunChannel(String runId, int ringCapacity) {
        this.runId = runId;
        this.ringCapacity = ringCapacity;
    }

    boolean hasProjection() {
        return projection != null;
    }

    /** Starts from {@code state} (loaded from the store) unless the run's state is already known. */
    void seed(RunState state) {
        if (projection == null && state != null) {
            projection = RunProjection.of(state, RunProjection.Mode.ALLOW_GAPS);
        }
    }

    /**
     * Folds {@code event} (encoded as {@code msg}) into the run's state, starting from {@code seed} (or
     * empty) if the run is new here, and keeps it for resume.
     */
    void fold(dev.progresstracker.core.event.ProgressEvent event, Outbound msg, RunState seed) {
        if (projection == null) {
            projection = seed != null
                    ? RunProjection.of(seed, RunProjection.Mode.ALLOW_GAPS)
                    : new RunProjection(runId, RunProjection.Mode.ALLOW_GAPS);
        }
        projection.apply(event);
        stateChanged();
        remember(msg);
    }

    /** The run as this server knows it; null if it knows nothing yet. */
    dev.progresstracker.core.state.RunInfo info() {
        return projection == null ? null : projection.info();
    }

    long lastSequence() {
        return projection == null ? 0 : projection.lastSequence();
    }

    void remember(Outbound event) {
        if (ringCapacity == 0) {
            return;
        }
        if (recent.size() == ringCapacity) {
            recent.pollFirst();
        }
        recent.addLast(event);
    }

    /**
     * The remembered events after {@code since} up to the newest, if they are all there without a gap
     * (the dispatcher may have conflated progress events before they reached this sink); else null.
     */
    List<Outbound> recentAfter(long since) {
        long last = lastSequence();
        Outbound first = recent.peekFirst();
        if (first == null || first.sequence() > since + 1) {
            return null;
        }
        List<Outbound> out = new ArrayList<>();
        long expected = since + 1;
        for (Outbound o : recent) {
            if (o.sequence() <= since) {
                continue;
            }
            if (o.sequence() != expected) {
                return null;
            }
            out.add(o);
            expected++;
        }
        return expected - 1 == last ? out : null;
    }

    /**
     * The remembered events after {@code since} up to the newest, for a client that holds the run up
     * to {@code since} from the store: unlike {@link #recentAfter}, the progress events this server's
     * delivery path skipped (replaced on the way by a newer one of the same task, never a lifecycle
     * event) may be missing, as they are from every live client's stream. Null when memory no longer
     * reaches back to {@code since}: the path delivered an event after it that is not remembered, or
     * it cannot tell.
     */
    List<Outbound> bridgeAfter(long since) {
        List<Outbound> out = new ArrayList<>();
        long followed = since;
        for (Outbound o : recent) {
            if (o.sequence() <= since) {
                continue;
            }
            Delivery d = o.event() == null ? null : o.event().delivery();
            // previous 0 is the path's first event of the run: what came before never reached this server.
            boolean onPath = o.sequence() == followed + 1
                    || (d != null
                            && d.previous() > 0
                            && (out.isEmpty() ? d.previous() <= since : d.previous() == followed));
            if (!onPath) {
                return null;
            }
            out.add(o);
            followed = o.sequence();
        }
        return followed == lastSequence() ? out : null;
    }

    /**
     * The state as a snapshot message; an empty, not-started run if nothing is known. Clients that
     * subscribe between two events share one encoding (kept while some client's queue still holds it).
     */
    Outbound snapshot() {
        Outbound cached = lastSnapshot.get();
        if (cached != null && lastSnapshotOf == projection && cached.sequence() == lastSequence()) {
            return cached;
        }
        RunState state = projection != null
                ? projection.snapshot()
                : new RunProjection(runId, RunProjection.Mode.ALLOW_GAPS).snapshot();
        Outbound snap = Messages.snapshot(state);
        lastSnapshot = new WeakReference<>(snap);
        lastSnapshotOf = projection;
        return snap;
    }

    /** The state changed: the next snapshot is encoded afresh. */
    void stateChanged() {
        lastSnapshot = EMPTY;
        lastSnapshotOf = null;
    }

    void addSubscriber(ClientSession s) {
        if (subscribers.add(s)) {
            queued.add(s);
        }
    }

    void removeSubscriber(ClientSession s) {
        subscribers.remove(s);
        queued.remove(s);
        LiveReader r = live.remove(s);
        if (r != null) {
            leaveLive(r);
        }
    }

    /** Makes {@code s} a live reader from the next event on. Caller holds both locks. */
    void goLive(ClientSession s, ClientSession.Cursor c) {
        c.live = true;
        queued.remove(s);
        live.put(s, new LiveReader(s, c, log.end()));
        minLivePosition = Math.min(minLivePosition, log.end());
    }

    /** Ends {@code r}'s live reading (already removed from {@link #live}): its cursor takes over. */
    void leaveLive(LiveReader r) {
        synchronized (r.session) {
            r.session.notAllLive = true;
            r.cursor.live = false;
            r.cursor.lastSent = r.lastSequence;
            if (r.lastType != null) {
                r.session.sentLive(runId, r.lastSequence, r.lastType);
            }
        }
    }

    /** Keeps {@code event} for live readers, or nothing when there are none. */
    void appendLive(Outbound event) {
        if (live.isEmpty()) {
            log.release();
            minLivePosition = Long.MAX_VALUE;
        } else {
            log.append(event);
        }
    }

    boolean isIdle() {
        return projection == null && subscribers.isEmpty();
    }
}

package dev.progresstracker.websocket.internal;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.websocket.WebSocketConfig;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The rules of subscribe, unsubscribe and resume (on decoder threads): a snapshot, or exactly the
 * lifecycle events after a resume point with the latest progress of every task — from the run's
 * ring, else from the store (live events meanwhile held for the client) — or a snapshot when they
 * are gone.
 */
final class Subscriptions {

    private final WebSocketConfig config;
    private final StoreReads store;
    private final SendPump pump;
    private final Consumer<ClientSession> onOverflow;
    private final ConcurrentHashMap<String, RunChannel> runs;
    private final Set<ClientSession> followAll;

    Subscriptions(
            WebSocketConfig config,
            StoreReads store,
            SendPump pump,
            Consumer<ClientSession> onOverflow,
            ConcurrentHashMap<String, RunChannel> runs,
            Set<ClientSession> followAll) {
        this.config = config;
        this.store = store;
        this.pump = pump;
        this.onOverflow = onOverflow;
        this.runs = runs;
        this.followAll = followAll;
    }

    /**
     * Subscribes {@code s} to {@code runIds} (already validated), each with its resume point or null
     * for a snapshot. Already-followed runs are left as they are.
     */
    void subscribe(ClientSession s, Map<String, Long> runIds) {
        for (Map.Entry<String, Long> e : runIds.entrySet()) {
            s.addExplicit(e.getKey());
            follow(s, e.getKey(), e.getValue(), true);
            if (reportOverflow(s)) {
                return;
            }
        }
    }

    /** Subscribes {@code s} to every run, present and future; {@code since} gives resume points of known runs. */
    void subscribeAll(ClientSession s, Map<String, Long> since) {
        s.beginSubscribeAll();
        followAll.add(s);
        try {
            Set<String> known = new LinkedHashSet<>();
            for (RunChannel ch : runs.values()) {
                synchronized (ch) {
                    if (ch.hasProjection()) {
                        known.add(ch.runId);
                    }
                }
            }
            for (RunInfo info : store.listRuns()) {
                known.add(info.runId());
            }
            // Runs with a resume point first, so that they are not left waiting behind thousands of snapshots.
            Set<String> ordered = new LinkedHashSet<>();
            for (String runId : known) {
                if (since.containsKey(runId)) {
                    ordered.add(runId);
                }
            }
            ordered.addAll(known);
            followEach(s, ordered, since);
        } finally {
            // Runs met live while the known ones were followed: those it did not know (the others are
            // followed by now and skipped).
            Set<String> met = s.endSubscribeAll();
            if (s.overflowReason() == null) {
                followEach(s, met, since);
            }
        }
    }

    /** Follows each run through {@code "*"}, stopping once the client overflowed (then reported). */
    private void followEach(ClientSession s, Collection<String> runIds, Map<String, Long> since) {
        for (String runId : runIds) {
            follow(s, runId, since.get(runId), false);
            if (reportOverflow(s)) {
                return;
            }
        }
    }

    private boolean reportOverflow(ClientSession s) {
        if (s.overflowReason() != null) {
            onOverflow.accept(s);
            return true;
        }
        return false;
    }

    void unsubscribe(ClientSession s, Collection<String> runIds, boolean all) {
        if (all) {
            followAll.remove(s);
            s.subscribeAll(false);
        }
        for (String runId : runIds) {
            if (s.removeExplicit(runId)) {
                dropSubscriber(runId, s);
            }
        }
    }

    void dropSubscriber(String runId, ClientSession s) {
        runs.computeIfPresent(runId, (id, ch) -> {
            synchronized (ch) {
                ch.removeSubscriber(s);
                return ch.isIdle() ? null : ch;
            }
        });
    }

    /**
     * Starts {@code s} following one run: a snapshot when {@code requested} is null, else the events
     * after {@code requested} — from memory, else from the store — or a snapshot when they are gone.
     * A run that began after the client's summary and has events is followed from sequence 0 when
     * {@code requested} is null: the client could not have named a resume point for it.
     */
    private void follow(ClientSession s, String runId, Long requested, boolean explicit) {
        RunChannel ch = runs.computeIfAbsent(runId, id -> new RunChannel(id, config.replayBufferEvents()));
        if (!hasProjection(ch)) {
            RunState state = store.load(runId);
            synchronized (ch) {
                ch.seed(state);
            }
        }
        long target;
        Long since = requested;
        synchronized (ch) {
            if (explicit) {
                ch.addSubscriber(s);
            }
            long last = ch.lastSequence();
            ClientSession.Cursor c = s.addCursor(runId, last);
            if (c == null) {
                return; // already followed: the client has this run's state
            }
            if (since == null && last > 0 && s.listedRuns().beganAfter(runId)) {
                since = 0L; // as for a run that begins after the subscription: every event
            }
            if (since == null || last - since > config.maxReplayEvents()) {
                sendSnapshot(s, ch, c);
                return;
            }
            synchronized (s) {
                s.startAfter(runId, since);
                c.lastSent = since; // the history queued after it moves this on
                if (since >= last) {
                    return;
                }
            }
            List<Outbound> recent = ch.recentAfter(since);
            s.holdLive(runId);
            if (recent != null) {
                s.replay(runId, recent.iterator());
                pump.schedule(s);
                return;
            }
            target = last;
        }
        // Store reads happen without the run's lock: live events meanwhile are held for this client.
        Optional<List<ProgressEvent>> fromStore = store.eventsSince(runId, since, (int) (target - since));
        synchronized (ch) {
            synchronized (s) {
                ClientSession.Cursor c = s.cursor(runId);
                if (c == null || c.held == null || s.isClosed()) {
                    return;
                }
                List<ProgressEvent> replay = fromStore.orElse(null);
                long reached = replay == null ? -1 : contiguousEnd(replay, since);
                // The store writes behind the live stream: what it does not hold yet, the ring may.
                List<Outbound> bridge = reached >= 0 && reached < target ? ch.bridgeAfter(reached) : List.of();
                if (reached < 0 || bridge == null) {
                    s.stopHolding(runId); // the snapshot is the run's state now: it has the held events
                    sendSnapshot(s, ch, c);
                    return;
                }
                // Encoded as the client's buffer takes them, not all at once; then the bridge, then
                // the events held meanwhile (ClientSession#replay skips what it already queued).
                Iterator<Outbound> history = Stream.concat(replay.stream().map(Messages::event), bridge.stream())
                        .iterator();
                s.replay(runId, history);
            }
        }
        pump.schedule(s);
    }

    /**
     * The last sequence of {@code events} when they run without a gap from {@code since + 1} (so
     * {@code since} for none), or -1 when they start elsewhere or have a gap.
     */
    private static long contiguousEnd(List<ProgressEvent> events, long since) {
        long expected = since + 1;
        for (ProgressEvent e : events) {
            if (e.sequence() != expected) {
                return -1;
            }
            expected++;
        }
        return expected - 1;
    }

    private void sendSnapshot(ClientSession s, RunChannel ch, ClientSession.Cursor c) {
        Outbound snap = ch.snapshot();
        synchronized (s) {
            c.lastSent = snap.sequence();
            if (s.send(snap) == ClientSession.Offer.OVERFLOW) {
                return;
            }
        }
        pump.schedule(s);
    }

    private static boolean hasProjection(RunChannel ch) {
        synchronized (ch) {
            return ch.hasProjection();
        }
    }
}

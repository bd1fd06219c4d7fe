package dev.progresstracker.websocket.internal;

import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.websocket.WebSocketConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server's state that outlives any one listening socket: per-run projections and recent
 * events, the connected clients and what they follow, and the rules of subscribe and resume.
 * Thread-safe. {@link #publish} is called on the sink thread and never waits for a client.
 */
public final class Broker {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final WebSocketConfig config;
    private final ProgressStore store;
    private final ServerMetrics metrics;
    private final SendPump pump;
    private final Consumer<ClientSession> onOverflow;
    /** Batches in a live reader's socket queue before it waits; each is one send round's frames. */
    static final int LIVE_MAX_IN_FLIGHT = 8;
    /**
     * Events a live reader may be behind before it goes back to its own, conflating buffer: checked by
     * the send thread for a reader whose socket queue is full, and on publish for every reader (half
     * the log, so that nothing a reader has not had is ever overwritten).
     */
    static final int LIVE_BACKLOG_LIMIT = LiveLog.CAPACITY / 2;

    private final ConcurrentHashMap<String, RunChannel> runs = new ConcurrentHashMap<>();
    private final Set<ClientSession> followAll = ConcurrentHashMap.newKeySet();
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();

    /** @param onOverflow closes a client whose buffer overflowed (called without locks held) */
    public Broker(WebSocketConfig config, ProgressStore store, ServerMetrics metrics, Consumer<ClientSession> onOverflow) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.onOverflow = onOverflow;
        this.pump = new SendPump("tracker-websocket-send", metrics, this);
    }

    public Collection<ClientSession> sessions() {
        return sessions;
    }

    void add(ClientSession s) {
        sessions.add(s);
    }

    /** Forgets a closed client everywhere. */
    void remove(ClientSession s) {
        s.closeQuietly();
        sessions.remove(s);
        followAll.remove(s);
        for (String runId : s.explicitRunIds()) {
            dropSubscriber(runId, s);
        }
    }

    // ------------------------------------------------------------------ publish (sink thread)

    /** Folds {@code event} into its run and queues it for every client following that run. */
    public void publish(ProgressEvent event) {
        String runId = event.runId();
        RunChannel ch = runs.computeIfAbsent(runId, id -> new RunChannel(id, config.replayBufferEvents()));
        RunState seed = null;
        if (projectionMissing(ch) && event.sequence() > 1) {
            // Met mid-way (started after the run): the store knows the tasks added before.
            seed = loadQuietly(runId);
        }
        Outbound msg = Messages.event(event);
        List<ClientSession> overflowed = new ArrayList<>(0);
        synchronized (ch) {
            if (ch.projection == null) {
                ch.projection = seed != null ? RunProjection.of(seed, RunProjection.Mode.ALLOW_GAPS)
                        : new RunProjection(runId, RunProjection.Mode.ALLOW_GAPS);
            }
            ch.projection.apply(event);
            ch.stateChanged();
            ch.remember(msg);
            if (!ch.live.isEmpty() && ch.log.end() - ch.minLivePosition >= LIVE_BACKLOG_LIMIT) {
                demoteLaggards(ch, overflowed);
            }
            ch.appendLive(msg);
            Supplier<Outbound> snapshot = memoize(ch::snapshot);
            for (ClientSession s : ch.queued) {
                deliver(s, runId, msg, snapshot, overflowed);
            }
            for (ClientSession s : followAll) {
                if (!ch.subscribers.contains(s)) {
                    deliver(s, runId, msg, snapshot, overflowed);
                }
            }
            if (!ch.live.isEmpty()) {
                pump.schedule(ch);
            }
        }
        overflowed.forEach(onOverflow);
    }

    // ------------------------------------------------------------------ live readers (send thread)

    /**
     * Hands each live reader of {@code ch} the frames it has not had, as one buffer shared by all
     * readers at the same position; adds the clients handed to {@code handedTo} and their buffers to
     * {@code batches} (the caller writes them, outside the run's lock); returns the number of frames.
     * With {@code waitingOnly} (a retry between rounds) only readers that waited for room are served:
     * the others get their new events in the next round, in one write. A reader whose socket queue
     * is full waits ({@link RunChannel#livePending}); one that is also more than
     * {@value #LIVE_BACKLOG_LIMIT} events behind goes back to its own buffer, where its progress
     * events are conflated.
     */
    int handLive(RunChannel ch, List<ClientSession> handedTo, List<ByteBuffer> batches, boolean waitingOnly) {
        List<ClientSession> overflowed = new ArrayList<>(0);
        int frames = 0;
        synchronized (ch) {
            long end = ch.log.end();
            long min = end;
            boolean pending = false;
            Outbound lastHanded = end > ch.log.start() ? ch.log.get(end - 1) : null;
            long lastSequence = lastHanded != null ? lastHanded.sequence() : 0;
            dev.progresstracker.core.event.EventType lastType = lastHanded != null && lastHanded.event() != null
                    ? lastHanded.event().type() : null;
            // Readers at the same position share one buffer; they cluster at the ends of a few rounds.
            Map<Long, byte[]> shared = new HashMap<>(4);
            for (Iterator<RunChannel.LiveReader> it = ch.live.values().iterator(); it.hasNext(); ) {
                RunChannel.LiveReader r = it.next();
                if (r.nextPosition >= end) {
                    continue;
                }
                if (waitingOnly && !r.waiting) {
                    min = Math.min(min, r.nextPosition);
                    continue;
                }
                ClientSession s = r.session;
                r.waiting = s.conn.outQueue.size() >= LIVE_MAX_IN_FLIGHT;
                if (r.waiting) {
                    if (end - r.nextPosition > LIVE_BACKLOG_LIMIT) {
                        it.remove();
                        demote(ch, r, overflowed);
                    } else {
                        pending = true;
                        min = Math.min(min, r.nextPosition);
                    }
                    continue;
                }
                byte[] batch = shared.computeIfAbsent(r.nextPosition, ch.log::frames);
                batches.add(ByteBuffer.wrap(batch));
                frames += (int) (end - r.nextPosition);
                r.nextPosition = end;
                r.lastSequence = lastSequence;
                r.lastType = lastType;
                handedTo.add(s);
            }
            ch.minLivePosition = ch.live.isEmpty() ? Long.MAX_VALUE : min;
            ch.livePending = pending;
        }
        metrics.messagesOut.add(frames);
        overflowed.forEach(onOverflow);
        return frames;
    }

    /**
     * Moves {@code s}'s runs to live reading where it has everything so far and nothing waits in its
     * own buffer. Called by the send thread after it emptied that buffer.
     */
    void tryGoLive(ClientSession s) {
        for (String runId : s.liveCandidates()) {
            RunChannel ch = runs.get(runId);
            if (ch == null) {
                continue;
            }
            synchronized (ch) {
                if (!ch.queued.contains(s)) {
                    continue;
                }
                synchronized (s) {
                    ClientSession.Cursor c = s.cursor(runId);
                    if (c != null && !c.live && c.held == null && !s.isClosed() && !s.hasQueued()
                            && c.lastSent >= ch.lastSequence()) {
                        ch.goLive(s, c);
                        metrics.caughtUp.increment();
                    }
                }
            }
        }
    }

    /** Before the log overwrites what a reader has not had: readers far behind go back to their own buffer. */
    private void demoteLaggards(RunChannel ch, List<ClientSession> overflowed) {
        long end = ch.log.end();
        long min = Long.MAX_VALUE;
        for (Iterator<RunChannel.LiveReader> it = ch.live.values().iterator(); it.hasNext(); ) {
            RunChannel.LiveReader r = it.next();
            if (end - r.nextPosition >= LIVE_BACKLOG_LIMIT) {
                it.remove();
                demote(ch, r, overflowed);
            } else {
                min = Math.min(min, r.nextPosition);
            }
        }
        ch.minLivePosition = min;
    }

    /** Moves {@code r} (removed from the live readers) to its own buffer with the events it has not had. */
    private void demote(RunChannel ch, RunChannel.LiveReader r, List<ClientSession> overflowed) {
        ClientSession s = r.session;
        ch.leaveLive(r);
        ch.queued.add(s);
        metrics.fellBehind.increment();
        ClientSession.Offer result = ClientSession.Offer.SKIPPED;
        synchronized (s) {
            for (long p = r.nextPosition; p < ch.log.end() && result != ClientSession.Offer.OVERFLOW; p++) {
                result = s.offer(ch.runId, ch.log.get(p));
            }
        }
        if (result == ClientSession.Offer.OVERFLOW) {
            overflowed.add(s);
        } else {
            pump.schedule(s);
        }
    }

    private void deliver(ClientSession s, String runId, Outbound msg, Supplier<Outbound> snapshot,
                         List<ClientSession> overflowed) {
        ClientSession.Offer r = s.offer(runId, msg, snapshot);
        if (r == ClientSession.Offer.QUEUED) {
            pump.schedule(s);
        } else if (r == ClientSession.Offer.OVERFLOW) {
            overflowed.add(s);
        }
    }

    private static boolean projectionMissing(RunChannel ch) {
        synchronized (ch) {
            return ch.projection == null;
        }
    }

    // ------------------------------------------------------------------ client requests (decoder threads)

    /** Queues a control message for {@code s}. */
    void send(ClientSession s, Outbound msg) {
        ClientSession.Offer r = s.send(msg);
        if (r == ClientSession.Offer.QUEUED) {
            pump.schedule(s);
        } else if (r == ClientSession.Offer.OVERFLOW) {
            onOverflow.accept(s);
        }
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
        s.subscribeAll(true);
        followAll.add(s);
        Set<String> known = new java.util.LinkedHashSet<>();
        for (RunChannel ch : runs.values()) {
            synchronized (ch) {
                if (ch.projection != null) {
                    known.add(ch.runId);
                }
            }
        }
        for (RunInfo info : listStoredRuns()) {
            known.add(info.runId());
        }
        for (String runId : known) {
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

    private void dropSubscriber(String runId, ClientSession s) {
        runs.computeIfPresent(runId, (id, ch) -> {
            synchronized (ch) {
                ch.removeSubscriber(s);
                return ch.isIdle() ? null : ch;
            }
        });
    }

    /**
     * Starts {@code s} following one run: a snapshot when {@code since} is null, else exactly the events
     * after {@code since} — from memory, else from the store — or a snapshot when they are gone.
     */
    private void follow(ClientSession s, String runId, Long since, boolean explicit) {
        RunChannel ch = runs.computeIfAbsent(runId, id -> new RunChannel(id, config.replayBufferEvents()));
        if (projectionMissing(ch)) {
            RunState state = loadQuietly(runId);
            synchronized (ch) {
                if (ch.projection == null && state != null) {
                    ch.projection = RunProjection.of(state, RunProjection.Mode.ALLOW_GAPS);
                }
            }
        }
        long target;
        synchronized (ch) {
            if (explicit) {
                ch.addSubscriber(s);
            }
            long last = ch.lastSequence();
            ClientSession.Cursor c = s.addCursor(runId, last);
            if (c == null) {
                return; // already followed: the client has this run's state
            }
            if (since == null || last - since > config.maxReplayEvents()) {
                sendSnapshot(s, ch, c);
                return;
            }
            synchronized (s) {
                s.startAfter(runId, since);
            }
            if (since >= last) {
                synchronized (s) {
                    c.lastSent = since;
                }
                return;
            }
            List<Outbound> recent = ch.recentAfter(since);
            if (recent != null) {
                synchronized (s) {
                    recent.forEach(s::send);
                    c.lastSent = last;
                }
                pump.schedule(s);
                return;
            }
            synchronized (s) {
                c.held = new ArrayList<>();
            }
            target = last;
        }
        // Store reads happen without the run's lock: live events meanwhile are held for this client.
        Optional<List<ProgressEvent>> fromStore = eventsQuietly(runId, since, (int) (target - since));
        synchronized (ch) {
            synchronized (s) {
                ClientSession.Cursor c = s.cursor(runId);
                if (c == null || c.held == null || s.isClosed()) {
                    return;
                }
                List<ProgressEvent> replay = fromStore.orElse(null);
                if (replay == null || !contiguous(replay, since, target)) {
                    List<Outbound> held = c.held;
                    c.held = null;
                    held.clear();
                    sendSnapshot(s, ch, c);
                    return;
                }
                for (ProgressEvent e : replay) {
                    s.send(Messages.event(e));
                    c.lastSent = e.sequence();
                }
                List<Outbound> held = c.held;
                c.held = null;
                for (Outbound o : held) {
                    if (o.sequence() > c.lastSent) {
                        s.send(o);
                        c.lastSent = o.sequence();
                    }
                }
            }
        }
        pump.schedule(s);
    }

    /** Whether {@code events} run without a gap from {@code since + 1} to at least {@code target}. */
    private static boolean contiguous(List<ProgressEvent> events, long since, long target) {
        long expected = since + 1;
        for (ProgressEvent e : events) {
            if (e.sequence() != expected) {
                return false;
            }
            expected++;
        }
        return expected - 1 >= target;
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

    /** Every run the server or the store knows, newest update first. */
    List<RunInfo> runInfos() {
        Map<String, RunInfo> byId = new LinkedHashMap<>();
        for (RunInfo info : listStoredRuns()) {
            byId.put(info.runId(), info);
        }
        for (RunChannel ch : runs.values()) {
            synchronized (ch) {
                if (ch.projection != null) {
                    RunInfo mine = ch.projection.info();
                    RunInfo stored = byId.get(ch.runId);
                    if (stored == null || stored.lastSequence() < mine.lastSequence()) {
                        byId.put(ch.runId, mine);
                    }
                }
            }
        }
        List<RunInfo> out = new ArrayList<>(byId.values());
        out.sort(java.util.Comparator.comparing(RunInfo::updatedAt,
                java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())));
        return out;
    }

    /** Subscriptions over every client: runs followed by id, plus one per {@code "*"}. */
    public int subscriptionCount() {
        int n = 0;
        for (ClientSession s : sessions) {
            n += s.subscriptionCount();
        }
        return n;
    }

    /** The number of runs the server holds state for (a bound on its memory). */
    public int runCount() {
        return runs.size();
    }

    /**
     * Bytes waiting for clients' sockets, over every client: their own buffers and Java-WebSocket's
     * output queues (a live batch shared by several clients counts once for each).
     */
    public long queuedBytes() {
        long sum = 0;
        for (ClientSession s : sessions) {
            sum += s.queuedBytes() + s.bytesInFlight();
        }
        return sum;
    }

    private List<RunInfo> listStoredRuns() {
        try {
            return store.listRuns();
        } catch (RuntimeException e) {
            LOG.warn("store failed to list runs: {}", e.toString());
            return List.of();
        }
    }

    private RunState loadQuietly(String runId) {
        try {
            return store.loadRun(RunIds.requireValidRunId(runId)).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("store failed to load run '{}': {}", runId, e.toString());
            return null;
        }
    }

    private Optional<List<ProgressEvent>> eventsQuietly(String runId, long since, int max) {
        try {
            return store.eventsSince(runId, since, max);
        } catch (RuntimeException e) {
            LOG.warn("store failed to read events of run '{}' after {}: {}", runId, since, e.toString());
            return Optional.empty();
        }
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }

    public void close() {
        pump.stop();
        for (ClientSession s : sessions) {
            s.closeQuietly();
        }
        sessions.clear();
        followAll.clear();
    }
}

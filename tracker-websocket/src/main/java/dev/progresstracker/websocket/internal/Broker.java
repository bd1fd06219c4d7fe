package dev.progresstracker.websocket.internal;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.websocket.WebSocketConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server's state that outlives any one listening socket: the runs ({@link RunChannel}: state,
 * recent events, subscribers) and the connected clients. Publishing (sink thread) is here; the live
 * readers are {@link LiveReaders}' (send thread), subscribe and resume {@link Subscriptions}'
 * (decoder threads). Thread-safe. {@link #publish} never waits for a client.
 */
public final class Broker {

    private final WebSocketConfig config;
    private final StoreReads store;
    private final SendPump pump;
    private final Consumer<ClientSession> onOverflow;
    private final LiveReaders live;
    private final Subscriptions subscriptions;

    private final ConcurrentHashMap<String, RunChannel> runs = new ConcurrentHashMap<>();
    private final Set<ClientSession> followAll = ConcurrentHashMap.newKeySet();
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();

    /** @param onOverflow closes a client whose buffer overflowed (called without locks held) */
    public Broker(
            WebSocketConfig config, ProgressStore store, ServerMetrics metrics, Consumer<ClientSession> onOverflow) {
        this.config = config;
        this.store = new StoreReads(store);
        this.onOverflow = onOverflow;
        this.pump = new SendPump("tracker-websocket-send", metrics, this);
        this.live = new LiveReaders(metrics, pump, onOverflow);
        this.subscriptions = new Subscriptions(config, this.store, pump, onOverflow, runs, followAll);
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
            subscriptions.dropSubscriber(runId, s);
        }
    }

    // ------------------------------------------------------------------ publish (sink thread)

    /** Folds {@code event} into its run and queues it for every client following that run. */
    public void publish(ProgressEvent event) {
        String runId = event.runId();
        RunChannel ch = runs.computeIfAbsent(runId, id -> new RunChannel(id, config.replayBufferEvents()));
        RunState seed = null;
        if (!hasProjection(ch) && event.sequence() > 1) {
            // Met mid-way (started after the run): the store knows the tasks added before.
            seed = store.load(runId);
        }
        Outbound msg = Messages.event(event);
        List<ClientSession> overflowed = new ArrayList<>(0);
        synchronized (ch) {
            ch.fold(event, msg, seed);
            live.demoteLaggards(ch, overflowed);
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

    private void deliver(
            ClientSession s, String runId, Outbound msg, Supplier<Outbound> snapshot, List<ClientSession> overflowed) {
        ClientSession.Offer r = s.offer(runId, msg, snapshot);
        if (r == ClientSession.Offer.QUEUED) {
            pump.schedule(s);
        } else if (r == ClientSession.Offer.OVERFLOW) {
            overflowed.add(s);
        }
    }

    private static boolean hasProjection(RunChannel ch) {
        synchronized (ch) {
            return ch.hasProjection();
        }
    }

    // ------------------------------------------------------------------ send thread

    /** {@link LiveReaders#handLive}. */
    int handLive(RunChannel ch, List<ClientSession> handedTo, List<ByteBuffer> batches, boolean waitingOnly) {
        return live.handLive(ch, handedTo, batches, waitingOnly);
    }

    /** Moves {@code s}'s runs to live reading where it has everything so far; after its buffer emptied. */
    void tryGoLive(ClientSession s) {
        for (String runId : s.liveCandidates()) {
            RunChannel ch = runs.get(runId);
            if (ch != null) {
                live.tryGoLive(s, ch);
            }
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

    /** {@link Subscriptions#subscribe}. */
    void subscribe(ClientSession s, Map<String, Long> runIds) {
        subscriptions.subscribe(s, runIds);
    }

    /** {@link Subscriptions#subscribeAll}. */
    void subscribeAll(ClientSession s, Map<String, Long> since) {
        subscriptions.subscribeAll(s, since);
    }

    /** {@link Subscriptions#unsubscribe}. */
    void unsubscribe(ClientSession s, Collection<String> runIds, boolean all) {
        subscriptions.unsubscribe(s, runIds, all);
    }

    /** Every run the server or the store knows, newest update first. */
    List<RunInfo> runInfos() {
        Map<String, RunInfo> byId = new LinkedHashMap<>();
        for (RunInfo info : store.listRuns()) {
            byId.put(info.runId(), info);
        }
        for (RunChannel ch : runs.values()) {
            synchronized (ch) {
                RunInfo mine = ch.info();
                if (mine != null) {
                    RunInfo stored = byId.get(ch.runId);
                    if (stored == null || stored.lastSequence() < mine.lastSequence()) {
                        byId.put(ch.runId, mine);
                    }
                }
            }
        }
        List<RunInfo> out = new ArrayList<>(byId.values());
        out.sort(java.util.Comparator.comparing(
                RunInfo::updatedAt, java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())));
        return out;
    }

    // ------------------------------------------------------------------ figures

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

    /** See {@link SendPump#watchSocket}. */
    public void watchSocket(ClientSession s) {
        pump.watchSocket(s);
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

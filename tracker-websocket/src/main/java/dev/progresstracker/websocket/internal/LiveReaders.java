package dev.progresstracker.websocket.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The caught-up readers of every run: hands them the run's shared {@link LiveLog} frames (send
 * thread), lets a client whose own buffer emptied go live, and sends one that falls far behind back
 * to its own, conflating buffer with the events it has not had. Thread-safe through the run's lock.
 */
final class LiveReaders {

    /** Batches in a live reader's socket queue before it waits; each is one send round's frames. */
    static final int LIVE_MAX_IN_FLIGHT = 8;
    /**
     * Events a live reader may be behind before it goes back to its own, conflating buffer: checked by
     * the send thread for a reader whose socket queue is full, and on publish for every reader (half
     * the log, so that nothing a reader has not had is ever overwritten).
     */
    static final int LIVE_BACKLOG_LIMIT = LiveLog.CAPACITY / 2;

    private final ServerMetrics metrics;
    private final SendPump pump;
    private final Consumer<ClientSession> onOverflow;

    LiveReaders(ServerMetrics metrics, SendPump pump, Consumer<ClientSession> onOverflow) {
        this.metrics = metrics;
        this.pump = pump;
        this.onOverflow = onOverflow;
    }

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
                    ? lastHanded.event().type()
                    : null;
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
                r.waiting = s.socketQueueSize() >= LIVE_MAX_IN_FLIGHT;
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
     * Moves {@code s}'s run {@code ch} to live reading if it has everything so far and nothing waits
     * in its own buffer. Called by the send thread after it emptied that buffer.
     */
    void tryGoLive(ClientSession s, RunChannel ch) {
        synchronized (ch) {
            if (!ch.queued.contains(s)) {
                return;
            }
            synchronized (s) {
                ClientSession.Cursor c = s.cursor(ch.runId);
                if (c != null
                        && !c.live
                        && c.held == null
                        && !s.isClosed()
                        && !s.hasQueued()
                        && c.lastSent >= ch.lastSequence()) {
                    ch.goLive(s, c);
                    metrics.caughtUp.increment();
                }
            }
        }
    }

    /** Before the log overwrites what a reader has not had: readers far behind go back to their own buffer. */
    void demoteLaggards(RunChannel ch, List<ClientSession> overflowed) {
        if (ch.live.isEmpty() || ch.log.end() - ch.minLivePosition < LIVE_BACKLOG_LIMIT) {
            return;
        }
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
}

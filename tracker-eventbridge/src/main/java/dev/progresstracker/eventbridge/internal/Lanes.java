package dev.progresstracker.eventbridge.internal;

import dev.progresstracker.core.event.DeliveryPath;
import dev.progresstracker.core.event.EventType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory buffer: one lane per run, in sequence order. A lane is in at most one call at a
 * time, and entries that must be retried go back to the head of their lane, so a run's entries
 * reach EventBridge in order across calls. {@code task.progress} entries are coalesced per task
 * while they wait (latest wins) and a task's progress is held back until {@code minIntervalMillis}
 * after its previous one was sent, but only while nothing newer of its run waits behind it (order
 * beats the interval). An entry larger than {@code maxEntryBytes} (known once its detail is written)
 * can never be sent: {@link #take} moves it out of its lane to {@link #takeRejected()}.
 *
 * <p>Lanes are the EventBridge delivery path: an entry is stamped with its
 * {@link dev.progresstracker.core.event.Delivery} when it leaves its lane for a call or the outbox
 * (in run order, once: a retry keeps its stamp), counting the progress entries it replaced while it
 * waited; a rejected entry is recorded as lost, so the next one names it.
 *
 * <p>Not thread-safe: the publisher calls it under its lock.
 */
final class Lanes {

    private static final int MAX_TRACKED_TASKS = 100_000;

    private final long minIntervalMillis;
    private final int maxEntryBytes;
    private final List<PendingEntry> rejected = new ArrayList<>();
    private final LinkedHashMap<String, Lane> lanes = new LinkedHashMap<>();
    private final HashMap<String, Long> lastProgressSent = new HashMap<>();
    private int waiting;
    private long conflated;
    private final DeliveryPath path = new DeliveryPath();

    Lanes(long minIntervalMillis, int maxEntryBytes) {
        this.minIntervalMillis = minIntervalMillis;
        this.maxEntryBytes = maxEntryBytes;
    }

    private static final class Lane {
        final ArrayDeque<PendingEntry> retry = new ArrayDeque<>();
        final LinkedHashMap<Long, PendingEntry> body = new LinkedHashMap<>();
        final HashMap<String, Long> progressByTask = new HashMap<>();
        boolean inFlight;
        long notBefore;

        boolean isEmpty() {
            return retry.isEmpty() && body.isEmpty();
        }

        int size() {
            return retry.size() + body.size();
        }
    }

    /** What {@link #scan} found: how much could go out now, how old it is, when to look again. */
    record Scan(int sendable, long sendableBytes, long oldestArrival, long nextWake) {}

    /** Adds an entry at the tail of its run's lane; a waiting progress entry of the same task is replaced. */
    void add(PendingEntry e) {
        Lane lane = lanes.computeIfAbsent(e.runId, k -> new Lane());
        if (e.isProgress()) {
            Long previous = lane.progressByTask.put(e.taskId, e.sequence);
            PendingEntry replaced = previous == null ? null : lane.body.remove(previous);
            if (replaced != null) {
                waiting--;
                conflated++;
                e.superseded += replaced.superseded + 1;
            }
        }
        lane.body.put(e.sequence, e);
        waiting++;
    }

    /** Entries waiting (not in a call). */
    int waiting() {
        return waiting;
    }

    long conflated() {
        return conflated;
    }

    /** Counts what could be sent at {@code now} (up to {@code limit} entries). */
    Scan scan(long now, int limit, boolean ignoreHolds) {
        int sendable = 0;
        long bytes = 0;
        long oldest = Long.MAX_VALUE;
        long wake = Long.MAX_VALUE;
        for (Lane lane : lanes.values()) {
            if (lane.inFlight || lane.isEmpty()) {
                continue;
            }
            if (lane.notBefore > now) {
                wake = Math.min(wake, lane.notBefore);
                continue;
            }
            // A lane with retries sends only those, so nothing later of its run overtakes them.
            Iterator<PendingEntry> it =
                    lane.retry.isEmpty() ? lane.body.values().iterator() : lane.retry.iterator();
            int left = lane.size();
            while (it.hasNext() && sendable < limit) {
                PendingEntry e = it.next();
                left--;
                long due = ignoreHolds ? Long.MIN_VALUE : holdUntil(e, left == 0);
                if (due > now) {
                    wake = Math.min(wake, due);
                    break;
                }
                sendable++;
                int size = e.size();
                bytes += size > maxEntryBytes ? 0 : size;
                oldest = Math.min(oldest, e.arrivalMillis);
            }
            if (sendable >= limit) {
                break;
            }
        }
        return new Scan(sendable, bytes, oldest, wake);
    }

    /**
     * Takes the next call's entries: whole lane prefixes, at most {@code maxEntries} entries and
     * {@code maxBytes} summed size; every lane it takes from is marked in flight.
     */
    List<PendingEntry> take(long now, int maxEntries, long maxBytes, boolean ignoreHolds) {
        List<PendingEntry> batch = new ArrayList<>(maxEntries);
        long bytes = 0;
        List<String> used = new ArrayList<>();
        for (Map.Entry<String, Lane> le : lanes.entrySet()) {
            Lane lane = le.getValue();
            if (lane.inFlight || lane.isEmpty() || lane.notBefore > now) {
                continue;
            }
            int before = batch.size();
            boolean retrying = !lane.retry.isEmpty();
            while (batch.size() < maxEntries && (retrying ? !lane.retry.isEmpty() : !lane.body.isEmpty())) {
                PendingEntry e = retrying ? lane.retry.peekFirst() : first(lane.body);
                if (!ignoreHolds && holdUntil(e, lane.size() == 1) > now) {
                    break;
                }
                if (!retrying && e.size() > maxEntryBytes) {
                    removeFromBody(lane, e);
                    rejected.add(e);
                    path.next(e.runId, e.sequence, EventType.fromWireName(e.detailType), 0); // lost: the next names it
                    continue;
                }
                if (bytes + e.size() > maxBytes) {
                    break;
                }
                if (!retrying) {
                    removeFromBody(lane, e);
                } else {
                    lane.retry.pollFirst();
                    waiting--;
                }
                if (e.isProgress()) {
                    rememberSent(e, now);
                }
                stamp(e);
                batch.add(e);
                bytes += e.size();
            }
            if (batch.size() > before) {
                lane.inFlight = true;
                used.add(le.getKey());
            }
            if (batch.size() >= maxEntries) {
                break;
            }
        }
        // Lanes just served go to the back, so the next call starts with the other runs.
        for (String run : used) {
            lanes.put(run, lanes.remove(run));
        }
        if (!rejected.isEmpty()) {
            lanes.values().removeIf(l -> !l.inFlight && l.isEmpty());
        }
        return batch;
    }

    /** Entries {@link #take} found too large to send since the last call; the caller dead-letters them. */
    List<PendingEntry> takeRejected() {
        if (rejected.isEmpty()) {
            return List.of();
        }
        List<PendingEntry> out = new ArrayList<>(rejected);
        rejected.clear();
        return out;
    }

    private void removeFromBody(Lane lane, PendingEntry e) {
        lane.body.remove(e.sequence);
        if (e.isProgress()) {
            lane.progressByTask.remove(e.taskId, e.sequence);
        }
        waiting--;
    }

    /**
     * The call that carried {@code batch} is over: each of its runs is free for the next call, and the
     * entries of {@code retry} (in order) go back to their lane heads, not to be sent before {@code notBefore}.
     */
    void release(List<PendingEntry> batch, List<PendingEntry> retry, long notBefore) {
        Map<String, List<PendingEntry>> byRun = new LinkedHashMap<>();
        for (PendingEntry e : batch) {
            byRun.computeIfAbsent(e.runId, k -> new ArrayList<>());
        }
        for (PendingEntry e : retry) {
            byRun.get(e.runId).add(e);
        }
        byRun.forEach((run, list) -> release(run, list, notBefore));
    }

    /** The call of {@code runId} is over; {@code retry} (in order) goes back to the lane head. */
    void release(String runId, List<PendingEntry> retry, long notBefore) {
        Lane lane = lanes.get(runId);
        if (lane == null) {
            throw new IllegalStateException("no lane for run " + runId);
        }
        lane.inFlight = false;
        for (int i = retry.size() - 1; i >= 0; i--) {
            lane.retry.addFirst(retry.get(i));
            waiting++;
        }
        if (!retry.isEmpty()) {
            lane.notBefore = notBefore;
        }
        if (lane.isEmpty()) {
            lanes.remove(runId);
        }
    }

    /**
     * Removes and returns every waiting entry, each run's in order. Lanes in a call keep existing
     * (their call is released later) but lose their waiting entries too.
     */
    List<PendingEntry> drainAll() {
        List<PendingEntry> all = new ArrayList<>(waiting);
        for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
            Lane lane = it.next();
            all.addAll(lane.retry);
            lane.body.values().forEach(this::stamp);
            all.addAll(lane.body.values());
            lane.retry.clear();
            lane.body.clear();
            lane.progressByTask.clear();
            if (!lane.inFlight) {
                it.remove();
            }
        }
        waiting = 0;
        return all;
    }

    /** Stamps {@code e} as the next entry of its run on this path, unless it already is (a retry, a restored entry). */
    void stamp(PendingEntry e) {
        if (!e.stamped()) {
            e.stamp(path.next(
                    e.runId, e.sequence, EventType.fromWireName(e.detailType), e.isProgress() ? e.superseded : 0));
        }
    }

    private long holdUntil(PendingEntry e, boolean last) {
        if (!e.isProgress() || !last || minIntervalMillis == 0) {
            return Long.MIN_VALUE;
        }
        Long sent = lastProgressSent.get(key(e));
        return sent == null ? Long.MIN_VALUE : sent + minIntervalMillis;
    }

    private void rememberSent(PendingEntry e, long now) {
        if (minIntervalMillis == 0) {
            return;
        }
        if (lastProgressSent.size() >= MAX_TRACKED_TASKS) {
            // Only a rate hint: forgetting it lets a few progress entries out early, nothing more.
            lastProgressSent.clear();
        }
        lastProgressSent.put(key(e), now);
    }

    private static String key(PendingEntry e) {
        return e.runId + '\u0000' + e.taskId;
    }

    private static PendingEntry first(LinkedHashMap<Long, PendingEntry> body) {
        return body.values().iterator().next();
    }
}

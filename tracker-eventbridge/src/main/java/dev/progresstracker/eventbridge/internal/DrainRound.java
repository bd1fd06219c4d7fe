package dev.progresstracker.eventbridge.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round of draining the outbox: a window read from its head is sent in waves of parallel calls;
 * entries to retry go back in front of what is left (in outbox order), and the next wave starts when
 * every call of this one is answered. The window is acknowledged once every entry in it is accepted
 * or dead-lettered, and only then is the next window read, so no entry of a run overtakes an earlier
 * one across rounds. Not thread-safe: guarded by the publisher's monitor.
 */
final class DrainRound {
    private final int windowSize;
    private final Map<PendingEntry, Integer> position = new IdentityHashMap<>();
    private final List<PendingEntry> toSend;
    private final List<PendingEntry> retries = new ArrayList<>();
    private int callsInFlight;

    DrainRound(List<PendingEntry> window) {
        this.windowSize = window.size();
        for (int i = 0; i < window.size(); i++) {
            position.put(window.get(i), i);
        }
        this.toSend = new ArrayList<>(window);
    }

    int windowSize() {
        return windowSize;
    }

    boolean waveInFlight() {
        return callsInFlight > 0;
    }

    /** True once every entry of the window is accepted or dead-lettered. */
    boolean done() {
        return callsInFlight == 0 && toSend.isEmpty() && retries.isEmpty();
    }

    /**
     * The next wave: up to {@code maxCalls} batches from the head of what is left (each at most
     * {@code maxEntries} entries and {@code maxBytes} bytes, an entry larger than that alone).
     */
    List<List<PendingEntry>> nextWave(int maxCalls, int maxEntries, long maxBytes) {
        List<List<PendingEntry>> wave = new ArrayList<>();
        int i = 0;
        while (wave.size() < maxCalls && i < toSend.size()) {
            List<PendingEntry> batch = new ArrayList<>(maxEntries);
            long bytes = 0;
            while (i < toSend.size() && batch.size() < maxEntries) {
                PendingEntry e = toSend.get(i);
                if (!batch.isEmpty() && bytes + e.size() > maxBytes) {
                    break;
                }
                batch.add(e);
                bytes += e.size();
                i++;
            }
            wave.add(batch);
        }
        toSend.subList(0, i).clear();
        callsInFlight += wave.size();
        return wave;
    }

    /** Books one answered call of the wave; its {@code retry} entries go out again before the rest. */
    void answered(List<PendingEntry> retry) {
        callsInFlight--;
        retries.addAll(retry);
        if (callsInFlight == 0 && !retries.isEmpty()) {
            toSend.addAll(retries);
            retries.clear();
            toSend.sort(Comparator.comparingInt(position::get));
        }
    }
}

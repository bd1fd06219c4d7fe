package dev.progresstracker.benchmarks.websocket;

import dev.progresstracker.benchmarks.websocket.internal.Connection;
import dev.progresstracker.benchmarks.websocket.internal.EventScanner;
import dev.progresstracker.benchmarks.websocket.internal.LightClient;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the load driver's clients receive, by phase: a phase is a range of event sequences, so an
 * event emitted in phase 1 and read after phase 2 began still counts for phase 1. The stalled client
 * is not recorded (it reads nothing once stalled). Every {@value #SAMPLE_EVERY}th event message is
 * also read with {@link WireFormat}, and its sequence and time compared with the scanner's.
 */
final class LoadRecorder implements LightClient.Listener {

    static final int PHASES = 3; // 0 = warm-up, 1 = healthy only, 2 = with the stalled client
    private static final long SAMPLE_EVERY = 10_007; // prime: samples spread over clients and tasks

    /**
     * One set of histograms per selector thread, merged when read: shared atomic counters updated a
     * million times a second by two threads cost the clients more CPU than the server they measure.
     */
    private final List<LatencyHistogram[]> perThread = new CopyOnWriteArrayList<>();
    private final ThreadLocal<LatencyHistogram[]> latency = ThreadLocal.withInitial(() -> {
        LatencyHistogram[] h = new LatencyHistogram[PHASES];
        for (int i = 0; i < PHASES; i++) {
            h[i] = new LatencyHistogram();
        }
        perThread.add(h);
        return h;
    });
    private final LongAdder[] received = new LongAdder[PHASES];
    /** First sequence of phases 1 and 2; Long.MAX_VALUE until the phase begins. */
    private volatile long firstOfPhase1 = Long.MAX_VALUE;
    private volatile long firstOfPhase2 = Long.MAX_VALUE;
    final LongAdder malformed = new LongAdder();
    final LongAdder verified = new LongAdder();
    final LongAdder mismatches = new LongAdder();
    private volatile int stalledId = -1;

    LoadRecorder() {
        for (int i = 0; i < PHASES; i++) {
            received[i] = new LongAdder();
        }
    }

    /** Events with {@code sequence >= first} belong to {@code phase} (called before it emits). */
    void beginPhase(int phase, long first) {
        if (phase == 1) {
            firstOfPhase1 = first;
        } else if (phase == 2) {
            firstOfPhase2 = first;
        } else {
            throw new IllegalArgumentException("phase must be 1 or 2, got " + phase);
        }
    }

    void stalled(Connection c) {
        stalledId = c.id();
    }

    private int phaseOf(long sequence) {
        return sequence >= firstOfPhase2 ? 2 : sequence >= firstOfPhase1 ? 1 : 0;
    }

    @Override
    public void onEvent(Connection c, long sequence, long timeMicros, long receivedMicros) {
        if (c.id() == stalledId) {
            return;
        }
        int p = phaseOf(sequence);
        latency.get()[p].recordMicros(receivedMicros - timeMicros);
        received[p].increment();
    }

    @Override
    public void onText(Connection c, byte[] a, int off, int len, int kind) {
        if (kind == EventScanner.MALFORMED) {
            malformed.increment();
            return;
        }
        // Sampled by the connection's own event count, offset per connection: no shared counter.
        if (kind != EventScanner.EVENT || (c.events() + c.id()) % SAMPLE_EVERY != 0) {
            return;
        }
        EventScanner scanner = new EventScanner();
        scanner.scan(a, off, len);
        try {
            ProgressEvent e = WireFormat.readEvent(WireFormat.mapper().readTree(
                    new String(a, off, len, StandardCharsets.UTF_8)).get("event"));
            long micros = e.header().time().getEpochSecond() * 1_000_000L + e.header().time().getNano() / 1000;
            if (e.sequence() == scanner.sequence() && micros == scanner.timeMicros()) {
                verified.increment();
            } else {
                mismatches.increment();
            }
        } catch (IOException | RuntimeException ex) {
            mismatches.increment();
        }
    }

    /** Phase {@code phase}'s latencies over every selector thread (read after the phase). */
    LatencyHistogram latency(int phase) {
        LatencyHistogram all = new LatencyHistogram();
        for (LatencyHistogram[] h : perThread) {
            all.add(h[phase]);
        }
        return all;
    }

    long received(int phase) {
        return received[phase].sum();
    }
}

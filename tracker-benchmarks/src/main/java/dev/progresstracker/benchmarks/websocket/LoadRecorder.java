package dev.progresstracker.benchmarks.websocket;

import dev.progresstracker.benchmarks.websocket.internal.Connection;
import dev.progresstracker.benchmarks.websocket.internal.EventScanner;
import dev.progresstracker.benchmarks.websocket.internal.LightClient;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    /** Per selector thread: the worst latency (µs) of the events emitted in each second since the first phase. */
    private final List<long[]> worstPerSecond = new CopyOnWriteArrayList<>();

    private final ThreadLocal<long[]> worst = ThreadLocal.withInitial(() -> {
        long[] w = new long[TIMELINE_SECONDS];
        worstPerSecond.add(w);
        return w;
    });
    private volatile long timelineStartMicros = Long.MAX_VALUE;
    static final int TIMELINE_SECONDS = 3600;
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
            timelineStartMicros = System.currentTimeMillis() * 1000;
            firstOfPhase1 = first;
        } else if (phase == 2) {
            firstOfPhase2 = first;
        } else {
            throw new IllegalArgumentException("phase must be 1 or 2, got " + phase);
        }
    }

    /**
     * Ends a rehearsal of the phases during the warm-up: events count as warm-up again. The
     * rehearsal runs the recording code's phase-1, phase-2 and stalled-client branches before the
     * measurement, so that the JIT does not recompile (and run slowly) just as a phase begins: that
     * cost the first second of phase 1 up to 0.5 s of latency. Call {@link #clear} once the events
     * of the rehearsal have been read.
     */
    void endRehearsal() {
        firstOfPhase1 = Long.MAX_VALUE;
        firstOfPhase2 = Long.MAX_VALUE;
        stalledId = -1;
        timelineStartMicros = Long.MAX_VALUE;
    }

    /** Forgets everything recorded so far. */
    void clear() {
        for (LatencyHistogram[] h : perThread) {
            for (LatencyHistogram x : h) {
                x.clear();
            }
        }
        for (long[] w : worstPerSecond) {
            Arrays.fill(w, 0);
        }
        for (LongAdder r : received) {
            r.reset();
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
        long micros = receivedMicros - timeMicros;
        latency.get()[p].recordMicros(micros);
        long second = (timeMicros - timelineStartMicros) / 1_000_000;
        if (second >= 0 && second < TIMELINE_SECONDS) {
            long[] w = worst.get();
            if (micros > w[(int) second]) {
                w[(int) second] = micros;
            }
        }
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
            ProgressEvent e = WireFormat.readEvent(WireFormat.reader()
                    .readTree(new String(a, off, len, StandardCharsets.UTF_8))
                    .get("event"));
            long micros = e.header().time().getEpochSecond() * 1_000_000L
                    + e.header().time().getNano() / 1000;
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

    /**
     * The worst latency (ms) of the events emitted in each whole second since phase 1 began, up to
     * {@code seconds}: shows whether a bad p99 is one episode or spread over the run. Read after the
     * clients have drained.
     */
    long[] worstMillisPerSecond(int seconds) {
        long[] out = new long[Math.min(seconds, TIMELINE_SECONDS)];
        for (long[] w : worstPerSecond) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.max(out[i], w[i] / 1000);
            }
        }
        return out;
    }

    long received(int phase) {
        return received[phase].sum();
    }
}

package dev.progresstracker.benchmarks.websocket;

import dev.progresstracker.benchmarks.websocket.internal.Connection;
import dev.progresstracker.benchmarks.websocket.internal.LightClient;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.websocket.WebSocketConfig;
import dev.progresstracker.websocket.WebSocketProgressServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Load driver for the WebSocket server: N clients on loopback follow one run that emits R
 * {@code task.progress} events/s (over 100 tasks). After a warm-up, phase 1 runs T/2 s with healthy
 * clients only; then one more client subscribes and stops reading (64 KiB receive buffer, so the
 * server feels it within a second), and phase 2 runs T/2 s. Prints, per phase, p50/p99/max delivery
 * latency (the event's {@code time} to the client's read), delivered counts, the p99 ratio of phase
 * 2 to phase 1, the server's peak queued bytes, heap, and CPU per thread group.
 *
 * <p>The clients are {@link LightClient}s (raw NIO on {@code clientThreads} selector threads, each
 * pausing 1 ms after a pass over its ready sockets, see {@link LightClient#coalesceReads}), so the
 * measuring side costs less CPU than the server it measures. Server, tracker and clients share one
 * JVM and one clock. Run:
 *
 * <pre>java -cp tracker-benchmarks/target/benchmarks.jar dev.progresstracker.benchmarks.websocket.WebSocketLoadDriver
 *     [clients=1000] [rate=1000] [seconds=60] [clientThreads=1] [warmupSeconds=5]</pre>
 *
 * <p>The warm-up takes at least 6 s: 5 s rehearse the phases and a stalled client, the rest lets
 * the JIT settle (20 s for the figures in docs/performance.md).
 */
public final class WebSocketLoadDriver {

    private static final int TASKS = 100;
    private static final String RUN = "load";
    private static final String SUBSCRIBE = "{\"type\":\"subscribe\",\"runId\":\"" + RUN + "\"}";
    private static final int MAX_PENDING_HANDSHAKES = 64;
    private static final int STALLED_RECEIVE_BUFFER = 64 * 1024;

    private WebSocketLoadDriver() {}

    public static void main(String[] args) throws Exception {
        int clients = arg(args, 0, 1000);
        int rate = arg(args, 1, 1000);
        int seconds = arg(args, 2, 60);
        int clientThreads = arg(args, 3, 1);
        int warmup = arg(args, 4, 5);
        System.out.printf(
                Locale.ROOT,
                "WebSocket load: %d clients, %d events/s, %d s measured (%d s warm-up), "
                        + "%d client selector thread(s), %d cores, load average at start %s%n",
                clients,
                rate,
                seconds,
                warmup,
                clientThreads,
                Runtime.getRuntime().availableProcessors(),
                ResourceSampler.loadAverage());

        InMemoryProgressStore store = new InMemoryProgressStore();
        WebSocketProgressServer server = WebSocketProgressServer.builder()
                .store(store)
                .config(WebSocketConfig.builder()
                        .port(0)
                        .maxConnections(clients + 16)
                        .build())
                .start();
        TrackerFactory factory = TrackerFactory.builder()
                .store(store)
                .sink(server)
                .config(TrackerConfig.builder().allowProgressRegression(true).build())
                .build();
        ProgressTracker tracker = factory.tracker(RUN);
        for (int i = 0; i < TASKS; i++) {
            tracker.addTask("t" + i, "Task " + i, TaskType.UPGRADE_STEP, null);
            tracker.startTask("t" + i);
        }
        tracker.startUpgrade("load");
        tracker.flush(Duration.ofSeconds(10));

        LoadRecorder recorder = new LoadRecorder();
        LightClient client = new LightClient(clientThreads, recorder);
        client.coalesceReads(Duration.ofMillis(1));
        List<Connection> healthy = connectAll(client, server, clients, recorder);
        System.out.printf(
                Locale.ROOT,
                "connected and subscribed: %d (server sees %d)%n",
                healthy.stream().filter(c -> c.otherMessages() >= 2).count(),
                server.connectionCount());

        ResourceSampler sampler = new ResourceSampler(server);
        Emitter emitter = new Emitter(tracker, rate, sampler);
        // The warm-up rehearses the phases early (see LoadRecorder.endRehearsal), with a stalled
        // client that is then dropped, and leaves the rest for the JIT to settle: the first
        // connection reset deoptimizes the JDK's socket read, on the server and in the clients.
        int settle = Math.max(1, warmup - 5);
        emitter.run(1);
        recorder.beginPhase(1, tracker.summary().lastSequence() + 1);
        emitter.run(1);
        Connection rehearsed = connectStalled(client, server, recorder);
        recorder.beginPhase(2, tracker.summary().lastSequence() + 1);
        emitter.run(3);
        rehearsed.abort();
        recorder.endRehearsal();
        emitter.run(settle);
        recorder.clear();

        Map<String, Long> cpu1 = sampler.cpuNanos();
        long[] io1 = ResourceSampler.ioCalls();
        recorder.beginPhase(1, tracker.summary().lastSequence() + 1);
        long sent1 = emitter.run(seconds / 2);
        Map<String, Long> cpu1End = sampler.cpuNanos();
        long[] io1End = ResourceSampler.ioCalls();
        long queued1 = sampler.peakQueuedBytes;
        long heap1 = sampler.peakHeapBytes;
        long live1 = sampler.liveHeapAfterGc();

        Connection stalled = connectStalled(client, server, recorder);
        sampler.peakQueuedBytes = 0;
        sampler.peakHeapBytes = 0;
        Map<String, Long> cpu2 = sampler.cpuNanos();
        long[] io2 = ResourceSampler.ioCalls();
        recorder.beginPhase(2, tracker.summary().lastSequence() + 1);
        long sent2 = emitter.run(seconds - seconds / 2);
        Map<String, Long> cpu2End = sampler.cpuNanos();
        long[] io2End = ResourceSampler.ioCalls();
        long last = tracker.summary().lastSequence();
        // Let healthy clients drain; their last event may be later than the loop's end.
        await(
                () -> healthy.stream().allMatch(c -> c.lastSequence() >= last || c.state() == Connection.State.CLOSED),
                10);
        long live2 = sampler.liveHeapAfterGc();

        report(
                recorder,
                healthy,
                stalled,
                server,
                sampler,
                clients,
                rate,
                sent1,
                sent2,
                emitter,
                queued1,
                heap1,
                live1,
                live2,
                new String[] {ResourceSampler.cpuDelta(cpu1End, cpu1), ResourceSampler.cpuDelta(cpu2End, cpu2)},
                new long[][] {delta(io1End, io1), delta(io2End, io2)},
                new long[] {
                    cpu1End.getOrDefault("process", 0L) - cpu1.getOrDefault("process", 0L),
                    cpu2End.getOrDefault("process", 0L) - cpu2.getOrDefault("process", 0L)
                });
        client.close();
        tracker.close();
        factory.close();
        System.exit(0);
    }

    private static void report(
            LoadRecorder r,
            List<Connection> healthy,
            Connection stalled,
            WebSocketProgressServer server,
            ResourceSampler sampler,
            int clients,
            int rate,
            long sent1,
            long sent2,
            Emitter emitter,
            long queued1,
            long heap1,
            long live1,
            long live2,
            String[] cpu,
            long[][] io,
            long[] processCpu) {
        System.out.printf(
                Locale.ROOT,
                "emitted: phase 1 %d, phase 2 %d events (target %d/s, achieved %.0f/s)%n",
                sent1,
                sent2,
                rate,
                emitter.achievedRate());
        for (int p = 1; p <= 2; p++) {
            LatencyHistogram h = r.latency(p);
            long sent = p == 1 ? sent1 : sent2;
            long expected = sent * clients;
            System.out.printf(
                    Locale.ROOT,
                    "phase %d (%s): p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.1f ms  "
                            + "delivered %d of %d (%.2f%%)%n",
                    p,
                    p == 1 ? "healthy only" : "+1 stalled client",
                    h.quantileMillis(0.50),
                    h.quantileMillis(0.99),
                    h.quantileMillis(0.999),
                    h.maxMillis(),
                    r.received(p),
                    expected,
                    100.0 * r.received(p) / expected);
        }
        System.out.println("worst latency per second since phase 1 began (ms): "
                + Arrays.stream(r.worstMillisPerSecond((int) ((sent1 + sent2 + rate - 1) / rate)))
                        .mapToObj(Long::toString)
                        .collect(Collectors.joining(" ")));
        System.out.printf(
                Locale.ROOT,
                "p99 ratio phase 2 / phase 1: %.2f   p50 ratio: %.2f%n",
                r.latency(2).quantileMillis(0.99) / r.latency(1).quantileMillis(0.99),
                r.latency(2).quantileMillis(0.50) / r.latency(1).quantileMillis(0.50));
        double worstP99 =
                Math.max(r.latency(1).quantileMillis(0.99), r.latency(2).quantileMillis(0.99));
        System.out.printf(
                Locale.ROOT,
                "target p99 <= 100 ms in both phases: %s (worst p99 %.2f ms)%n",
                worstP99 <= 100 ? "MET" : "NOT MET",
                worstP99);
        long skipped = healthy.stream().mapToLong(Connection::skipped).sum();
        long disorder = healthy.stream().mapToLong(Connection::outOfOrder).sum();
        long minEvents = healthy.stream().mapToLong(Connection::events).min().orElse(0);
        long maxEvents = healthy.stream().mapToLong(Connection::events).max().orElse(0);
        long closedHealthy = healthy.stream()
                .filter(c -> c.state() == Connection.State.CLOSED)
                .count();
        System.out.printf(
                Locale.ROOT,
                "healthy clients: events per client %d..%d, skipped (conflated) %d, out of order %d, " + "closed %d%n",
                minEvents,
                maxEvents,
                skipped,
                disorder,
                closedHealthy);
        System.out.printf(
                Locale.ROOT,
                "stalled client: state %s, close code %d %s; server: closed slow %d, conflated %d, "
                        + "messages out %d%n",
                stalled.state(),
                stalled.closeCode(),
                stalled.closeReason(),
                server.counters().closedSlow.sum(),
                server.counters().conflated.sum(),
                server.counters().messagesOut.sum());
        System.out.printf(
                Locale.ROOT,
                "server queued bytes peak: phase 1 %.1f KiB, phase 2 %.1f KiB (limit per client %d KiB)%n",
                queued1 / 1024.0,
                sampler.peakQueuedBytes / 1024.0,
                server.config().sendBufferBytes() / 1024);
        System.out.printf(
                Locale.ROOT,
                "heap (whole JVM: server, tracker and clients): peak %.0f / %.0f MiB, "
                        + "live after GC %.0f / %.0f MiB (phase 1 / phase 2)%n",
                heap1 / 1048576.0,
                sampler.peakHeapBytes / 1048576.0,
                live1 / 1048576.0,
                live2 / 1048576.0);
        for (int p = 1; p <= 2; p++) {
            long frames = Math.max(1, r.received(p));
            System.out.printf(Locale.ROOT, "CPU phase %d: %s%n", p, cpu[p - 1]);
            long ticks = io[p - 1][2] + io[p - 1][3];
            System.out.printf(
                    Locale.ROOT,
                    "  per delivered event: %.2f µs process CPU (%.0f%% of it in the kernel), "
                            + "%.3f read and %.3f write system calls%n",
                    processCpu[p - 1] / 1e3 / frames,
                    ticks > 0 ? 100.0 * io[p - 1][3] / ticks : Double.NaN,
                    (double) io[p - 1][0] / frames,
                    (double) io[p - 1][1] / frames);
        }
        System.out.printf(
                Locale.ROOT,
                "event frames checked against WireFormat: %d, mismatches %d, unreadable %d%n",
                r.verified.sum(),
                r.mismatches.sum(),
                r.malformed.sum());
        System.out.println("load average at end: " + ResourceSampler.loadAverage());
    }

    /** A client that takes its snapshot and then never reads again, with a small receive buffer. */
    private static Connection connectStalled(LightClient client, WebSocketProgressServer server, LoadRecorder recorder)
            throws Exception {
        Connection stalled = client.connect(server.uri(), Map.of(), SUBSCRIBE, STALLED_RECEIVE_BUFFER);
        recorder.stalled(stalled);
        await(() -> stalled.otherMessages() >= 2, 30);
        stalled.stall();
        return stalled;
    }

    /** Connects {@code n} clients, at most {@value #MAX_PENDING_HANDSHAKES} handshakes at a time, and waits for their snapshots. */
    private static List<Connection> connectAll(
            LightClient client, WebSocketProgressServer server, int n, LoadRecorder recorder) throws Exception {
        List<Connection> conns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            while (pending(conns) >= MAX_PENDING_HANDSHAKES) {
                Thread.sleep(1);
            }
            conns.add(client.connect(server.uri(), Map.of(), SUBSCRIBE, 0));
        }
        await(() -> pending(conns) == 0, 60);
        long failed =
                conns.stream().filter(c -> c.state() == Connection.State.CLOSED).count();
        if (failed > 0) {
            Connection f = conns.stream()
                    .filter(c -> c.state() == Connection.State.CLOSED)
                    .findFirst()
                    .orElseThrow();
            throw new IllegalStateException(
                    failed + " clients failed to connect, e.g. " + f.closeCode() + " " + f.closeReason(), f.error());
        }
        return conns;
    }

    /** Connections that have not yet got their snapshot (hello + snapshot = 2 messages) and are not closed. */
    private static long pending(List<Connection> conns) {
        return conns.stream()
                .filter(c -> c.otherMessages() < 2 && c.state() != Connection.State.CLOSED)
                .count();
    }

    private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static long[] delta(long[] after, long[] before) {
        long[] d = new long[after.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = after[i] - before[i];
        }
        return d;
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    /** Emits progress events at a fixed rate from the calling thread, sampling resources every 100 ms. */
    private static final class Emitter {
        private final ProgressTracker tracker;
        private final int rate;
        private final ResourceSampler sampler;
        private long emitted;
        private long emittingNanos;
        private long emittedTimed;

        Emitter(ProgressTracker tracker, int rate, ResourceSampler sampler) {
            this.tracker = tracker;
            this.rate = rate;
            this.sampler = sampler;
        }

        long run(int seconds) throws InterruptedException {
            long start = System.nanoTime();
            long total = (long) rate * seconds;
            long done = 0;
            long lastSample = 0;
            while (done < total) {
                long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
                while (done < due) {
                    tracker.updateTaskProgress("t" + (emitted % TASKS), (emitted / TASKS) % 100);
                    emitted++;
                    done++;
                }
                long now = System.nanoTime();
                if (now - lastSample > 100_000_000L) {
                    lastSample = now;
                    sampler.sample();
                }
                Thread.sleep(1);
            }
            emittingNanos += System.nanoTime() - start;
            emittedTimed += done;
            return done;
        }

        double achievedRate() {
            return emittedTimed * 1e9 / emittingNanos;
        }
    }
}

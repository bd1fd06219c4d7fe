package dev.progresstracker.benchmarks.eventbridge;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import dev.progresstracker.eventbridge.EventBridgeSink;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Load driver for the EventBridge sink (moto started from {@code .venv}, see
 * {@code scripts/install-emulator.sh}). Workload: N tasks spread over R runs, each task added,
 * started, 10 progress updates, completed, paced by one caller thread. After a warm-up, each round
 * runs four passes back to back (ratios are taken within a round):
 * <ol>
 *   <li>no sink: caller-side latency baseline;</li>
 *   <li>a sink that does nothing: the core dispatcher's hand-off alone;</li>
 *   <li>EventBridge sink to a stub endpoint in this JVM (real SDK client, instant answers): what the
 *       sink itself costs the caller and the lag the sink itself adds;</li>
 *   <li>EventBridge sink to a moto bus without targets: entries per call, publish lag, call times.</li>
 * </ol>
 * Then one pass with a moto rule routing every lifecycle event to SQS, read concurrently, counting
 * each lifecycle event the tracker emitted at the queue. Summary: median (min–max) over rounds.
 * Args: {@code [tasks=10000] [runs=10] [eventsPerSecond=2000] [sqsTasks=10000] [rounds=3] [sqsEventsPerSecond=eventsPerSecond]}.
 * Exits with 1 if a lifecycle event never arrived at the queue.
 */
public final class EventBridgeLoadDriver {

    static final int PROGRESS_PER_TASK = 10;
    private static final String LAG = "tracker.eventbridge.publish.lag";
    /** Passes of a round besides the baseline (system property {@code eb.passes}); default all. */
    private static final String PASSES = System.getProperty("eb.passes", "noop,stub,moto");

    private final AwsEmulatorExtension moto;
    private final int runs;
    private final Map<String, List<Double>> figures = new LinkedHashMap<>();

    private EventBridgeLoadDriver(AwsEmulatorExtension moto, int runs) {
        this.moto = moto;
        this.runs = runs;
    }

    public static void main(String[] args) throws Exception {
        int tasks = arg(args, 0, 10_000);
        int runs = arg(args, 1, 10);
        int rate = arg(args, 2, 2_000);
        int sqsTasks = arg(args, 3, 10_000);
        int rounds = arg(args, 4, 3);
        int sqsRate = arg(args, 5, rate);
        System.out.printf("load average at start: %s%n", ProcessCounters.loadAverage());
        int exitCode = 0;
        AwsEmulatorExtension moto = AwsEmulatorExtension.moto();
        moto.beforeAll(null);
        try (StubEventBridgeEndpoint stub = new StubEventBridgeEndpoint()) {
            EventBridgeLoadDriver d = new EventBridgeLoadDriver(moto, runs);
            System.out.printf(
                    "workload: %,d tasks over %d runs, %d progress updates each, paced at %,d events/s; "
                            + "%d rounds%n",
                    tasks, runs, PROGRESS_PER_TASK, rate, rounds);
            // Warm-up at 2x the rate: the SDK's request path is large, and a pass that still pays for its JIT
            // compilation (the compiler threads then take most of the CPU) says little about steady state.
            drive(List.of(), tasks, runs, rate * 2, "warmup");
            d.ebPass(stub.endpoint(), "warmup-eb1", tasks, rate * 2, false);
            d.ebPass(stub.endpoint(), "warmup-eb2", tasks, rate * 2, false);
            for (int r = 1; r <= rounds; r++) {
                System.out.printf("-- round %d (load average %s)%n", r, ProcessCounters.loadAverage());
                long[] base = d.callerPass("no sink", List.of(), tasks, rate, "base" + r, null);
                if (PASSES.contains("noop")) {
                    d.callerPass("no-op sink", List.of(new LoadSinks.NoOp()), tasks, rate, "noop" + r, base);
                }
                if (PASSES.contains("busy")) {
                    d.callerPass(
                            "busy no-op sink (5 us per event)",
                            List.of(new LoadSinks.Busy(5_000)),
                            tasks,
                            rate,
                            "busy" + r,
                            base);
                }
                if (PASSES.contains("stub")) {
                    d.ebPass(stub.endpoint(), "stub" + r, tasks, rate, true, base, "EventBridge sink -> stub endpoint");
                }
                if (PASSES.contains("moto")) {
                    d.ebPass(moto.endpoint(), "moto" + r, tasks, rate, true, base, "EventBridge sink -> moto");
                }
            }
            System.out.println("-- summary over rounds: median (min-max)");
            d.figures.forEach((k, v) -> System.out.printf("  %-52s %s%n", k, spread(v)));
            if (sqsTasks > 0 && new SqsPass(moto, runs).run(sqsTasks, sqsRate) > 0) {
                System.out.println("FAILED: lifecycle events lost at the SQS end");
                exitCode = 1;
            }
        } finally {
            moto.stop();
            System.out.printf("load average at end: %s%n", ProcessCounters.loadAverage());
        }
        System.exit(exitCode);
    }

    private long[] callerPass(String label, List<EventSink> sinks, int tasks, int rate, String prefix, long[] base) {
        long[] gc0 = ProcessCounters.gc();
        long cpu0 = ProcessCounters.processCpuNanos();
        long[] lat = drive(sinks, tasks, runs, rate, prefix);
        long[] gc1 = ProcessCounters.gc();
        caller(label, lat, base);
        System.out.printf(
                "  CPU: this JVM %.1f s; GC %d collections, %d ms%n",
                (ProcessCounters.processCpuNanos() - cpu0) / 1e9, gc1[0] - gc0[0], gc1[1] - gc0[1]);
        return lat;
    }

    private void ebPass(URI endpoint, String prefix, int tasks, int rate, boolean report) throws Exception {
        ebPass(endpoint, prefix, tasks, rate, report, null, null);
    }

    private void ebPass(URI endpoint, String prefix, int tasks, int rate, boolean report, long[] base, String label)
            throws Exception {
        SimpleMeterRegistry registry = lagRegistry();
        Path outbox = Files.createTempDirectory("eb-load-outbox");
        String bus = "load-" + prefix;
        EventBridgeConfig config = tuned(EventBridgeConfig.builder())
                .eventBusName(bus)
                .outboxDirectory(outbox)
                .region("us-east-1")
                .endpointOverride(endpoint)
                .build();
        if (endpoint.equals(moto.endpoint())) {
            try (var events = software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder()
                    .endpointOverride(endpoint)
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                    .credentialsProvider(credentials())
                    .build()) {
                events.createEventBus(b -> b.name(bus));
            }
        }
        TimedEventBridgeClient client = new TimedEventBridgeClient(EventBridgeSink.createClient(config, credentials()));
        EventBridgeSink sink = EventBridgeSink.builder(config)
                .client(client)
                .meterRegistry(registry)
                .build();
        long[] gc0 = ProcessCounters.gc();
        long cpu0 = ProcessCounters.processCpuNanos();
        long moto0 = ProcessCounters.motoCpuTicks();
        long[] lat = drive(List.of(sink), tasks, runs, rate, prefix);
        long[] gc1 = ProcessCounters.gc();
        long cpu = ProcessCounters.processCpuNanos() - cpu0;
        long motoCpu = ProcessCounters.motoCpuTicks() - moto0;
        EventBridgeSink.Stats s = sink.stats();
        client.close();
        if (!report) {
            return;
        }
        caller(label, lat, base);
        Timer lag = registry.get(LAG).timer();
        long[] calls = client.sortedNanos();
        System.out.printf(
                "  PutEvents calls %,d, entries %,d -> %.2f entries/call; conflated %,d; retried %,d; failed %,d;"
                        + " outbox %,d%n",
                s.requests(),
                s.published(),
                s.published() / (double) s.requests(),
                s.conflated(),
                s.retried(),
                s.failed(),
                s.outboxDepth());
        System.out.printf(
                "  publish lag p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms, max %.0f ms%n",
                pct(lag, 0.5), pct(lag, 0.99), pct(lag, 0.999), lag.max(TimeUnit.MILLISECONDS));
        long[] waits = client.sortedWaitMillis();
        System.out.printf(
                "  before the call (event time -> call start) p50 %d ms, p99 %d ms, max %d ms%n",
                at(waits, 0.5), at(waits, 0.99), waits.length == 0 ? 0 : waits[waits.length - 1]);
        System.out.printf(
                "  PutEvents call time p50 %.1f ms, p99 %.1f ms, max %.1f ms; at most %d in flight%n",
                at(calls, 0.5) / 1e6,
                at(calls, 0.99) / 1e6,
                calls.length == 0 ? 0 : calls[calls.length - 1] / 1e6,
                client.maxInFlight());
        System.out.printf(
                "  CPU: this JVM %.1f s, moto %.1f s; GC %d collections, %d ms%n",
                cpu / 1e9, motoCpu / 100.0, gc1[0] - gc0[0], gc1[1] - gc0[1]);
        String k = label.substring(label.indexOf("->") + 3);
        add(k + ": entries per call", s.published() / (double) s.requests());
        add(k + ": publish lag p50 ms", pct(lag, 0.5));
        add(k + ": publish lag p99 ms", pct(lag, 0.99));
        add(k + ": publish lag max ms", lag.max(TimeUnit.MILLISECONDS));
        add(k + ": wait before call p99 ms", at(waits, 0.99));
        add(k + ": call time p99 ms", at(calls, 0.99) / 1e6);
    }

    /** Voluntary and involuntary context switches of the caller thread in the last {@link #drive}. */
    static final long[] CALLER_SWITCHES = new long[2];

    /** Runs the workload; returns the caller-side latency of every tracker call in nanoseconds. */
    static long[] drive(List<EventSink> sinks, int tasks, int runs, int rate, String prefix) {
        return drive(sinks, tasks, runs, rate, prefix, i -> {});
    }

    /** As above; {@code beforeTask} gets each task's index first (the SQS pass holds the caller back there). */
    static long[] drive(
            List<EventSink> sinks,
            int tasks,
            int runs,
            int rate,
            String prefix,
            java.util.function.IntConsumer beforeTask) {
        TrackerFactory.Builder fb = TrackerFactory.builder();
        sinks.forEach(fb::sink);
        long[] lat = new long[tasks * (3 + PROGRESS_PER_TASK) + runs * 2];
        int n = 0;
        long[] switches0 = ProcessCounters.contextSwitches();
        try (TrackerFactory f = fb.build()) {
            List<ProgressTracker> trackers = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                ProgressTracker t = f.tracker()
                        .runId(prefix + "-run-" + r)
                        .clusterName("load")
                        .build();
                long s = System.nanoTime();
                t.startUpgrade("load");
                lat[n++] = System.nanoTime() - s;
                trackers.add(t);
            }
            long start = System.nanoTime();
            long events = 0;
            for (int i = 0; i < tasks; i++) {
                beforeTask.accept(i);
                ProgressTracker t = trackers.get(i % runs);
                String id = "t" + i;
                long s = System.nanoTime();
                t.addTask(id, "Task " + i, TaskType.UPGRADE_STEP, null);
                lat[n++] = System.nanoTime() - s;
                s = System.nanoTime();
                t.startTask(id);
                lat[n++] = System.nanoTime() - s;
                for (int p = 1; p <= PROGRESS_PER_TASK; p++) {
                    s = System.nanoTime();
                    t.updateTaskProgress(id, p * 9.0);
                    lat[n++] = System.nanoTime() - s;
                }
                s = System.nanoTime();
                t.completeTask(id);
                lat[n++] = System.nanoTime() - s;
                events += 3 + PROGRESS_PER_TASK;
                long ahead = start + events * 1_000_000_000L / rate - System.nanoTime();
                if (ahead > 0) {
                    LockSupport.parkNanos(ahead);
                }
            }
            for (ProgressTracker t : trackers) {
                long s = System.nanoTime();
                t.completeUpgrade();
                lat[n++] = System.nanoTime() - s;
            }
            long[] switches1 = ProcessCounters.contextSwitches();
            CALLER_SWITCHES[0] = switches1[0] - switches0[0];
            CALLER_SWITCHES[1] = switches1[1] - switches0[1];
            for (ProgressTracker t : trackers) {
                t.flush(Duration.ofMinutes(30));
                t.close();
            }
        }
        return Arrays.copyOf(lat, n);
    }

    private void caller(String label, long[] lat, long[] base) {
        long[] s = lat.clone();
        Arrays.sort(s);
        double p50 = at(s, 0.5) / 1000.0;
        double p99 = at(s, 0.99) / 1000.0;
        System.out.printf(
                "%s: %,d caller calls, latency p50 %.2f us, p90 %.2f us, p99 %.1f us; caller thread "
                        + "switched out %.2f (blocked) + %.2f (preempted) times per call",
                label,
                lat.length,
                p50,
                at(s, 0.9) / 1000.0,
                p99,
                CALLER_SWITCHES[0] / (double) lat.length,
                CALLER_SWITCHES[1] / (double) lat.length);
        if (base != null) {
            long[] b = base.clone();
            Arrays.sort(b);
            double r50 = p50 / (at(b, 0.5) / 1000.0);
            double r99 = p99 / (at(b, 0.99) / 1000.0);
            System.out.printf("  (ratio to no sink: p50 %.2f, p99 %.2f)", r50, r99);
            add(label + ": caller p50 ratio", r50);
            add(label + ": caller p99 ratio", r99);
        } else {
            add(label + ": caller p50 us", p50);
            add(label + ": caller p99 us", p99);
        }
        System.out.println();
    }

    private void add(String key, double v) {
        figures.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
    }

    static String spread(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return String.format("%.2f (%.2f-%.2f)", median, s[0], s[s.length - 1]);
    }

    static long at(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))];
    }

    /** Lag percentiles over the whole pass (Micrometer's default window would keep only the last minutes). */
    private static SimpleMeterRegistry lagRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(LAG)) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentiles(0.5, 0.99, 0.999)
                        .percentilePrecision(2)
                        .expiry(Duration.ofHours(1))
                        .bufferLength(1)
                        .build()
                        .merge(config);
            }
        });
        return registry;
    }

    private static double pct(Timer t, double q) {
        for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
            if (v.percentile() == q) {
                return v.value(TimeUnit.MILLISECONDS);
            }
        }
        return Double.NaN;
    }

    /** Sink settings other than the defaults, from system properties (for experiments; none by default). */
    static EventBridgeConfig.Builder tuned(EventBridgeConfig.Builder b) {
        String v = System.getProperty("eb.maxConcurrentRequests");
        if (v != null) {
            b.maxConcurrentRequests(Integer.parseInt(v));
        }
        v = System.getProperty("eb.maxBatchDelayMillis");
        if (v != null) {
            b.maxBatchDelay(Duration.ofMillis(Long.parseLong(v)));
        }
        return b;
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}

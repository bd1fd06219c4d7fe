package dev.progresstracker.benchmarks.dynamodb;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.dynamodb.DynamoDbProgressStore;
import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import dev.progresstracker.dynamodb.DynamoDbStoreStats;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Load driver for {@code DynamoDbProgressStore} against an emulator (or a real table): sustained
 * updates/s until everything is stored, with coalescing off and on; write units per 1,000 updates;
 * the caller's latency of {@code updateTaskProgress} against the in-memory store in the same run.
 *
 * <pre>
 * java -cp tracker-benchmarks/target/benchmarks.jar dev.progresstracker.benchmarks.dynamodb.DynamoDbStoreLoad \
 *      http://127.0.0.1:PORT [updatesPerRound=8000] [rounds=3]
 * </pre>
 * Prints a summary: median and min–max over the rounds for each mode.
 */
public final class DynamoDbStoreLoad {

    private static final int RUNS = 4;
    private static final int TASKS_PER_RUN = 4;

    private record Round(
            double updatesPerSecond,
            double writeUnitsPer1000,
            double eventsWrittenPer1000,
            double callerMedianMicros,
            double callerP99Micros) {}

    private DynamoDbStoreLoad() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println(
                    "usage: DynamoDbStoreLoad <endpoint, e.g. http://127.0.0.1:5000> [updatesPerRound] [rounds]");
            System.exit(2);
        }
        URI endpoint = URI.create(args[0]);
        int updates = args.length > 1 ? Integer.parseInt(args[1]) : 8_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (DynamoDbAsyncClient client = DynamoDbAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .build()) {
            String[] modes = {"in-memory", "dynamodb, coalescing off", "dynamodb, coalescing 1 s"};
            List<List<Round>> results = new ArrayList<>();
            for (String ignored : modes) {
                results.add(new ArrayList<>());
            }
            run(client, 0, Math.min(updates, 2_000)); // warm-up: JIT, connections
            for (int r = 0; r < rounds; r++) {
                for (int m = 0; m < modes.length; m++) {
                    results.get(m).add(run(client, m, updates));
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%nDynamoDbProgressStore load: %d updates per round (%d runs x %d tasks, "
                            + "%d caller threads), %d rounds, endpoint %s%n",
                    updates,
                    RUNS,
                    TASKS_PER_RUN,
                    RUNS,
                    rounds,
                    endpoint);
            System.out.printf(
                    Locale.ROOT,
                    "%-26s %22s %20s %20s %22s %20s%n",
                    "mode",
                    "updates/s (stored)",
                    "write units/1k upd",
                    "event items/1k upd",
                    "caller median us",
                    "caller p99 us");
            double[] baseMedian = column(results.get(0), Round::callerMedianMicros);
            for (int m = 0; m < modes.length; m++) {
                List<Round> rs = results.get(m);
                System.out.printf(
                        Locale.ROOT,
                        "%-26s %22s %20s %20s %22s %20s%n",
                        modes[m],
                        fmt(column(rs, Round::updatesPerSecond)),
                        fmt(column(rs, Round::writeUnitsPer1000)),
                        fmt(column(rs, Round::eventsWrittenPer1000)),
                        fmt(column(rs, Round::callerMedianMicros)),
                        fmt(column(rs, Round::callerP99Micros)));
            }
            for (int m = 1; m < modes.length; m++) {
                double[] ratio = new double[rounds];
                double[] med = column(results.get(m), Round::callerMedianMicros);
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = med[r] / baseMedian[r];
                }
                System.out.printf(
                        Locale.ROOT, "caller median latency ratio %s / in-memory: %s%n", modes[m], fmt(ratio));
            }
        }
    }

    private static Round run(DynamoDbAsyncClient client, int mode, int updates) throws Exception {
        ProgressStore store;
        DynamoDbProgressStore ddb = null;
        if (mode == 0) {
            store = new InMemoryProgressStore();
        } else {
            String table = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            DynamoDbProgressStore.createTableIfMissing(client, table);
            ddb = DynamoDbProgressStore.builder()
                    .client(client)
                    .config(DynamoDbStoreConfig.builder()
                            .tableName(table)
                            .progressCoalesceInterval(mode == 1 ? Duration.ZERO : Duration.ofSeconds(1))
                            .build())
                    .build();
            store = ddb;
        }
        int perRun = updates / RUNS;
        long[] latencies = new long[perRun * RUNS];
        ExecutorService callers = Executors.newFixedThreadPool(RUNS);
        long start;
        long end;
        try (TrackerFactory factory = TrackerFactory.builder().store(store).build()) {
            List<ProgressTracker> trackers = new ArrayList<>();
            for (int r = 0; r < RUNS; r++) {
                ProgressTracker t =
                        factory.tracker().runId("run-" + r).clusterName("bench").build();
                for (int k = 0; k < TASKS_PER_RUN; k++) {
                    t.addTask("t" + k, "Task " + k, TaskType.UPGRADE_STEP, null);
                    t.startTask("t" + k);
                }
                trackers.add(t);
            }
            trackers.get(0).flush(Duration.ofMinutes(2));
            start = System.nanoTime();
            List<Future<java.util.concurrent.CompletionStage<Long>>> done = new ArrayList<>();
            for (int r = 0; r < RUNS; r++) {
                ProgressTracker t = trackers.get(r);
                int offset = r * perRun;
                done.add(callers.submit(() -> {
                    java.util.concurrent.CompletionStage<Long> last = null;
                    for (int i = 0; i < perRun; i++) {
                        String task = "t" + (i % TASKS_PER_RUN);
                        double percent = Math.min(99.0, (i / TASKS_PER_RUN + 1) * 99.0 / (perRun / TASKS_PER_RUN + 1));
                        long t0 = System.nanoTime();
                        last = t.updateTaskProgress(task, percent, "step " + i, null);
                        latencies[offset + i] = System.nanoTime() - t0;
                    }
                    return last;
                }));
            }
            // A run's last update is stored only after all of its earlier ones: its ack means "all stored".
            for (Future<java.util.concurrent.CompletionStage<Long>> f : done) {
                f.get().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.MINUTES);
            }
            end = System.nanoTime();
            trackers.forEach(ProgressTracker::close);
        } finally {
            callers.shutdownNow();
        }
        Arrays.sort(latencies);
        double seconds = (end - start) / 1e9;
        double total = perRun * RUNS;
        double wcu = 0;
        double written;
        if (ddb != null) {
            DynamoDbStoreStats s = ddb.stats();
            wcu = s.estimatedWriteUnits() * 1000.0 / total;
            written = s.eventsWritten() * 1000.0 / total;
        } else {
            written = 1000;
        }
        return new Round(
                total / seconds,
                wcu,
                written,
                latencies[latencies.length / 2] / 1e3,
                latencies[(int) (latencies.length * 0.99)] / 1e3);
    }

    private interface Field {
        double of(Round r);
    }

    private static double[] column(List<Round> rounds, Field f) {
        return rounds.stream().mapToDouble(f::of).toArray();
    }

    /** Median and min–max. */
    private static String fmt(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, "%.3g (%.3g-%.3g)", median, v[0], v[v.length - 1]);
    }
}

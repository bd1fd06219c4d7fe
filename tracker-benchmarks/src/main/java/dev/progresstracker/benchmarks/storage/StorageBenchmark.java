package dev.progresstracker.benchmarks.storage;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.journal.Durability;
import dev.progresstracker.storage.FileProgressStore;
import dev.progresstracker.storage.FileStoreConfig;
import dev.progresstracker.test.NonClosingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Load driver for {@code FileProgressStore}: acknowledged-durable transitions per second in SYNC mode
 * with 1, 4 and 16 writers; recovery time of a run with a million tasks; bytes on disk and heap per task.
 * Prints median and spread (min..max) of the repetitions.
 *
 * <pre>
 * mvn -B -q -pl tracker-benchmarks -am package -DskipTests
 * java -Xmx4g -cp tracker-benchmarks/target/benchmarks.jar dev.progresstracker.benchmarks.storage.StorageBenchmark [dataDir] [tasks] [all|throughput|recovery]
 * </pre>
 * Recovery lines also give the process CPU time per repetition (all threads, GC included): on a shared
 * machine wall time mostly measures the other load, CPU time what recovery itself costs.
 */
public final class StorageBenchmark {

    private static final int REPS = 3;
    private static final long MEASURE_MS = 3000;
    private static final long WARMUP_MS = 1000;
    private static final TrackerConfig TRACKER =
            TrackerConfig.builder().trackingMode(TrackingMode.BASIC).build();

    private StorageBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "target/storage-bench");
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        String mode = args.length > 2 ? args[2] : "all";
        deleteTree(root);
        System.out.println("tracker-storage benchmark; data in " + root.toAbsolutePath() + "; "
                + Runtime.getRuntime().availableProcessors() + " cpus; java " + System.getProperty("java.version")
                + "; load average "
                + java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        if (!mode.equals("recovery")) {
            throughputAll(root);
        }
        if (!mode.equals("throughput")) {
            recovery(root.resolve("big"), tasks);
        }
        deleteTree(root);
    }

    private static void throughputAll(Path root) throws Exception {
        throughput(root.resolve("tput"), "own run per writer, each waits for its ack", 1, false, 1);
        throughput(root.resolve("tput"), "own run per writer, each waits for its ack", 4, false, 1);
        throughput(root.resolve("tput"), "own run per writer, each waits for its ack", 16, false, 1);
        throughput(root.resolve("tput"), "one shared run, each writer waits for its ack", 16, true, 1);
        throughput(root.resolve("tput"), "own run per writer, up to 32 acks in flight per writer", 16, false, 32);
    }

    // ------------------------------------------------------------------ throughput

    private static void throughput(Path dir, String what, int writers, boolean sharedRun, int window) throws Exception {
        double[] rates = new double[REPS];
        for (int rep = 0; rep < REPS; rep++) {
            deleteTree(dir);
            FileStoreConfig cfg = FileStoreConfig.builder()
                    .directory(dir)
                    .durability(Durability.SYNC)
                    .build();
            try (FileProgressStore store =
                    FileProgressStore.builder().config(cfg).build()) {
                List<ProgressTracker> trackers = new ArrayList<>();
                for (int w = 0; w < (sharedRun ? 1 : writers); w++) {
                    trackers.add(ProgressTracker.builder()
                            .runId("bench-" + w)
                            .store(new NonClosingStore(store))
                            .config(TRACKER)
                            .build());
                }
                LongAdder acks = new LongAdder();
                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch done = new CountDownLatch(writers);
                for (int w = 0; w < writers; w++) {
                    ProgressTracker t = trackers.get(sharedRun ? 0 : w);
                    String prefix = "w" + w + "-";
                    Thread th = new Thread(() -> {
                        try {
                            drive(t, prefix, window, acks, stop);
                        } finally {
                            done.countDown();
                        }
                    });
                    th.setDaemon(true);
                    th.start();
                }
                Thread.sleep(WARMUP_MS);
                long a0 = acks.sum();
                long t0 = System.nanoTime();
                Thread.sleep(MEASURE_MS);
                long a1 = acks.sum();
                long t1 = System.nanoTime();
                stop.set(true);
                done.await();
                for (ProgressTracker t : trackers) {
                    t.close();
                }
                rates[rep] = (a1 - a0) / ((t1 - t0) / 1e9);
            }
        }
        report(String.format("SYNC, %2d writer(s), %s", writers, what), "transitions/s", rates);
    }

    /** add, start, 20 progress updates, complete: 23 transitions per task, each acknowledged as durable. */
    private static void drive(ProgressTracker t, String prefix, int window, LongAdder acks, AtomicBoolean stop) {
        ArrayDeque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
        for (int n = 0; !stop.get(); n++) {
            String id = prefix + n;
            submit(inFlight, t.addTask(id, "Task " + id, TaskType.UPGRADE_STEP, null), window, acks);
            submit(inFlight, t.startTask(id), window, acks);
            for (int p = 5; p <= 100 && !stop.get(); p += 5) {
                submit(inFlight, t.updateTaskProgress(id, p), window, acks);
            }
            submit(inFlight, t.completeTask(id), window, acks);
        }
        while (!inFlight.isEmpty()) {
            inFlight.poll().join();
        }
    }

    private static void submit(
            ArrayDeque<CompletableFuture<Long>> inFlight, CompletionStage<Long> stage, int window, LongAdder acks) {
        CompletableFuture<Long> f = stage.toCompletableFuture();
        f.thenRun(acks::increment);
        inFlight.add(f);
        while (inFlight.size() >= window) {
            inFlight.poll().join();
        }
    }

    // ------------------------------------------------------------------ recovery, size

    private static void recovery(Path dir, int tasks) throws Exception {
        deleteTree(dir);
        FileStoreConfig cfg = FileStoreConfig.builder()
                .directory(dir)
                .durability(Durability.SYNC)
                .build();
        long buildStart = System.nanoTime();
        try (FileProgressStore store = FileProgressStore.builder()
                        .config(cfg.toBuilder().snapshotOnClose(false).build())
                        .build();
                ProgressTracker t = ProgressTracker.builder()
                        .runId("big")
                        .store(new NonClosingStore(store))
                        .config(TRACKER)
                        .build()) {
            List<TaskSpec> batch = new ArrayList<>();
            CompletionStage<Long> last = null;
            for (int i = 0; i < tasks; i++) {
                batch.add(
                        new TaskSpec(String.format("node-%07d", i), "Drain node " + i, TaskType.UPGRADE_STEP, null, 1));
                if (batch.size() == 10_000) {
                    last = t.addTasks(batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                last = t.addTasks(batch);
            }
            t.startUpgrade("drain");
            for (int i = 0; i < 1000; i++) {
                String id = String.format("node-%07d", i);
                t.startTask(id);
                last = t.completeTask(id);
            }
            last.toCompletableFuture().join();
        }
        System.out.printf(
                "built a run of %,d tasks (%,d events) in %.1f s%n",
                tasks, tasks + 2001, (System.nanoTime() - buildStart) / 1e9);
        long journalOnly = bytesUnder(dir);
        System.out.println("on disk after the load (crash recovery = newest snapshot + replay of the rest): "
                + layout(dir.resolve("runs").resolve("big")));
        recoverTimes(
                "recovery after a crash (last periodic snapshot + journal replay), " + tasks + " tasks",
                cfg.toBuilder().snapshotOnClose(false).build(),
                tasks);
        try (FileProgressStore store = FileProgressStore.builder().config(cfg).build()) {
            store.loadRun("big").orElseThrow();
        } // clean close writes a final snapshot
        recoverTimes("recovery after a clean close (final snapshot), " + tasks + " tasks", cfg, tasks);
        long bytes = bytesUnder(dir);
        System.out.printf(
                "disk: %,d bytes after the load = %.0f B/task (journal + snapshots); %,d bytes after a clean"
                        + " close and compaction = %.0f B/task%n",
                journalOnly, journalOnly / (double) tasks, bytes, bytes / (double) tasks);
        heapPerTask(cfg, tasks);
    }

    private static void recoverTimes(String what, FileStoreConfig cfg, int tasks) {
        double[] times = new double[REPS];
        double[] cpu = new double[REPS];
        for (int rep = 0; rep < REPS; rep++) {
            System.gc();
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            try (FileProgressStore store = FileProgressStore.builder()
                    .config(cfg.toBuilder().snapshotOnClose(false).build())
                    .build()) {
                RunState s = store.loadRun("big").orElseThrow();
                times[rep] = (System.nanoTime() - t0) / 1e9;
                cpu[rep] = (processCpuNanos() - c0) / 1e9;
                if (s.tasks().size() != tasks) {
                    throw new IllegalStateException("recovered " + s.tasks().size() + " tasks, expected " + tasks);
                }
            }
        }
        report(what, "s", times);
        report("  process CPU time of those recoveries (all threads, GC included)", "s", cpu);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void heapPerTask(FileStoreConfig cfg, int tasks) throws InterruptedException {
        double[] perTask = new double[REPS];
        for (int rep = 0; rep < REPS; rep++) {
            long before = usedHeap();
            try (FileProgressStore store = FileProgressStore.builder()
                    .config(cfg.toBuilder().snapshotOnClose(false).build())
                    .build()) {
                RunInfo info = store.listRuns().get(0);
                long after = usedHeap();
                perTask[rep] = (after - before) / (double) tasks;
                if (info.lastSequence() == 0) {
                    throw new IllegalStateException("empty run");
                }
            }
        }
        report("heap retained by the store per task (run open, projection in memory)", "B", perTask);
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    // ------------------------------------------------------------------ helpers

    private static void report(String what, String unit, double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        double median = v[v.length / 2];
        System.out.printf(
                "%-95s median %,12.2f %s  (min %,.2f, max %,.2f, n=%d)%n",
                what, median, unit, v[0], v[v.length - 1], v.length);
    }

    /** Snapshot and journal segment file names with their sizes. */
    private static String layout(Path runDir) throws IOException {
        try (Stream<Path> s = Files.list(runDir)) {
            return s.filter(p -> p.getFileName().toString().matches("(snapshot|journal)-.*"))
                    .sorted()
                    .map(p -> p.getFileName() + " (" + p.toFile().length() / (1024 * 1024) + " MiB)")
                    .reduce((a, b) -> a + ", " + b)
                    .orElse("nothing");
        }
    }

    private static long bytesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

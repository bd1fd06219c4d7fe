package dev.progresstracker.benchmarks.core;

import dev.progresstracker.analytics.AdaptiveEstimator;
import dev.progresstracker.analytics.TrackerAnalytics;
import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * CPU time per call of {@code updateTaskProgress} and of the usage verbs, measured in one JVM in
 * interleaved blocks: each round runs every call {@code calls} times on the run of
 * {@link UpdateProgressBenchmark} (10,010 tasks, ENHANCED with its preset, a counting CONFLATE sink),
 * then waits for the channels to drain; the order of the calls rotates from round to round. Per call it reports the caller thread's CPU time and the CPU
 * time of every other thread (store and sink workers, GC, JIT) as ratios to {@code updateTaskProgress}
 * in the same round, median and range over the rounds after two warm-up rounds. Thread CPU time and
 * interleaving make the ratio hold on a loaded machine, where the JMH scores of separate benchmarks
 * drift apart (docs/performance.md).
 *
 * <pre>
 * java -cp tracker-benchmarks/target/benchmarks.jar dev.progresstracker.benchmarks.core.CallCpuDriver [rounds] [calls]
 * </pre>
 */
public final class CallCpuDriver {

    private static final Duration LATENCY = Duration.ofMillis(120);

    private CallCpuDriver() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        ProgressTracker priced = open(
                "bench",
                UsagePricing.builder().model("bench-model", 0.003, 0.015).build());
        ProgressTracker unpriced = open("bench-unpriced", UsagePricing.NONE);
        String[] leaves = leaves();
        Supplier<String> leaf = () -> leaves[ThreadLocalRandom.current().nextInt(leaves.length)];
        Map<String, Runnable> verbs = new LinkedHashMap<>();
        verbs.put(
                "updateTaskProgress",
                () -> priced.updateTaskProgress(
                        leaf.get(), ThreadLocalRandom.current().nextInt(100), null, null));
        verbs.put("recordApiCall", () -> priced.recordApiCall(leaf.get(), CallOutcome.SUCCEEDED, LATENCY));
        verbs.put("recordRateLimit", () -> priced.recordRateLimit(leaf.get(), LATENCY));
        verbs.put("recordUsage priced", () -> priced.recordUsage(leaf.get(), 1200, 300, "bench-model"));
        verbs.put("recordUsage unpriced", () -> unpriced.recordUsage(leaf.get(), 1200, 300, "bench-model"));
        verbs.put(
                "setQuality",
                () -> priced.setQuality(leaf.get(), ThreadLocalRandom.current().nextDouble()));
        verbs.put(
                "updateTaskStage",
                () -> priced.updateTaskStage(
                        leaf.get(), "evict-pods", ThreadLocalRandom.current().nextInt(100)));

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, List<double[]>> perRound = new LinkedHashMap<>(); // {caller ns, others ns}
        System.out.printf(Locale.ROOT, "load %s at the start%n", load());
        List<Map.Entry<String, Runnable>> order = new ArrayList<>(verbs.entrySet());
        for (int r = 0; r < rounds; r++) {
            Collections.rotate(order, 1); // no call always runs right after another one
            for (Map.Entry<String, Runnable> e : order) {
                long caller0 = mx.getCurrentThreadCpuTime();
                long others0 = othersCpu(mx);
                for (int i = 0; i < calls; i++) {
                    e.getValue().run();
                }
                long caller1 = mx.getCurrentThreadCpuTime();
                priced.flush(Duration.ofSeconds(60));
                unpriced.flush(Duration.ofSeconds(60));
                long others1 = othersCpu(mx);
                if (r >= 2) {
                    perRound.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new double[] {
                        (caller1 - caller0) / (double) calls, (others1 - others0) / (double) calls
                    });
                }
            }
        }
        List<double[]> update = perRound.get("updateTaskProgress");
        Map<String, List<double[]>> byCall = new LinkedHashMap<>();
        verbs.keySet().forEach(k -> byCall.put(k, perRound.get(k)));
        System.out.printf(
                Locale.ROOT,
                "%-22s %10s %22s %10s %22s%n",
                "call",
                "caller ns",
                "caller / update (range)",
                "others ns",
                "others / update (range)");
        byCall.forEach((verb, rows) -> {
            List<Double> callerRatio = new ArrayList<>();
            List<Double> othersRatio = new ArrayList<>();
            List<Double> callerNs = new ArrayList<>();
            List<Double> othersNs = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                callerRatio.add(rows.get(i)[0] / update.get(i)[0]);
                othersRatio.add(rows.get(i)[1] / update.get(i)[1]);
                callerNs.add(rows.get(i)[0]);
                othersNs.add(rows.get(i)[1]);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %10.0f %8.2f (%.2f–%.2f) %10.0f %8.2f (%.2f–%.2f)%n",
                    verb,
                    median(callerNs),
                    median(callerRatio),
                    Collections.min(callerRatio),
                    Collections.max(callerRatio),
                    median(othersNs),
                    median(othersRatio),
                    Collections.min(othersRatio),
                    Collections.max(othersRatio));
        });
        System.out.printf(Locale.ROOT, "load %s at the end%n", load());
        priced.close();
        unpriced.close();
    }

    private static ProgressTracker open(String runId, UsagePricing pricing) {
        ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .clusterName("bench")
                .store(new InMemoryProgressStore(1000))
                .sink(new UpdateProgressBenchmark.CountingSink())
                .config(TrackerConfig.builder()
                        .trackingMode(TrackingMode.ENHANCED)
                        .allowProgressRegression(true)
                        .pricing(pricing)
                        .build())
                .analytics(TrackerAnalytics.of(TrackingMode.ENHANCED))
                .etaEstimator(AdaptiveEstimator::new)
                .build();
        List<String> leafIds = new ArrayList<>();
        t.addTasks(UpdateProgressBenchmark.runShape(leafIds));
        t.startUpgrade("bench");
        for (String id : leafIds) {
            t.startTask(id);
        }
        return t;
    }

    private static String[] leaves() {
        List<String> ids = new ArrayList<>();
        UpdateProgressBenchmark.runShape(ids);
        return ids.toArray(String[]::new);
    }

    private static long othersCpu(ThreadMXBean mx) {
        long me = Thread.currentThread().getId();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            long cpu = id == me ? -1 : mx.getThreadCpuTime(id);
            if (cpu > 0) {
                sum += cpu;
            }
        }
        return sum;
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}

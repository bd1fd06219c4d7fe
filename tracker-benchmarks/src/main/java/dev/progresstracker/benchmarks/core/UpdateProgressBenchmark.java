package dev.progresstracker.benchmarks.core;

import dev.progresstracker.analytics.AdaptiveEstimator;
import dev.progresstracker.analytics.TrackerAnalytics;
import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.EventLimits;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.LinearEstimator;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.JsonValues;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Caller-side cost of {@code updateTaskProgress} on a run with 10,000 tasks in a 3-level tree
 * (10 plans × 10 groups × 99 steps = 10,010 tasks), in-memory store and a counting sink attached.
 *
 * <pre>
 * mvn -q -pl tracker-benchmarks -am package -DskipTests
 * java -jar tracker-benchmarks/target/benchmarks.jar UpdateProgressBenchmark -prof gc
 * </pre>
 *
 * {@code mode} defaults to the default tracking mode, with its {@code TrackerAnalytics} preset installed
 * (ENHANCED: adaptive ETA, throughput);
 * {@code -p mode=BASIC,ENHANCED} measures the cost of analytics in one run.
 *
 * <p>The usage verbs ({@code recordApiCall}, {@code recordRateLimit}, {@code recordUsage},
 * {@code setQuality}) and {@code updateTaskStage} are measured on the same run, so their ratio to
 * {@code update1Thread} comes from one run; {@code -p usage=true} gives every task usage totals (and
 * pricing) first, so that {@code update1Thread} measures the hot path with usage recording on:
 * <pre>
 * java -jar tracker-benchmarks/target/benchmarks.jar 'UpdateProgressBenchmark.(update1Thread|record.*|setQuality.*|updateStage.*)' -p usage=false,true
 * </pre>
 * {@code recordUsageUnpriced1Thread} records on a second run of the same shape without pricing.
 * <pre>
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UpdateProgressBenchmark {

    /** A sink that only counts: measures the dispatcher, not a sink's own work. */
    static final class CountingSink implements EventSink {
        final AtomicLong seen = new AtomicLong();

        @Override
        public OverflowPolicy overflowPolicy() {
            return OverflowPolicy.CONFLATE;
        }

        @Override
        public void publish(ProgressEvent event) {
            seen.incrementAndGet();
        }
    }

    @Param({"ENHANCED"})
    public TrackingMode mode;

    /** The ETA estimator (used in ENHANCED and up): {@code adaptive} (the default) or {@code linear}. */
    @Param({"adaptive"})
    public String estimator;

    /** Whether every task carries usage totals (calls, tokens, cost, quality) before measuring. */
    @Param({"false"})
    public boolean usage;

    private static final Duration LATENCY = Duration.ofMillis(120);

    private ProgressTracker tracker;
    /** The same run without pricing, for {@link #recordUsageUnpriced1Thread} (built only when that benchmark runs). */
    private ProgressTracker unpriced;

    private String[] leaves;

    @Setup(Level.Trial)
    public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) {
        tracker = open(
                "bench",
                UsagePricing.builder().model("bench-model", 0.003, 0.015).build());
        if (params.getBenchmark().endsWith("Unpriced1Thread")) {
            unpriced = open("bench-unpriced", UsagePricing.NONE);
        }
    }

    private ProgressTracker open(String runId, UsagePricing pricing) {
        ProgressTracker tracker = ProgressTracker.builder()
                .runId(runId)
                .clusterName("bench")
                .store(new InMemoryProgressStore(1000))
                .sink(new CountingSink())
                .config(TrackerConfig.builder()
                        .trackingMode(mode)
                        .allowProgressRegression(true)
                        .pricing(pricing)
                        .build())
                .analytics(TrackerAnalytics.of(mode))
                .etaEstimator(this::estimator)
                .build();
        List<String> leafIds = new ArrayList<>();
        tracker.addTasks(runShape(leafIds));
        tracker.startUpgrade("bench");
        for (String id : leafIds) {
            tracker.startTask(id);
            if (usage) {
                tracker.recordApiCall(id, CallOutcome.SUCCEEDED, LATENCY);
                tracker.recordUsage(id, 1200, 300, "bench-model");
                tracker.setQuality(id, 0.9);
            }
        }
        leaves = leafIds.toArray(String[]::new);
        tracker.flush(Duration.ofSeconds(60));
        return tracker;
    }

    /** The benchmark run's tasks: 10 plans × 10 groups × 99 steps, parents first; the step ids go to {@code leafIds}. */
    static List<TaskSpec> runShape(List<String> leafIds) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            String plan = "plan-" + p;
            specs.add(TaskSpec.of(plan, plan, TaskType.UPGRADE_PLAN));
            for (int g = 0; g < 10; g++) {
                String group = plan + "-g" + g;
                specs.add(TaskSpec.child(plan, group, group, TaskType.UPGRADE_PLAN));
                for (int s = 0; s < 99; s++) {
                    String step = group + "-s" + s;
                    specs.add(TaskSpec.child(group, step, step, TaskType.UPGRADE_STEP));
                    leafIds.add(step);
                }
            }
        }
        return specs;
    }

    private EtaEstimator estimator() {
        switch (estimator) {
            case "adaptive":
                return new AdaptiveEstimator();
            case "linear":
                return new LinearEstimator();
            default:
                throw new IllegalArgumentException("estimator must be adaptive or linear, got " + estimator);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tracker.close();
        if (unpriced != null) {
            unpriced.close();
        }
    }

    @Benchmark
    @Threads(1)
    public Object update1Thread() {
        return update();
    }

    @Benchmark
    @Threads(2)
    public Object update2Threads() {
        return update();
    }

    /**
     * The hot-path call as the upgrade agent makes it: a message and a small details map (six entries,
     * one nested map, one list). With {@link #checkDetails} and {@link #copyDetailsUnchecked} in the
     * same run this gives the share of the call spent on the call-site checks ({@code EventLimits}).
     */
    @Benchmark
    @Threads(1)
    public Object updateWithDetails1Thread() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return tracker.updateTaskProgress(leaves[r.nextInt(leaves.length)], r.nextInt(100), "draining", DETAILS);
    }

    /** The call-site check and copy of {@link #DETAILS} alone (what {@code updateTaskProgress} runs on them). */
    @Benchmark
    @Threads(1)
    public Object checkDetails() {
        return LIMITS.checkDetails(DETAILS);
    }

    /** A plain validating deep copy of the same details (what the tracker did before the limits). */
    @Benchmark
    @Threads(1)
    public Object copyDetailsUnchecked() {
        return JsonValues.immutableCopy(DETAILS, "details");
    }

    private static final EventLimits LIMITS = EventLimits.defaults();
    private static final Map<String, Object> DETAILS = Map.of(
            "nodeGroup",
            "ng-system-eu-west-1a",
            "nodesTotal",
            12,
            "nodesDrained",
            5,
            "podsEvicted",
            List.of("coredns-6d4b75cb6d-x2v9q", "aws-node-7hj2k", "ebs-csi-controller-0"),
            "pdb",
            Map.of("name", "web-pdb", "allowedDisruptions", 1),
            "elapsedSeconds",
            418.25);

    @Benchmark
    @Threads(1)
    public Object recordApiCall1Thread() {
        return tracker.recordApiCall(leaf(), CallOutcome.SUCCEEDED, LATENCY);
    }

    @Benchmark
    @Threads(1)
    public Object recordRateLimit1Thread() {
        return tracker.recordRateLimit(leaf(), LATENCY);
    }

    @Benchmark
    @Threads(1)
    public Object recordUsage1Thread() {
        return tracker.recordUsage(leaf(), 1200, 300, "bench-model");
    }

    /** {@code recordUsage} on a run without pricing: tokens counted, no cost. */
    @Benchmark
    @Threads(1)
    public Object recordUsageUnpriced1Thread() {
        return unpriced.recordUsage(leaf(), 1200, 300, "bench-model");
    }

    @Benchmark
    @Threads(1)
    public Object setQuality1Thread() {
        return tracker.setQuality(leaf(), ThreadLocalRandom.current().nextDouble());
    }

    @Benchmark
    @Threads(1)
    public Object updateStage1Thread() {
        return tracker.updateTaskStage(
                leaf(), "evict-pods", ThreadLocalRandom.current().nextInt(100));
    }

    private String leaf() {
        return leaves[ThreadLocalRandom.current().nextInt(leaves.length)];
    }

    private Object update() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return tracker.updateTaskProgress(leaves[r.nextInt(leaves.length)], r.nextInt(100), null, null);
    }
}

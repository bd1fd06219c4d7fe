package dev.progresstracker.benchmarks.analytics;

import dev.progresstracker.analytics.AnalyticsConfig;
import dev.progresstracker.analytics.TrackerAnalytics;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hot-path cost of {@code updateTaskProgress} per tracking mode, in one run so the ratios compare
 * like with like: a tracker with the in-memory store and no sinks, 64 running tasks of 4 types
 * with completed history, the adaptive estimator, the clock moving 100 ms per update. MINIMAL
 * emits nothing for progress, BASIC emits, ENHANCED adds ETA and throughput, COMPREHENSIVE adds
 * alert evaluation. Run: {@code java -jar tracker-benchmarks/target/benchmarks.jar TrackingModeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrackingModeBenchmark {

    private static final int TASKS = 64;

    @Param({"MINIMAL", "BASIC", "ENHANCED", "COMPREHENSIVE"})
    public TrackingMode mode;

    private ProgressTracker tracker;
    private MutableClock clock;
    private final double[] percent = new double[TASKS];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        clock = MutableClock.at("2026-11-23T10:00:00Z");
        tracker = ProgressTracker.builder()
                .runId("bench-" + mode)
                .clock(clock)
                .config(TrackerConfig.builder()
                        .trackingMode(mode)
                        .allowProgressRegression(true)
                        .build())
                .analytics(TrackerAnalytics.of(
                        mode,
                        AnalyticsConfig.builder()
                                .evaluationInterval(Duration.ZERO)
                                .build()))
                .build();
        List<TaskSpec> specs = new ArrayList<>();
        String[] types = {"UPGRADE_STEP", "VALIDATION", "NODE_GROUP", "ADDON"};
        for (int i = 0; i < TASKS * 2; i++) {
            specs.add(TaskSpec.of("t" + i, "Task " + i, TaskType.of(types[i % types.length])));
        }
        tracker.addTasks(specs);
        tracker.startUpgrade("bench");
        for (int i = TASKS; i < TASKS * 2; i++) { // history: half the tasks completed
            tracker.startTask("t" + i);
            clock.advance(Duration.ofSeconds(5));
            tracker.completeTask("t" + i);
        }
        for (int i = 0; i < TASKS; i++) {
            tracker.startTask("t" + i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tracker.close();
    }

    @Benchmark
    public Object updateProgress() {
        int i = next;
        next = (next + 1) % TASKS;
        double p = percent[i] + 0.01;
        percent[i] = p >= 99 ? 0 : p;
        clock.advance(Duration.ofMillis(100));
        return tracker.updateTaskProgress("t" + i, percent[i], null, Map.of("items", (int) percent[i]));
    }
}

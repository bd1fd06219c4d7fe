package dev.progresstracker.benchmarks.callbacks;

import dev.progresstracker.callbacks.CallbackConfig;
import dev.progresstracker.callbacks.CallbackManager;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * What callbacks cost the caller: {@code updateTaskProgress} on a tracker whose sinks include a
 * {@link CallbackManager} with 0 or 50 listeners, each receiving every event. Compare the scores of
 * one run (ratio); absolute numbers depend on the machine.
 *
 * <p>{@code paced}: the caller waits {@value #PACE_MICROS} µs between updates (an agent doing real
 * work; 10,000 updates/s, i.e. 500,000 listener calls/s with 50 listeners) and each call is timed
 * (SampleTime: median, p99). {@code flatOut}: updates back to back, so callbacks and caller compete
 * for every core; the caller then also waits for the store queue (BLOCK) when the store thread is
 * starved of CPU.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CallerLatencyBenchmark {

    @Param({"0", "50"})
    public int listeners;

    private CallbackManager manager;
    private ProgressTracker tracker;
    private final LongAdder delivered = new LongAdder();
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        manager = CallbackManager.create(CallbackConfig.defaults());
        for (int n = 0; n < listeners; n++) {
            manager.register("l" + n, e -> true, e -> delivered.increment());
        }
        tracker = ProgressTracker.builder()
                .runId("bench-callbacks")
                .sink(manager)
                .config(TrackerConfig.builder().allowProgressRegression(true).build())
                .build();
        tracker.addTask("t", "t", TaskType.UPGRADE_STEP, null);
        tracker.startTask("t");
    }

    static final long PACE_MICROS = 100;

    @Benchmark
    public CompletionStage<Long> flatOut() {
        return tracker.updateTaskProgress("t", (i++ & 63));
    }

    /** Between two timed calls (excluded from the measurement): the caller is busy elsewhere. */
    @State(Scope.Thread)
    public static class Pace {
        @Setup(Level.Invocation)
        public void pause() {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(PACE_MICROS));
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public CompletionStage<Long> paced(Pace pace) {
        return tracker.updateTaskProgress("t", (i++ & 63));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tracker.close();
        System.out.printf(
                "%n[callbacks] listeners=%d delivered=%d stats=%s%n",
                listeners,
                delivered.sum(),
                manager.stats().isEmpty() ? "-" : manager.stats().get(0));
    }

    @TearDown(Level.Iteration)
    public void settle() {
        tracker.flush(Duration.ofSeconds(30));
        manager.awaitIdle(Duration.ofSeconds(30));
    }
}

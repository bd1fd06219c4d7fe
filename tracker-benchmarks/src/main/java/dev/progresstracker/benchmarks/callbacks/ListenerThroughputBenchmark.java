package dev.progresstracker.benchmarks.callbacks;

import dev.progresstracker.callbacks.CallbackConfig;
import dev.progresstracker.callbacks.CallbackManager;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.SampleRuns;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Listener throughput: batches of {@value #BATCH} events published to the manager (as the tracker's
 * sink thread does) and waited for until every listener handled them. Score = events per second
 * through the manager; listener invocations per second = score × listeners.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ListenerThroughputBenchmark {

    static final int BATCH = 10_000;

    @Param({"1", "50"})
    public int listeners;

    private CallbackManager manager;
    private ProgressEvent[] events;
    private final LongAdder delivered = new LongAdder();

    @Setup(Level.Trial)
    public void setUp() {
        manager = CallbackManager.create(
                CallbackConfig.builder().listenerQueueCapacity(BATCH * 2).build());
        for (int n = 0; n < listeners; n++) {
            manager.register("l" + n, e -> true, e -> delivered.increment());
        }
        List<ProgressEvent> sample = SampleRuns.upgrade("bench-throughput");
        events = new ProgressEvent[BATCH];
        for (int k = 0; k < BATCH; k++) {
            events[k] = sample.get(k % sample.size());
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void publishBatchAndAwait() {
        for (ProgressEvent e : events) {
            manager.publish(e);
        }
        if (!manager.awaitIdle(Duration.ofSeconds(60))) {
            throw new IllegalStateException("listeners did not finish a batch within 60 s");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        long dropped = manager.stats().stream().mapToLong(s -> s.dropped()).sum();
        System.out.printf("%n[callbacks] listeners=%d delivered=%d dropped=%d%n", listeners, delivered.sum(), dropped);
    }
}

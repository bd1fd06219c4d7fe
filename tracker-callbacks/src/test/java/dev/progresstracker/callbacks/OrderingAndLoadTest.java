package dev.progresstracker.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.test.RecordingSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Real trackers updated from many threads: order per listener, and nothing lost by count. */
class OrderingAndLoadTest {

    /** Checks on the listener's own thread that each run's sequence only grows, and counts. */
    private static final class OrderChecker {
        final Map<String, Long> last = new HashMap<>(); // touched by one invocation at a time
        final AtomicLong received = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        volatile boolean concurrent;
        private final java.util.concurrent.atomic.AtomicInteger inside =
                new java.util.concurrent.atomic.AtomicInteger();

        void onEvent(ProgressEvent e) {
            if (inside.incrementAndGet() != 1) {
                concurrent = true;
            }
            Long prev = last.put(e.runId(), e.sequence());
            if (prev != null && prev >= e.sequence()) {
                outOfOrder.incrementAndGet();
            }
            received.incrementAndGet();
            inside.decrementAndGet();
        }
    }

    private static void runAll(int threads, java.util.function.IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                fs.add(pool.submit(() -> work.accept(n)));
            }
            for (Future<?> f : fs) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachListenerSeesEachRunsEventsInSequenceOrderWhileManyThreadsUpdate() throws Exception {
        CallbackManager manager =
                CallbackManager.create(CallbackConfig.builder().threads(4).build());
        List<OrderChecker> checkers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            OrderChecker c = new OrderChecker();
            checkers.add(c);
            manager.register("checker-" + i, e -> true, c::onEvent);
        }
        OrderChecker lifecycle = new OrderChecker();
        manager.when(e -> e.type().isLifecycle(), lifecycle::onEvent);
        RecordingSink reference = new RecordingSink("reference", OverflowPolicy.BLOCK, 1 << 20);
        int runs = 3;
        int threadsPerRun = 4;
        int updates = 500;
        try (TrackerFactory f = TrackerFactory.builder()
                .sink(manager)
                .sink(reference)
                .config(TrackerConfig.builder().allowProgressRegression(true).build())
                .build()) {
            List<ProgressTracker> trackers = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                ProgressTracker t = f.tracker("order-" + r);
                t.startUpgrade("p");
                trackers.add(t);
            }
            runAll(runs * threadsPerRun, n -> {
                ProgressTracker t = trackers.get(n % runs);
                String task = "task-" + n;
                t.addTask(task, task, TaskType.UPGRADE_STEP, null);
                t.startTask(task);
                for (int i = 0; i < updates; i++) {
                    t.updateTaskProgress(task, i % 100, null, null);
                }
                t.completeTask(task);
            });
            for (ProgressTracker t : trackers) {
                t.completeUpgrade();
                assertThat(t.flush(Duration.ofSeconds(30))).isTrue();
            }
            assertThat(manager.awaitIdle(Duration.ofSeconds(30))).isTrue();
            long lifecycleEmitted = reference.events().stream()
                    .filter(e -> e.type().isLifecycle())
                    .count();
            for (OrderChecker c : checkers) {
                assertThat(c.outOfOrder.get()).isZero();
                assertThat(c.concurrent)
                        .as("one invocation at a time per listener")
                        .isFalse();
                assertThat(c.received.get()).isPositive();
            }
            assertThat(lifecycle.outOfOrder.get()).isZero();
            assertThat(lifecycle.received.get()).as("no lifecycle event lost").isEqualTo(lifecycleEmitted);
            trackers.forEach(ProgressTracker::close);
        }
    }

    @Test
    void hundredThousandEventsToFiftyListenersLoseNothing() throws Exception {
        int listeners = 50;
        int threads = 4;
        int perThread = 25_000;
        CallbackManager manager = CallbackManager.create(CallbackConfig.builder()
                .threads(2)
                .sinkQueueCapacity(1 << 18)
                .listenerQueueCapacity(1 << 18)
                .build());
        List<AtomicLong> counts = new ArrayList<>();
        List<AtomicLong> sums = new ArrayList<>();
        for (int i = 0; i < listeners; i++) {
            AtomicLong count = new AtomicLong();
            AtomicLong sum = new AtomicLong();
            counts.add(count);
            sums.add(sum);
            manager.register("l" + i, e -> true, e -> {
                count.incrementAndGet();
                sum.addAndGet(e.sequence());
            });
        }
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("load")
                .sink(manager)
                .config(TrackerConfig.builder().allowProgressRegression(true).build())
                .build()) {
            for (int n = 0; n < threads; n++) {
                t.addTask("t" + n, "t" + n, TaskType.UPGRADE_STEP, null);
                t.startTask("t" + n);
            }
            runAll(threads, n -> {
                for (int i = 0; i < perThread; i++) {
                    t.updateTaskProgress("t" + n, i % 100, null, null);
                }
            });
            assertThat(t.flush(Duration.ofSeconds(60))).isTrue();
            assertThat(manager.awaitIdle(Duration.ofSeconds(60))).isTrue();
            long events = t.snapshot().lastSequence();
            assertThat(events).isEqualTo(2L * threads + (long) threads * perThread);
            long expectedSum = events * (events + 1) / 2;
            for (int i = 0; i < listeners; i++) {
                assertThat(counts.get(i).get())
                        .as("events seen by listener " + i)
                        .isEqualTo(events);
                assertThat(sums.get(i).get())
                        .as("each sequence exactly once, listener " + i)
                        .isEqualTo(expectedSum);
            }
            for (ListenerStats s : manager.stats()) {
                assertThat(s.invocations()).isEqualTo(events);
                assertThat(s.dropped()).isZero();
                assertThat(s.failures()).isZero();
                assertThat(s.pending()).isZero();
            }
        }
    }
}

package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.test.RecordingSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The dispatcher's promises: slow or throwing sinks cost the caller nothing, lifecycle events are never lost. */
class DispatchTest {

    private static long lifecycle(List<ProgressEvent> events) {
        return events.stream().filter(e -> e.type().isLifecycle()).count();
    }

    @Test
    void aStuckSinkNeitherBlocksTheCallerNorLosesLifecycleEvents() {
        RecordingSink stuck = new RecordingSink("stuck", OverflowPolicy.CONFLATE, 64).hold();
        RecordingSink healthy = new RecordingSink("healthy", OverflowPolicy.BLOCK, 1_000_000);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("stuck-sink")
                .sink(stuck)
                .sink(healthy)
                .build()) {
            t.metrics().bindTo(registry);
            for (int i = 0; i < 20; i++) {
                t.addTask("t" + i, "T", TaskType.UPGRADE_STEP, null);
                t.startTask("t" + i);
            }
            // 100,000 progress updates while the stuck sink takes nothing: the caller must get through.
            for (int p = 1; p <= 5000; p++) {
                for (int i = 0; i < 20; i++) {
                    t.updateTaskProgress("t" + i, p / 50.0, null, null);
                }
            }
            for (int i = 0; i < 20; i++) {
                t.completeTask("t" + i);
            }
            assertThat(registry.get("tracker.sink.queue.depth")
                            .tag("sink", "stuck")
                            .gauge()
                            .value())
                    .isLessThanOrEqualTo(64 + 60);
            stuck.release();
            assertThat(t.flush(Duration.ofSeconds(30))).isTrue();
            List<ProgressEvent> got = stuck.events();
            assertThat(lifecycle(got)).isEqualTo(lifecycle(healthy.events())).isEqualTo(60);
            assertThat(got).extracting(ProgressEvent::sequence).isSorted();
            assertThat(got.size()).isLessThan(healthy.events().size());
            assertThat(healthy.events()).hasSize(60 + 100_000);
            double conflated = registry.get("tracker.sink.conflated")
                    .tag("sink", "stuck")
                    .functionCounter()
                    .count();
            double dropped = registry.get("tracker.sink.dropped")
                    .tag("sink", "stuck")
                    .functionCounter()
                    .count();
            assertThat(conflated + dropped + got.size())
                    .isEqualTo(healthy.events().size());
        }
    }

    @Test
    void eventsReachTheSinkWithoutAFlushWhetherItsThreadIsPollingOrAsleep() throws Exception {
        // Sink threads that had work recently poll instead of being signalled; past the active window
        // they sleep and must be signalled. Gaps on both sides of those limits: none may be stranded.
        RecordingSink sink = new RecordingSink("gaps", OverflowPolicy.CONFLATE, 1000);
        long[] gapsMicros = {0, 0, 300, 900, 1_500, 20_000, 49_000, 51_000, 80_000, 250_000, 0, 10};
        try (ProgressTracker t =
                ProgressTracker.builder().runId("wake-gaps").sink(sink).build()) {
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.startTask("a");
            int expected = 2;
            for (int i = 0; i < gapsMicros.length; i++) {
                TimeUnit.MICROSECONDS.sleep(gapsMicros[i]);
                t.updateTaskProgress("a", i + 1.0, null, null);
                expected++;
                int n = expected;
                int gap = i;
                await().pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(1))
                        .atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(sink.events())
                                .as("event %d after a gap of %d us", gap, gapsMicros[gap])
                                .hasSize(n));
            }
        }
    }

    @Test
    void dropOldestProgressKeepsEveryLifecycleEventInOrder() {
        RecordingSink slow = new RecordingSink("slow", OverflowPolicy.DROP_OLDEST_PROGRESS, 16).hold();
        try (ProgressTracker t =
                ProgressTracker.builder().runId("drop").sink(slow).build()) {
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.startTask("a");
            for (int i = 1; i <= 1000; i++) {
                t.updateTaskProgress("a", i / 10.0, null, null);
                if (i % 100 == 0) {
                    t.raiseAlert(new Alert("al-" + i, "test", Alert.Severity.INFO, "m", null));
                }
            }
            t.completeTask("a");
            slow.release();
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            List<ProgressEvent> got = slow.events();
            assertThat(got.stream().filter(e -> e.type() == EventType.ALERT_RAISED))
                    .hasSize(10);
            assertThat(got)
                    .extracting(ProgressEvent::type)
                    .contains(EventType.TASK_ADDED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
            assertThat(got).extracting(ProgressEvent::sequence).isSorted().doesNotHaveDuplicates();
            assertThat(got.size()).isLessThan(100);
        }
    }

    @Test
    void aThrowingSinkIsIsolatedAndCounted() {
        RecordingSink throwing = new RecordingSink("throwing", OverflowPolicy.CONFLATE, 0).failWhen(e -> true);
        RecordingSink healthy = new RecordingSink("healthy", OverflowPolicy.BLOCK, 10_000);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("throwing")
                .sink(throwing)
                .sink(healthy)
                .build()) {
            t.metrics().bindTo(registry);
            t.startUpgrade("p");
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.startTask("a");
            t.completeTask("a");
            t.completeUpgrade();
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(healthy.events()).hasSize(5);
            assertThat(registry.get("tracker.sink.failures")
                            .tag("sink", "throwing")
                            .functionCounter()
                            .count())
                    .isEqualTo(5);
            assertThat(registry.get("tracker.sink.published")
                            .tag("sink", "healthy")
                            .functionCounter()
                            .count())
                    .isEqualTo(5);
        }
    }

    @Test
    void flushAndCloseGiveUpOnAHungSinkAfterTheirTimeout() {
        RecordingSink hung = new RecordingSink("hung", OverflowPolicy.CONFLATE, 0).hold();
        ProgressTracker t = ProgressTracker.builder()
                .runId("hung")
                .sink(hung)
                .config(TrackerConfig.builder()
                        .closeTimeout(Duration.ofMillis(300))
                        .build())
                .build();
        t.startUpgrade("p");
        long start = System.nanoTime();
        assertThat(t.flush(Duration.ofMillis(200))).isFalse();
        t.close();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // Not a performance assertion: only that neither call waits for the hung sink forever.
        assertThat(tookMs).isLessThan(30_000);
        hung.release();
    }

    @Test
    void everySinkSeesSequenceOrderWhileManyThreadsUpdate() throws Exception {
        RecordingSink sink = new RecordingSink("ordered", OverflowPolicy.BLOCK, 1_000_000);
        int threads = 8;
        int tasksPerThread = 50;
        try (ProgressTracker t =
                ProgressTracker.builder().runId("threads").sink(sink).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int th = 0; th < threads; th++) {
                int n = th;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < tasksPerThread; i++) {
                        String id = "t-" + n + "-" + i;
                        t.addTask(id, "T", TaskType.UPGRADE_STEP, null);
                        t.startTask(id);
                        for (int p = 10; p <= 100; p += 10) {
                            t.updateTaskProgress(id, p, null, null);
                        }
                        t.completeTask(id);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(t.flush(Duration.ofSeconds(30))).isTrue();
            List<ProgressEvent> got = sink.events();
            assertThat(got).hasSize(threads * tasksPerThread * 13);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).sequence()).isEqualTo(i + 1);
            }
            assertThat(t.summary().percent()).isEqualTo(100.0);
        }
    }

    @Test
    void minimalModeEmitsLifecycleOnlyButKeepsTheState() {
        RecordingSink sink = new RecordingSink("minimal", OverflowPolicy.BLOCK, 1000);
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("minimal")
                .sink(sink)
                .config(TrackerConfig.builder()
                        .trackingMode(TrackingMode.MINIMAL)
                        .build())
                .build()) {
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.startTask("a");
            t.updateTaskProgress("a", 50, null, null);
            assertThat(t.task("a").percent()).isEqualTo(50.0);
            t.completeTask("a");
            t.flush(Duration.ofSeconds(5));
            assertThat(sink.events())
                    .extracting(ProgressEvent::type)
                    .containsExactly(EventType.TASK_ADDED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
            assertThat(sink.events()).allSatisfy(e -> assertThat(e.run().eta()).isNull());
        }
    }

    @Test
    void aFactoryShareSinksAcrossRunsAndRefusesASecondTrackerForTheSameRun() {
        RecordingSink sink = new RecordingSink("shared", OverflowPolicy.BLOCK, 1000);
        try (TrackerFactory f = TrackerFactory.builder().sink(sink).build()) {
            try (ProgressTracker a = f.tracker("run-a");
                    ProgressTracker b = f.tracker("run-b")) {
                a.startUpgrade("p");
                b.startUpgrade("p");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.tracker("run-a"))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already has an open tracker");
            }
            // closing a factory's tracker flushes but leaves the shared sink open
            assertThat(sink.closed()).isFalse();
            assertThat(sink.events()).extracting(ProgressEvent::runId).containsExactlyInAnyOrder("run-a", "run-b");
            try (ProgressTracker again = f.tracker("run-a")) {
                assertThat(again.summary().lastSequence()).isEqualTo(1);
            }
        }
        assertThat(sink.closed()).isTrue();
    }
}

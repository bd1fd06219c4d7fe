package dev.progresstracker.test;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.EventSink;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link EventSink} must do, observed from the outside world the sink writes to. A
 * sink's test extends this class, supplies {@link #createSink()} and says what reached that world
 * with {@link #delivered(EventSink)}.
 */
public abstract class EventSinkContract {

    /** A new sink, ready to receive events. */
    protected abstract EventSink createSink() throws Exception;

    /**
     * Every event the sink has delivered so far, as its consumers see it (parsed back into events),
     * in the order they arrived.
     */
    protected abstract List<ProgressEvent> delivered(EventSink sink) throws Exception;

    /** How long delivery may take after a flush; default 20 s. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(20);
    }

    private List<ProgressEvent> awaitDelivered(EventSink sink, Supplier<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + deliveryTimeout().toNanos();
        while (!done.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // Read after the condition held: a list read before it may miss what arrived in between.
        return delivered(sink);
    }

    private static List<ProgressEvent> ofRun(List<ProgressEvent> events, String runId) {
        return events.stream().filter(e -> e.runId().equals(runId)).toList();
    }

    private static long lifecycle(List<ProgressEvent> events) {
        return events.stream().filter(e -> e.type().isLifecycle()).count();
    }

    @Test
    void nameIsNotBlank() throws Exception {
        EventSink sink = createSink();
        try {
            assertThat(sink.name()).isNotBlank();
            assertThat(sink.overflowPolicy()).isNotNull();
        } finally {
            sink.close();
        }
    }

    @Test
    void deliversEveryLifecycleEventInSequenceOrderWithTheSameContent() throws Exception {
        EventSink sink = createSink();
        RecordingSink emitted = new RecordingSink("emitted", dev.progresstracker.core.spi.OverflowPolicy.BLOCK, 1 << 20);
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        try (TrackerFactory f = TrackerFactory.builder().sink(sink).sink(emitted).clock(clock).build()) {
            try (ProgressTracker t = f.tracker().runId("contract-1").clusterName("prod-eu").planId("p").build()) {
                SampleRuns.drive(t, clock);
                assertThat(t.flush(deliveryTimeout())).isTrue();
            }
            List<ProgressEvent> all = emitted.events("contract-1");
            long expectedLifecycle = lifecycle(all);
            List<ProgressEvent> got = ofRun(awaitDelivered(sink,
                    () -> lifecycle(ofRun(deliveredQuietly(sink), "contract-1")) >= expectedLifecycle), "contract-1");
            assertThat(lifecycle(got)).as("lifecycle events delivered").isEqualTo(expectedLifecycle);
            assertThat(got).extracting(ProgressEvent::sequence).isSorted().doesNotHaveDuplicates();
            Map<Long, String> byseq = new java.util.HashMap<>();
            // The delivery stamp belongs to each path; everything else is the event as the tracker made it.
            all.forEach(e -> byseq.put(e.sequence(), WireFormat.toJson(e.withDelivery(null))));
            for (ProgressEvent e : got) {
                assertThat(WireFormat.toJson(e.withDelivery(null))).as("content of #" + e.sequence())
                        .isEqualTo(byseq.get(e.sequence()));
            }
            DeliveredStreamCheck.Report report = new DeliveredStreamCheck().addAll(got).report();
            assertThat(report.complete()).as("delivered stream: %s", report).isTrue();
        }
    }

    @Test
    void keepsPerRunOrderWhenManyTrackersShareIt() throws Exception {
        EventSink sink = createSink();
        int runs = 4;
        int tasksPerRun = 25;
        try (TrackerFactory f = TrackerFactory.builder().sink(sink).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(runs);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    String runId = "contract-par-" + r;
                    futures.add(pool.submit(() -> {
                        try (ProgressTracker t = f.tracker(runId)) {
                            t.startUpgrade("p");
                            for (int i = 0; i < tasksPerRun; i++) {
                                String id = "t" + i;
                                t.addTask(id, "Task " + i, TaskType.UPGRADE_STEP, null);
                                t.startTask(id);
                                t.updateTaskProgress(id, 50, null, null);
                                t.completeTask(id);
                            }
                            t.completeUpgrade();
                        }
                        return null;
                    }));
                }
                for (Future<?> fu : futures) {
                    fu.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            long lifecyclePerRun = 2 + tasksPerRun * 3L;
            List<ProgressEvent> got = awaitDelivered(sink, () -> {
                List<ProgressEvent> d = deliveredQuietly(sink);
                for (int r = 0; r < runs; r++) {
                    if (lifecycle(ofRun(d, "contract-par-" + r)) < lifecyclePerRun) {
                        return false;
                    }
                }
                return true;
            });
            for (int r = 0; r < runs; r++) {
                List<ProgressEvent> run = ofRun(got, "contract-par-" + r);
                assertThat(lifecycle(run)).as("lifecycle events of run " + r).isEqualTo(lifecyclePerRun);
                assertThat(run).extracting(ProgressEvent::sequence).isSorted().doesNotHaveDuplicates();
                assertThat(run.get(run.size() - 1).type()).isEqualTo(EventType.UPGRADE_COMPLETED);
            }
        }
    }

    @Test
    void flushReturnsWithinTheTimeout() throws Exception {
        EventSink sink = createSink();
        try (ProgressTracker t = ProgressTracker.builder().runId("contract-flush").sink(sink).build()) {
            t.startUpgrade("p");
            assertThat(t.flush(deliveryTimeout())).isTrue();
        }
    }

    private List<ProgressEvent> deliveredQuietly(EventSink sink) {
        try {
            return delivered(sink);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

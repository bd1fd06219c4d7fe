package dev.progresstracker.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventSink} must do, observed from the outside world the sink writes to. A
 * sink's test extends this class, supplies {@link #createSink()} and says what reached that world
 * with {@link #delivered(EventSink)}.
 *
 * <p>Where a sink's world legitimately differs, it overrides a hook instead of skipping a case:
 * {@link #assertShows} (a world of aggregates, such as metrics, instead of events),
 * {@link #closeDelivers()} (a close that ends its consumers' connections) and
 * {@link #shows(EventSink, ProgressEvent)} (how to tell that one event reached the world).
 */
public abstract class EventSinkContract {

    private static final String FLUSH_RUN = "contract-flush";

    /** A new sink, ready to receive events. */
    protected abstract EventSink createSink() throws Exception;

    /**
     * Every event the sink has delivered so far, as its consumers see it (parsed back into events),
     * in the order they arrived. Used by the default {@link #assertShows} and {@link #shows}; a sink
     * that overrides both need not implement it (the default throws).
     */
    protected List<ProgressEvent> delivered(EventSink sink) throws Exception {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " implements neither delivered(sink) nor assertShows/shows");
    }

    /** How long delivery may take after a flush or a close; default 20 s. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(20);
    }

    /**
     * Waits until the sink's world shows {@code emitted} (every event the tracker made, of one run or
     * several, in sequence order per run) and checks it shows them faithfully. Default, through
     * {@link #delivered}: every lifecycle event once, in sequence order per run, with the content the
     * tracker gave it (the delivery stamp aside), and {@link DeliveredStreamCheck} finds each run's
     * stream complete (progress coalesced on the way is told apart from progress lost). A sink whose
     * world holds aggregates rather than events overrides this with what that world shows of them,
     * for example counters equal to the number of events they count.
     *
     * @param afterOverflow the sink's queue overflowed on the way: unless its policy is
     *                      {@link OverflowPolicy#BLOCK}, progress may have been dropped, so the
     *                      latest progress of a task need not be shown (lifecycle events still must)
     */
    protected void assertShows(EventSink sink, List<ProgressEvent> emitted, boolean afterOverflow) throws Exception {
        Map<String, Long> lifecyclePerRun = new LinkedHashMap<>();
        Map<String, String> content = new HashMap<>();
        for (ProgressEvent e : emitted) {
            if (e.type().isLifecycle()) {
                lifecyclePerRun.merge(e.runId(), 1L, Long::sum);
            }
            content.put(key(e), WireFormat.toJson(e.withDelivery(null)));
        }
        // In this thread: reading a sink's world (a queue, a socket's log) may be slow and must not be cut off.
        await().atMost(deliveryTimeout())
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    List<ProgressEvent> d = delivered(sink);
                    return lifecyclePerRun.entrySet().stream()
                            .allMatch(r -> lifecycle(ofRun(d, r.getKey())) >= r.getValue());
                });
        // Read after the condition held: a list read before it may miss what arrived in between.
        List<ProgressEvent> got = delivered(sink);
        for (Map.Entry<String, Long> run : lifecyclePerRun.entrySet()) {
            List<ProgressEvent> ofRun = ofRun(got, run.getKey());
            assertThat(lifecycle(ofRun))
                    .as("lifecycle events of run %s", run.getKey())
                    .isEqualTo(run.getValue());
            assertThat(ofRun).extracting(ProgressEvent::sequence).isSorted().doesNotHaveDuplicates();
            for (ProgressEvent e : ofRun) {
                assertThat(WireFormat.toJson(e.withDelivery(null)))
                        .as("content of %s #%d", e.runId(), e.sequence())
                        .isEqualTo(content.get(key(e)));
            }
            DeliveredStreamCheck.Report report =
                    new DeliveredStreamCheck().addAll(ofRun).report();
            if (afterOverflow && sink.overflowPolicy() != OverflowPolicy.BLOCK) {
                assertThat(report.missingLifecycle())
                        .as("lifecycle events %s lost", run.getKey())
                        .isEmpty();
                assertThat(report.unverified())
                        .as("unverified stretches of %s", run.getKey())
                        .isEmpty();
                assertThat(report.notStamped())
                        .as("events of %s without delivery stamp", run.getKey())
                        .isEmpty();
            } else {
                assertThat(report.complete())
                        .as("delivered stream of %s: %s", run.getKey(), report)
                        .isTrue();
            }
        }
    }

    /**
     * Whether {@link EventSink#close()} delivers what was published before it; default true. A sink
     * whose close ends its consumers' connections returns false and documents how they catch up
     * (the WebSocket server: clients resume by sequence from another server or the store); the
     * close case then checks that close returns in time and that the sink shows nothing afterwards.
     */
    protected boolean closeDelivers() {
        return true;
    }

    /**
     * Whether the sink's world shows {@code event}; default: {@link #delivered} holds an event with
     * its {@code eventId}. The contract asks it of the last event of a run ({@code upgrade.completed}),
     * published after {@code close}.
     */
    protected boolean shows(EventSink sink, ProgressEvent event) throws Exception {
        return delivered(sink).stream().anyMatch(e -> e.eventId().equals(event.eventId()));
    }

    @Test
    void describesItself() throws Exception {
        EventSink sink = createSink();
        try {
            assertThat(sink.name()).isNotBlank();
            assertThat(sink.overflowPolicy()).isNotNull();
            assertThat(sink.queueCapacity())
                    .as("queue capacity (0 = the tracker's)")
                    .isNotNegative();
        } finally {
            sink.close();
        }
    }

    @Test
    void deliversEveryLifecycleEventInSequenceOrderWithTheSameContent() throws Exception {
        EventSink sink = createSink();
        RecordingSink emitted = new RecordingSink("emitted", OverflowPolicy.BLOCK, 1 << 20);
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        try (TrackerFactory f =
                TrackerFactory.builder().sink(sink).sink(emitted).clock(clock).build()) {
            try (ProgressTracker t = f.tracker()
                    .runId("contract-1")
                    .clusterName("prod-eu")
                    .planId("p")
                    .build()) {
                SampleRuns.drive(t, clock);
                assertThat(t.flush(deliveryTimeout())).isTrue();
            }
            assertShows(sink, emitted.events("contract-1"), false);
        }
    }

    @Test
    void keepsPerRunOrderWhenManyTrackersShareIt() throws Exception {
        EventSink sink = createSink();
        RecordingSink emitted = new RecordingSink("emitted", OverflowPolicy.BLOCK, 1 << 20);
        int runs = 4;
        try (TrackerFactory f =
                TrackerFactory.builder().sink(sink).sink(emitted).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(runs);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    String runId = "contract-par-" + r;
                    futures.add(pool.submit(() -> {
                        try (ProgressTracker t = f.tracker(runId)) {
                            driveTasks(t, 25, 1);
                            assertThat(t.flush(deliveryTimeout())).isTrue();
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
            assertShows(sink, emitted.events(), false);
            for (int r = 0; r < runs; r++) {
                List<ProgressEvent> run = emitted.events("contract-par-" + r);
                assertThat(run.get(run.size() - 1).type()).isEqualTo(EventType.UPGRADE_COMPLETED);
            }
        }
    }

    @Test
    void flushReturnsWithinTheTimeout() throws Exception {
        EventSink sink = createSink();
        try (ProgressTracker t =
                ProgressTracker.builder().runId(FLUSH_RUN).sink(sink).build()) {
            t.startUpgrade("p");
            assertThat(t.flush(deliveryTimeout())).isTrue();
        }
    }

    /**
     * A burst far beyond a small queue: the sink's overflow policy may coalesce or drop progress,
     * never a lifecycle event, and what it passes on still tells coalescing from loss.
     */
    @Test
    void keepsEveryLifecycleEventWhenItsQueueOverflows() throws Exception {
        EventSink sink = createSink();
        RecordingSink emitted = new RecordingSink("emitted", OverflowPolicy.BLOCK, 1 << 20);
        TrackerConfig small = TrackerConfig.builder().sinkQueueCapacity(16).build();
        try (TrackerFactory f =
                TrackerFactory.builder().config(small).sink(sink).sink(emitted).build()) {
            try (ProgressTracker t = f.tracker("contract-burst")) {
                driveTasks(t, 10, 200);
                assertThat(t.flush(deliveryTimeout())).isTrue();
            }
            assertShows(sink, emitted.events("contract-burst"), true);
        }
    }

    /**
     * A tracker closed without a flush before it drains the sink's queue, flushes the sink and closes
     * it: what was published reaches the world (see {@link #closeDelivers()}).
     */
    @Test
    void closeDeliversWhatWasPublishedBeforeIt() throws Exception {
        EventSink sink = createSink();
        RecordingSink emitted = new RecordingSink("emitted", OverflowPolicy.BLOCK, 1 << 20);
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("contract-close")
                .clusterName("prod-eu")
                .planId("p")
                .clock(clock)
                .sink(sink)
                .sink(emitted)
                .build()) {
            SampleRuns.drive(t, clock);
        }
        List<ProgressEvent> events = emitted.events();
        assertThat(events).isNotEmpty();
        if (closeDelivers()) {
            assertShows(sink, events, false);
        } else {
            // The world holds what left before the close: in order, none twice, each as the tracker made it.
            Map<String, String> content = new HashMap<>();
            events.forEach(e -> content.put(key(e), WireFormat.toJson(e.withDelivery(null))));
            List<ProgressEvent> got = ofRun(delivered(sink), "contract-close");
            assertThat(got).extracting(ProgressEvent::sequence).isSorted().doesNotHaveDuplicates();
            for (ProgressEvent e : got) {
                assertThat(WireFormat.toJson(e.withDelivery(null))).isEqualTo(content.get(key(e)));
            }
        }
    }

    /** After close, publish returns at once (normally or with IllegalStateException) and shows nothing. */
    @Test
    void anEventPublishedAfterCloseIsNotShown() throws Exception {
        EventSink sink = createSink();
        List<ProgressEvent> events = SampleRuns.upgrade("contract-late");
        int last = lastIndexOf(events, EventType.UPGRADE_COMPLETED);
        for (ProgressEvent e : events.subList(0, last)) {
            sink.publish(e);
        }
        closeInTime(sink);
        ProgressEvent late = events.get(last);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<?> publish = caller.submit(() -> {
                sink.publish(late);
                return null;
            });
            try {
                publish.get(deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                assertThat(e.getCause())
                        .as("publish after close refuses with IllegalStateException, if at all")
                        .isInstanceOf(IllegalStateException.class);
            }
        } finally {
            caller.shutdownNow();
        }
        await().during(Duration.ofMillis(500)).atMost(deliveryTimeout()).until(() -> !shows(sink, late));
    }

    private void closeInTime(EventSink sink) throws Exception {
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            closer.submit(() -> {
                        sink.close();
                        return null;
                    })
                    .get(deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            closer.shutdownNow();
        }
    }

    /** Starts the upgrade, then per task: add, start, {@code progressSteps} updates, complete. */
    private static void driveTasks(ProgressTracker t, int tasks, int progressSteps) {
        t.startUpgrade("p");
        for (int i = 0; i < tasks; i++) {
            String id = "t" + i;
            t.addTask(id, "Task " + i, TaskType.UPGRADE_STEP, null);
            t.startTask(id);
            for (int p = 1; p <= progressSteps; p++) {
                t.updateTaskProgress(id, p * 99.0 / progressSteps, null, null);
            }
            t.completeTask(id);
        }
        t.completeUpgrade();
    }

    private static int lastIndexOf(List<ProgressEvent> events, EventType type) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).type() == type) {
                return i;
            }
        }
        throw new IllegalArgumentException("no " + type + " among " + events.size() + " events");
    }

    private static String key(ProgressEvent e) {
        return e.runId() + "#" + e.sequence();
    }

    private static List<ProgressEvent> ofRun(List<ProgressEvent> events, String runId) {
        return events.stream().filter(e -> e.runId().equals(runId)).toList();
    }

    private static long lifecycle(List<ProgressEvent> events) {
        return events.stream().filter(e -> e.type().isLifecycle()).count();
    }
}

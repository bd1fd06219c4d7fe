package dev.progresstracker.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.test.DeliveredStreamCheck;
import dev.progresstracker.test.RecordingSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a listener receives proves itself complete, or names what it lost ({@link DeliveredStreamCheck}). */
class DeliveredStreamTest {

    @Test
    void aListenerBehindConflationGetsAStreamTheCheckCallsComplete() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CallbackManager manager = CallbackManager.create(CallbackConfig.builder()
                .threads(2)
                .overflowPolicy(OverflowPolicy.CONFLATE)
                .build());
        List<ProgressEvent> got = Collections.synchronizedList(new ArrayList<>());
        try (ProgressTracker t =
                ProgressTracker.builder().runId("conflated").sink(manager).build()) {
            t.onEvent(got::add);
            // A filter runs on the dispatcher's sink thread: holding it makes the tracker conflate progress.
            manager.when(e -> await(release), e -> {});
            t.startUpgrade("p");
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.addTask("b", "B", TaskType.UPGRADE_STEP, null);
            t.startTask("a");
            t.startTask("b");
            for (int i = 1; i <= 200; i++) {
                t.updateTaskProgress("a", i / 2.0);
                t.updateTaskProgress("b", i / 2.0);
                if (i == 100) {
                    t.failTask("b", "flaky");
                    t.startTask("b");
                }
            }
            t.completeTask("a");
            t.completeTask("b");
            t.completeUpgrade();
            release.countDown();
            assertThat(t.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(manager.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
        long last = got.get(got.size() - 1).sequence();
        assertThat(got).as("progress was conflated").hasSizeLessThan((int) last);
        DeliveredStreamCheck.Report report =
                new DeliveredStreamCheck().addAll(got).report();
        assertThat(report.complete()).as(report.toString()).isTrue();
    }

    @Test
    void lifecycleEventsAListenersFullMailboxDroppedAreNamed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CallbackManager manager = CallbackManager.create(CallbackConfig.builder()
                .threads(2)
                .listenerQueueCapacity(16)
                .listenerTimeout(Duration.ofSeconds(60))
                .build());
        List<ProgressEvent> got = Collections.synchronizedList(new ArrayList<>());
        long dropped;
        RecordingSink emitted = new RecordingSink("emitted", OverflowPolicy.BLOCK, 1 << 16);
        try (ProgressTracker t = ProgressTracker.builder()
                .runId("dropping")
                .sink(manager)
                .sink(emitted)
                .build()) {
            t.onEvent(e -> {
                await(release);
                got.add(e);
            });
            t.startUpgrade("p");
            for (int i = 0; i < 40; i++) {
                t.addTask("t" + i, "T" + i, TaskType.UPGRADE_STEP, null);
            }
            // At most 1 event in the listener's hands and 16 in its mailbox: at least 24 made room.
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> manager.stats().get(0).dropped() >= 24);
            release.countDown();
            t.completeUpgrade();
            assertThat(t.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(manager.awaitIdle(Duration.ofSeconds(30))).isTrue();
            dropped = manager.stats().get(0).dropped();
        }
        List<ProgressEvent> all = emitted.events();
        assertThat(all).hasSize(42);
        assertThat(got).as("the full mailbox dropped events").hasSize(42 - (int) dropped);

        DeliveredStreamCheck.Report report =
                new DeliveredStreamCheck().addAll(got).report();

        assertThat(report.complete()).isFalse();
        List<Long> received = got.stream().map(ProgressEvent::sequence).toList();
        long lastLost = all.stream()
                .map(ProgressEvent::sequence)
                .filter(s -> !received.contains(s))
                .max(Long::compare)
                .orElseThrow();
        assertThat(report.missingLifecycle())
                .extracting(DeliveredStreamCheck.Missing::sequence)
                .contains(lastLost);
        assertThat(report.missingLifecycle())
                .allSatisfy(m -> assertThat(m.type()).isIn(EventType.TASK_ADDED, EventType.UPGRADE_STARTED));
        assertThat(report.missing())
                .as("only lifecycle events were dropped")
                .allMatch(DeliveredStreamCheck.Missing::lifecycle);
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

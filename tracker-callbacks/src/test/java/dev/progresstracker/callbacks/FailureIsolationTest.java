package dev.progresstracker.callbacks;

import static dev.progresstracker.callbacks.TestEvents.await;
import static dev.progresstracker.callbacks.TestEvents.progress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.event.ProgressEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Throwing, hanging and failing-async listeners never stop the others, and are counted. */
class FailureIsolationTest {

    private CallbackManager manager;
    /** Released in tearDown so no test leaves a pool thread stuck. */
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        release.countDown();
        if (manager != null) {
            manager.close(Duration.ofSeconds(5));
        }
    }

    /** Blocks until the test releases it, ignoring interrupts: the worst kind of hung listener. */
    private void hangUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                release.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static ListenerStats stats(CallbackManager m, String name) {
        return m.stats().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aThrowingListenerIsLoggedCountedAndIsolated() {
        manager = CallbackManager.create(CallbackConfig.builder().threads(2).build());
        List<Long> thrower = Collections.synchronizedList(new ArrayList<>());
        List<Long> healthy = Collections.synchronizedList(new ArrayList<>());
        manager.register("thrower", e -> true, e -> {
            thrower.add(e.sequence());
            if (e.sequence() % 2 == 0) {
                throw new IllegalStateException("even sequence " + e.sequence());
            }
        });
        manager.register("healthy", e -> true, e -> healthy.add(e.sequence()));
        for (long s = 1; s <= 200; s++) {
            manager.publish(progress("r", s));
        }
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(healthy).hasSize(200).isSorted();
        assertThat(thrower)
                .as("a throwing listener still gets its next events")
                .hasSize(200)
                .isSorted();
        ListenerStats s = stats(manager, "thrower");
        assertThat(s.failures()).isEqualTo(100);
        assertThat(s.invocations()).isEqualTo(200);
        assertThat(stats(manager, "healthy").failures()).isZero();
    }

    @Test
    void aHangingListenerTimesOutWhileTheOthersContinueEvenOnASingleThreadPool() {
        // One pool thread: the stuck call must not take it away from the healthy listener.
        manager = CallbackManager.create(CallbackConfig.builder().threads(1).build());
        AtomicInteger hungCalls = new AtomicInteger();
        AtomicInteger healthy = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean firstReturned = new java.util.concurrent.atomic.AtomicBoolean();
        manager.listener("hangs-on-first").timeout(Duration.ofMillis(100)).register(e -> {
            hungCalls.incrementAndGet();
            if (e.sequence() == 1) {
                hangUninterruptibly();
                firstReturned.set(true);
            }
        });
        manager.register("healthy", e -> true, e -> healthy.incrementAndGet());
        for (long s = 1; s <= 50; s++) {
            manager.publish(progress("r", s));
        }
        await("healthy listener got all 50 events while the other hangs", () -> healthy.get() == 50);
        // The hung listener's later events are not blocked by its stuck first call.
        await("hung listener moved on to its next events", () -> hungCalls.get() == 50);
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        ListenerStats s = stats(manager, "hangs-on-first");
        assertThat(s.timeouts()).isEqualTo(1);
        assertThat(s.invocations()).isEqualTo(50);
        assertThat(firstReturned.get())
                .as("all of that happened while the first call was still stuck")
                .isFalse();
    }

    @Test
    void aListenerThatHangsOnEveryEventStallsAfterTwoStuckCallsAndResumesWhenReleased() {
        manager = CallbackManager.create(CallbackConfig.builder().threads(1).build());
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger healthy = new AtomicInteger();
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        manager.listener("always-hangs").timeout(Duration.ofMillis(50)).register(e -> {
            calls.incrementAndGet();
            seen.add(e.sequence());
            hangUninterruptibly();
        });
        manager.register("healthy", e -> true, e -> healthy.incrementAndGet());
        for (long s = 1; s <= 20; s++) {
            manager.publish(progress("r", s));
        }
        await("two calls time out", () -> stats(manager, "always-hangs").timeouts() == 2);
        await("healthy listener got everything", () -> healthy.get() == 20);
        assertThat(calls.get()).as("stalled: no third call while two are stuck").isEqualTo(2);
        assertThat(stats(manager, "always-hangs").pending()).isEqualTo(18);

        release.countDown(); // the stuck calls return; every later call returns at once
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(seen).hasSize(20).isSorted();
        assertThat(stats(manager, "always-hangs").timeouts()).isEqualTo(2);
    }

    @Test
    void anInterruptibleHangIsFreedByTheInterrupt() {
        manager = CallbackManager.create(CallbackConfig.builder().threads(2).build());
        AtomicInteger interrupted = new AtomicInteger();
        manager.listener("sleeper").timeout(Duration.ofMillis(50)).register(e -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException ex) {
                interrupted.incrementAndGet();
            }
        });
        manager.publish(progress("r", 1));
        await("the abandoned call was interrupted", () -> interrupted.get() == 1);
        assertThat(stats(manager, "sleeper").timeouts()).isEqualTo(1);
    }

    @Test
    void asyncListenerFailuresAreCountedAndDoNotStopLaterEvents() {
        manager = CallbackManager.create(CallbackConfig.builder().threads(2).build());
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        List<Long> healthy = Collections.synchronizedList(new ArrayList<>());
        manager.listener("async").timeout(Duration.ofMillis(200)).registerAsync(e -> {
            seen.add(e.sequence());
            long s = e.sequence();
            if (s == 1) {
                return CompletableFuture.failedFuture(new IllegalStateException("stage failed"));
            }
            if (s == 2) {
                throw new IllegalStateException("threw before returning a stage");
            }
            if (s == 3) {
                return null;
            }
            if (s == 4) {
                return new CompletableFuture<>(); // never completes: timeout
            }
            return CompletableFuture.supplyAsync(() -> s);
        });
        manager.listener("healthy").registerAsync(e -> {
            healthy.add(e.sequence());
            return CompletableFuture.completedFuture(null);
        });
        for (long s = 1; s <= 10; s++) {
            manager.publish(progress("r", s));
        }
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(healthy).hasSize(10);
        ListenerStats s = stats(manager, "async");
        assertThat(s.failures()).isEqualTo(3);
        assertThat(s.timeouts()).isEqualTo(1);
        assertThat(s.invocations()).isEqualTo(10);
    }

    @Test
    void asyncListenerGetsItsNextEventOnlyAfterItsStageCompletes() {
        manager = CallbackManager.create(CallbackConfig.builder().threads(4).build());
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        List<Long> order = Collections.synchronizedList(new ArrayList<>());
        manager.listener("async").registerAsync(e -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            order.add(e.sequence());
            return CompletableFuture.runAsync(() -> inFlight.decrementAndGet());
        });
        for (long s = 1; s <= 500; s++) {
            manager.publish(progress("r", s));
        }
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(order).hasSize(500).isSorted();
        assertThat(maxInFlight.get()).isEqualTo(1);
    }

    @Test
    void autoDisableSwitchesOffAListenerAfterNConsecutiveFailures() {
        manager = CallbackManager.create(
                CallbackConfig.builder().threads(2).disableAfterFailures(3).build());
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger flaky = new AtomicInteger();
        manager.register("broken", e -> true, e -> {
            calls.incrementAndGet();
            throw new IllegalStateException("always");
        });
        // Fails twice in a row, then succeeds: the streak resets, it is never disabled.
        manager.register("flaky", e -> true, e -> {
            if (flaky.incrementAndGet() % 3 != 0) {
                throw new IllegalStateException("sometimes");
            }
        });
        for (long s = 1; s <= 30; s++) {
            manager.publish(progress("r", s));
        }
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(calls.get()).isEqualTo(3);
        assertThat(stats(manager, "broken").disabled()).isTrue();
        assertThat(stats(manager, "flaky").disabled()).isFalse();
        assertThat(flaky.get()).isEqualTo(30);
    }

    @Test
    void autoDisableIsOffByDefault() {
        manager = CallbackManager.create(CallbackConfig.builder().threads(2).build());
        AtomicInteger calls = new AtomicInteger();
        manager.register("broken", e -> true, e -> {
            calls.incrementAndGet();
            throw new IllegalStateException("always");
        });
        for (long s = 1; s <= 50; s++) {
            manager.publish(progress("r", s));
        }
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(calls.get()).isEqualTo(50);
        assertThat(stats(manager, "broken").disabled()).isFalse();
    }

    @Test
    void aFullListenerQueueDropsTheOldestProgressEventsAndKeepsLifecycleOnes() throws Exception {
        manager = CallbackManager.create(
                CallbackConfig.builder().threads(2).listenerQueueCapacity(16).build());
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        List<ProgressEvent> seen = Collections.synchronizedList(new ArrayList<>());
        manager.register("slow", e -> true, e -> {
            entered.countDown();
            gate.await();
            seen.add(e);
        });
        manager.publish(progress("r", 1)); // taken by the listener, which waits at the gate
        assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        manager.publish(TestEvents.task(
                dev.progresstracker.core.event.EventType.TASK_STARTED,
                "r",
                2,
                "t1",
                dev.progresstracker.core.TaskStatus.IN_PROGRESS));
        for (long s = 3; s <= 40; s++) {
            manager.publish(progress("r", s));
        }
        gate.countDown();
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        ListenerStats s = stats(manager, "slow");
        assertThat(s.dropped()).isEqualTo(40 - 1 - 16);
        assertThat(seen)
                .hasSize(17)
                .extracting(ProgressEvent::sequence)
                .isSorted()
                .contains(1L, 2L, 40L);
    }
}

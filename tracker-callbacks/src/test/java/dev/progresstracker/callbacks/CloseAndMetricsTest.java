package dev.progresstracker.callbacks;

import static dev.progresstracker.callbacks.TestEvents.await;
import static dev.progresstracker.callbacks.TestEvents.progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CloseAndMetricsTest {

    @Test
    void closeDrainsEveryPendingCallbackBeforeReturning() {
        CallbackManager manager =
                CallbackManager.create(CallbackConfig.builder().threads(2).build());
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger slow = new AtomicInteger();
        AtomicInteger fast = new AtomicInteger();
        manager.register("slow", e -> true, e -> {
            gate.await();
            slow.incrementAndGet();
        });
        manager.register("fast", e -> true, e -> fast.incrementAndGet());
        for (long s = 1; s <= 1000; s++) {
            manager.publish(progress("r", s));
        }
        assertThat(slow.get()).as("nothing ran yet for the gated listener").isZero();
        gate.countDown();
        CloseReport report = manager.close(Duration.ofSeconds(20));
        assertThat(report.clean()).isTrue();
        assertThat(report.dropped()).isZero();
        assertThat(slow.get()).isEqualTo(1000);
        assertThat(fast.get()).isEqualTo(1000);
        assertThat(manager.close(Duration.ofSeconds(1)))
                .as("later calls return the first report")
                .isSameAs(report);
    }

    @Test
    void closeReportsWhatItDroppedWhenTheTimeoutEnds() throws Exception {
        CallbackManager manager =
                CallbackManager.create(CallbackConfig.builder().threads(2).build());
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger fast = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        manager.listener("stuck").timeout(Duration.ofMinutes(1)).register(e -> {
            entered.countDown();
            try {
                never.await();
            } catch (InterruptedException ex) {
                interrupted.incrementAndGet();
            }
        });
        manager.register("fast", e -> true, e -> fast.incrementAndGet());
        for (long s = 1; s <= 10; s++) {
            manager.publish(progress("r", s));
        }
        await("fast listener done", () -> fast.get() == 10);
        assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        CloseReport report = manager.close(Duration.ofMillis(200));
        assertThat(report.drained()).isFalse();
        assertThat(report.dropped()).isEqualTo(9);
        assertThat(report.droppedByListener()).containsExactly(java.util.Map.entry("stuck", 9L));
        assertThat(report.stillRunning()).containsExactly("stuck");
        await("the own pool interrupts the call still running", () -> interrupted.get() == 1);
        assertThat(manager.stats().get(0).dropped()).isEqualTo(9);
        // Events after close are ignored, not queued.
        manager.publish(progress("r", 11));
        assertThat(manager.stats().get(1).pending()).isZero();
    }

    @Test
    void flushFailsWithTheListenersStillPendingWhenTheTimeoutEnds() throws Exception {
        CallbackManager manager =
                CallbackManager.create(CallbackConfig.builder().threads(2).build());
        CountDownLatch gate = new CountDownLatch(1);
        manager.register("gated", e -> true, e -> gate.await());
        manager.publish(progress("r", 1));
        manager.publish(progress("r", 2));
        assertThatThrownBy(() -> manager.flush(Duration.ofMillis(50)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("gated=2");
        gate.countDown();
        manager.flush(Duration.ofSeconds(10));
        manager.close();
    }

    @Test
    void metricsCountInvocationsFailuresTimeoutsAndLatencyPerListener() {
        CallbackManager manager =
                CallbackManager.create(CallbackConfig.builder().threads(2).build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        manager.register("ok", e -> true, e -> {});
        manager.metrics().bindTo(registry);
        // Registered after binding: gets its meters at registration.
        manager.listener("mixed").timeout(Duration.ofMillis(50)).register(e -> {
            if (e.sequence() == 1) {
                throw new IllegalStateException("boom");
            }
            if (e.sequence() == 2) {
                Thread.sleep(10_000);
            }
        });
        for (long s = 1; s <= 5; s++) {
            manager.publish(progress("r", s));
        }
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(count(registry, "callbacks.invocations", "ok")).isEqualTo(5);
        assertThat(count(registry, "callbacks.invocations", "mixed")).isEqualTo(5);
        assertThat(count(registry, "callbacks.failures", "mixed")).isEqualTo(1);
        assertThat(count(registry, "callbacks.timeouts", "mixed")).isEqualTo(1);
        assertThat(count(registry, "callbacks.dropped", "mixed")).isZero();
        Timer latency = registry.get("callbacks.latency").tags("listener", "ok").timer();
        assertThat(latency.count()).isEqualTo(5);
        assertThat(registry.get("callbacks.pending")
                        .tags("listener", "ok")
                        .gauge()
                        .value())
                .isZero();
        assertThat(registry.get("callbacks.listeners").gauge().value()).isEqualTo(2);
        manager.close();
    }

    @Test
    void anUnregisteredListenersMetersAreRemoved() {
        CallbackManager manager =
                CallbackManager.create(CallbackConfig.builder().threads(2).build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        manager.metrics().bindTo(registry);
        manager.register("gone", e -> true, e -> {}).close();
        assertThat(registry.find("callbacks.invocations")
                        .tags("listener", "gone")
                        .meter())
                .isNull();
        assertThat(registry.find("callbacks.latency").tags("listener", "gone").meter())
                .isNull();
        manager.close();
    }

    private static double count(SimpleMeterRegistry r, String name, String listener) {
        FunctionCounter c = r.get(name).tags("listener", listener).functionCounter();
        return c.count();
    }
}

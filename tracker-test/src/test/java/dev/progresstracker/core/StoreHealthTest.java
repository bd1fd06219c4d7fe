package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.RunAudit;
import dev.progresstracker.test.ScriptedStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The tracker reads the store's health before every change: it refuses while the store refuses, and says so. */
class StoreHealthTest {

    private static final Instant SINCE = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void aRefusingStoreMakesEveryMutatingCallThrowBeforeASequenceIsUsed() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        List<CompletionStage<Long>> acks = new ArrayList<>();
        try (ProgressTracker t =
                ProgressTracker.builder().runId("refused").store(store).build()) {
            acks.add(t.startUpgrade("one"));
            acks.add(t.addTask("a", "A", TaskType.UPGRADE_STEP, null));
            acks.add(t.addTask("b", "B", TaskType.UPGRADE_STEP, null));
            acks.add(t.startTask("a"));
            acks.add(t.updateTaskProgress("a", 10));
            acks.add(t.raiseAlert(new Alert("x", "manual", Alert.Severity.INFO, "x", null)));
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            RunState before = t.snapshot();

            store.health(StoreHealth.refusing("backlog of 64 MiB is full", SINCE, 5000, 64L << 20));
            Map<String, Runnable> calls = new LinkedHashMap<>();
            calls.put("updateTaskProgress", () -> t.updateTaskProgress("a", 20));
            calls.put("startTask", () -> t.startTask("b"));
            calls.put("completeTask", () -> t.completeTask("a"));
            calls.put("addTask", () -> t.addTask("c", "C", TaskType.UPGRADE_STEP, null));
            calls.put("addTasks(empty)", () -> t.addTasks(List.of()));
            calls.put("setCurrentPhase", () -> t.setCurrentPhase("two"));
            calls.put("setCurrentPhase(same)", () -> t.setCurrentPhase("one"));
            calls.put("raiseAlert", () -> t.raiseAlert(new Alert("y", "manual", Alert.Severity.INFO, "y", null)));
            calls.put("clearAlert", () -> t.clearAlert("x"));
            calls.put("failUpgrade", () -> t.failUpgrade("no"));
            for (Map.Entry<String, Runnable> c : calls.entrySet()) {
                assertThatThrownBy(c.getValue()::run)
                        .as(c.getKey())
                        .isInstanceOf(StoreUnavailableException.class)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("run 'refused'")
                        .hasMessageContaining("backlog of 64 MiB is full");
                RunState after = t.snapshot();
                assertThat(after.lastSequence()).as(c.getKey()).isEqualTo(before.lastSequence());
                assertThat(after.tasks()).as(c.getKey()).containsExactlyElementsOf(before.tasks());
                assertThat(after.info().phase()).isEqualTo("one");
                assertThat(after.activeAlerts()).isEqualTo(before.activeAlerts());
            }
            assertThat(t.storeHealth().isRefusing()).isTrue();
            assertThat(t.summary().storeHealth().problem()).isEqualTo("backlog of 64 MiB is full");
            assertThat(t.flush(Duration.ofSeconds(1))).isFalse();
            assertThat(store.loadRun("refused").orElseThrow().lastSequence()).isEqualTo(before.lastSequence());

            // Writing again: the same calls go through, numbered right after the last stored event.
            store.health(StoreHealth.WRITING);
            CompletionStage<Long> next = t.updateTaskProgress("a", 20);
            acks.add(next);
            assertThat(next.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(before.lastSequence() + 1);
            acks.add(t.completeTask("a"));
            acks.add(t.setCurrentPhase("two"));
            acks.add(t.clearAlert("x"));
            List<Long> sequences = RunAudit.join(acks);
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            RunAudit.assertStoredExactly(store, t, sequences);
        }
    }

    @Test
    void whileTheStoreRetriesFlushSaysFalseAndHealthSummaryAndMetersShowIt() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<CompletionStage<Long>> acks = new ArrayList<>();
        try (ProgressTracker t =
                ProgressTracker.builder().runId("retrying").store(store).build()) {
            t.metrics().bindTo(registry);
            acks.add(t.addTask("a", "A", TaskType.UPGRADE_STEP, null));
            acks.add(t.startTask("a"));
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(registry.get("tracker.store.healthy").gauge().value()).isEqualTo(1.0);

            store.hold().health(StoreHealth.retrying("No space left on device", SINCE, 3, 900));
            for (int p = 10; p <= 30; p += 10) {
                acks.add(t.updateTaskProgress("a", p));
            }
            CompletableFuture<Long> pending = acks.get(acks.size() - 1).toCompletableFuture();
            assertThat(t.flush(Duration.ofMillis(200))).isFalse();
            assertThat(pending).isNotDone();
            assertThat(t.storeHealth().state()).isEqualTo(StoreHealth.State.RETRYING);
            assertThat(t.summary().storeHealth().problem()).isEqualTo("No space left on device");
            assertThat(registry.get("tracker.store.healthy").gauge().value()).isZero();
            assertThat(registry.get("tracker.store.backlog.events").gauge().value())
                    .isEqualTo(3.0);
            assertThat(registry.get("tracker.store.backlog.bytes").gauge().value())
                    .isEqualTo(900.0);

            assertThat(store.awaitHeld(3, Duration.ofSeconds(10))).isTrue();
            store.health(StoreHealth.WRITING);
            store.release();
            assertThat(pending.get(10, TimeUnit.SECONDS)).isEqualTo(5);
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(registry.get("tracker.store.healthy").gauge().value()).isEqualTo(1.0);
            RunAudit.assertStoredExactly(store, t, RunAudit.join(acks));
        }
    }

    @Test
    void aFailedStoreWriteMakesFlushFalse() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        try (ProgressTracker t =
                ProgressTracker.builder().runId("failed-write").store(store).build()) {
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            store.failNext(1);
            CompletionStage<Long> failed = t.startTask("a");
            assertThatThrownBy(() -> failed.toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(java.io.IOException.class)
                    .hasStackTraceContaining("injected write failure of #2");
            assertThat(t.flush(Duration.ofSeconds(10))).isFalse();
        }
    }
}

package dev.progresstracker.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.ProgressListener;
import dev.progresstracker.core.Registration;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.SampleRuns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallbackManagerTest {

    private final CallbackManager manager =
            CallbackManager.create(CallbackConfig.builder().threads(2).build());
    private static final List<ProgressEvent> SAMPLE = SampleRuns.upgrade("sample-run");

    @AfterEach
    void close() {
        manager.close(Duration.ofSeconds(5));
    }

    private List<ProgressEvent> collect(java.util.function.Function<ProgressListener, Registration> register) {
        List<ProgressEvent> got = Collections.synchronizedList(new ArrayList<>());
        register.apply(got::add);
        return got;
    }

    private void publishSample() {
        SAMPLE.forEach(manager::publish);
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    private static List<ProgressEvent> expected(java.util.function.Predicate<ProgressEvent> p) {
        return SAMPLE.stream().filter(p).toList();
    }

    @Test
    void everyRegistrationKindSelectsExactlyItsEvents() {
        List<ProgressEvent> all = collect(manager::onEvent);
        List<ProgressEvent> failed = collect(l -> manager.on(EventType.TASK_FAILED, l));
        List<ProgressEvent> startedOrCompleted =
                collect(l -> manager.on(EnumSet.of(EventType.TASK_STARTED, EventType.TASK_COMPLETED), l));
        List<ProgressEvent> inProgress = collect(l -> manager.onStatus(TaskStatus.IN_PROGRESS, l));
        List<ProgressEvent> ng1 = collect(l -> manager.onTask("ng-1", l));
        List<ProgressEvent> validations = collect(l -> manager.onTaskType(TaskType.VALIDATION, l));
        List<ProgressEvent> runCompleted = collect(l -> manager.onRunStatus(RunStatus.COMPLETED, l));
        List<ProgressEvent> runInProgress = collect(l -> manager.onRunStatus(RunStatus.IN_PROGRESS, l));
        List<ProgressEvent> late = collect(l -> manager.when(e -> e.sequence() > 10, l));
        List<ProgressEvent> built = collect(l -> manager.listener("built")
                .on(EventType.TASK_PROGRESS)
                .task("ng-1")
                .run("sample-run")
                .register(l));

        publishSample();

        assertThat(all).isEqualTo(SAMPLE);
        assertThat(failed)
                .isEqualTo(expected(e -> e.type() == EventType.TASK_FAILED))
                .isNotEmpty();
        assertThat(startedOrCompleted)
                .isEqualTo(expected(e -> e.type() == EventType.TASK_STARTED || e.type() == EventType.TASK_COMPLETED))
                .isNotEmpty();
        assertThat(ng1)
                .isEqualTo(expected(e -> e instanceof dev.progresstracker.core.event.TaskEvent te
                        && te.taskId().equals("ng-1")))
                .isNotEmpty();
        assertThat(validations)
                .isNotEmpty()
                .allMatch(e -> ((dev.progresstracker.core.event.TaskEvent) e)
                        .task()
                        .type()
                        .equals(TaskType.VALIDATION));
        assertThat(runCompleted).extracting(ProgressEvent::type).containsExactly(EventType.UPGRADE_COMPLETED);
        assertThat(runInProgress)
                .extracting(ProgressEvent::type)
                .containsOnly(EventType.UPGRADE_STARTED)
                .isNotEmpty();
        assertThat(late).isEqualTo(expected(e -> e.sequence() > 10));
        assertThat(built)
                .isEqualTo(expected(e -> e.type() == EventType.TASK_PROGRESS
                        && ((dev.progresstracker.core.event.TaskEvent) e)
                                .taskId()
                                .equals("ng-1")))
                .isNotEmpty();
        // onStatus fires on transitions into the status, never on task.progress of a running task.
        assertThat(inProgress)
                .isNotEmpty()
                .noneMatch(e -> e.type() == EventType.TASK_PROGRESS)
                .allMatch(e ->
                        ((dev.progresstracker.core.event.TaskEvent) e).task().status() == TaskStatus.IN_PROGRESS);
        assertThat(inProgress)
                .extracting(ProgressEvent::type)
                .containsOnly(EventType.TASK_STARTED, EventType.TASK_RESUMED);
    }

    @Test
    void closingTheHandleStopsDeliveryOfLaterEvents() {
        List<ProgressEvent> got = Collections.synchronizedList(new ArrayList<>());
        Registration r = manager.onEvent(got::add);
        manager.publish(TestEvents.progress("r", 1));
        assertThat(manager.awaitIdle(Duration.ofSeconds(5))).isTrue();
        r.close();
        r.close(); // idempotent
        manager.publish(TestEvents.progress("r", 2));
        assertThat(manager.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(got).extracting(ProgressEvent::sequence).containsExactly(1L);
        assertThat(manager.stats()).isEmpty();
    }

    @Test
    void aListenerCanUnregisterItselfDuringDispatchAndGetsNothingAfterwards() {
        AtomicReference<Registration> self = new AtomicReference<>();
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        List<Long> other = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch registered = new CountDownLatch(1);
        self.set(manager.onEvent(e -> {
            registered.await();
            seen.add(e.sequence());
            if (e.sequence() == 3) {
                self.get().close();
            }
        }));
        manager.onEvent(e -> other.add(e.sequence()));
        registered.countDown();
        for (long s = 1; s <= 100; s++) {
            manager.publish(TestEvents.progress("r", s));
        }
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(seen).containsExactly(1L, 2L, 3L);
        assertThat(other).hasSize(100);
    }

    @Test
    void unregisteringFromAnotherThreadWhileEventsFlowLosesNothingForOthers() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        Registration r = manager.onEvent(e -> first.incrementAndGet());
        manager.onEvent(e -> second.incrementAndGet());
        Thread closer = new Thread(r::close);
        for (long s = 1; s <= 5000; s++) {
            manager.publish(TestEvents.progress("r", s));
            if (s == 2500) {
                closer.start();
            }
        }
        closer.join(5000);
        int atClose = first.get();
        manager.publish(TestEvents.progress("r", 5001));
        assertThat(manager.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(second.get()).isEqualTo(5001);
        assertThat(first.get()).isLessThanOrEqualTo(5000).isGreaterThanOrEqualTo(atClose);
    }

    @Test
    void repeatedNamesGetASuffix() {
        manager.register("audit", e -> true, e -> {});
        manager.register("audit", e -> true, e -> {});
        manager.onEvent(e -> {});
        assertThat(manager.stats()).extracting(ListenerStats::name).containsExactly("audit", "audit#2", "onEvent");
    }

    @Test
    void badInputIsRejectedWithAClearMessageAndRegistersNothing() {
        ProgressListener ok = e -> {};
        assertThatThrownBy(() -> manager.onEvent(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("listener must not be null");
        assertThatThrownBy(() -> manager.on((EventType) null, ok)).hasMessage("type must not be null");
        assertThatThrownBy(() -> manager.on(Set.of(), ok))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("types must not be empty");
        assertThatThrownBy(() -> manager.onStatus(null, ok)).hasMessage("status must not be null");
        assertThatThrownBy(() -> manager.onTask(" ", ok))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("taskId must not be blank");
        assertThatThrownBy(() -> manager.onTaskType(null, ok)).hasMessage("taskType must not be null");
        assertThatThrownBy(() -> manager.onRunStatus(null, ok)).hasMessage("runStatus must not be null");
        assertThatThrownBy(() -> manager.when(null, ok)).hasMessage("filter must not be null");
        assertThatThrownBy(() -> manager.register("", e -> true, ok))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name must not be blank");
        assertThatThrownBy(() -> manager.listener(null)).hasMessage("name must not be null");
        assertThatThrownBy(() -> manager.listener("x").timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be positive, got PT0S");
        assertThatThrownBy(() -> manager.listener("x").timeout(Duration.ofSeconds(-1)))
                .hasMessage("timeout must be positive, got PT-1S");
        assertThatThrownBy(() -> manager.listener("x").timeout(null)).hasMessage("timeout must not be null");
        assertThatThrownBy(() -> manager.listener("x").disableAfterFailures(-1))
                .hasMessage("disableAfterFailures must be 0 (never) or positive, got -1");
        assertThatThrownBy(() -> manager.listener("x").register(null)).hasMessage("listener must not be null");
        assertThatThrownBy(() -> manager.listener("x").registerAsync(null)).hasMessage("listener must not be null");
        assertThatThrownBy(() -> manager.awaitIdle(Duration.ZERO)).hasMessage("timeout must be positive, got PT0S");
        assertThatThrownBy(() -> manager.publish(null)).hasMessage("event must not be null");
        assertThatThrownBy(() -> CallbackManager.builder().executor(null)).hasMessage("executor must not be null");
        assertThat(manager.stats()).isEmpty();
    }

    @Test
    void registeringOnAClosedManagerFails() {
        manager.close(Duration.ofSeconds(1));
        assertThatThrownBy(() -> manager.onEvent(e -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("callback manager 'callbacks' is closed");
    }

    @Test
    void aThrowingFilterCountsAsAFailureOfItsListenerOnly() {
        List<ProgressEvent> got = Collections.synchronizedList(new ArrayList<>());
        manager.register(
                "bad-filter",
                e -> {
                    throw new IllegalStateException("boom");
                },
                e -> {});
        manager.onEvent(got::add);
        manager.publish(TestEvents.progress("r", 1));
        assertThat(manager.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(got).hasSize(1);
        assertThat(manager.stats().get(0).failures()).isEqualTo(1);
    }

    @Test
    void runsOnAnInjectedExecutorAndNeverOnThePublishingThread() throws Exception {
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(2, r -> new Thread(r, "user-pool"));
        try {
            CallbackManager m = CallbackManager.builder().executor(pool).build();
            AtomicReference<String> thread = new AtomicReference<>();
            m.onEvent(e -> thread.set(Thread.currentThread().getName()));
            m.publish(TestEvents.progress("r", 1));
            assertThat(m.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(thread.get()).isEqualTo("user-pool");
            m.close();
            assertThat(pool.isShutdown())
                    .as("an injected executor belongs to the user")
                    .isFalse();
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

package dev.progresstracker.callbacks;

import dev.progresstracker.callbacks.internal.CallbackMeters;
import dev.progresstracker.callbacks.internal.DrainExecutor;
import dev.progresstracker.callbacks.internal.Filters;
import dev.progresstracker.callbacks.internal.IdleWaiter;
import dev.progresstracker.callbacks.internal.ListenerSlot;
import dev.progresstracker.callbacks.internal.SlotList;
import dev.progresstracker.callbacks.internal.Watchdog;
import dev.progresstracker.core.ConfigChecks;
import dev.progresstracker.core.ProgressListener;
import dev.progresstracker.core.Registration;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.CallbackRegistry;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.OverflowPolicy;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process listeners that can never hurt the caller. Install it as a tracker sink (plain Java:
 * {@code ProgressTracker.builder().sink(manager)}; Guice: {@code CallbackModule}); the tracker's
 * {@code onEvent}/{@code onStatus} then delegate to it.
 *
 * <p>Threading: the tracker hands events to {@link #publish} on the sink's own thread, which runs
 * the filters and queues each matching event in the listener's own bounded queue. Listeners run on
 * the executor (default: an own pool of {@link CallbackConfig#threads()} daemon threads), one event
 * at a time per listener and in the order the events were published (sequence order per run),
 * while different listeners run in parallel.
 *
 * <p>Failure: an exception is logged with the listener's name and the event, counted, and the
 * listener gets its next event. A call that runs past its timeout (default 5 s) is abandoned and
 * counted, its thread interrupted, and the listener's next event starts at once on another
 * thread — so the abandoned call may still be running while its successor runs. A listener with two
 * abandoned calls still stuck stalls until one returns; meanwhile its queue fills and its oldest
 * progress events are dropped (counted). The own pool adds a thread per stuck call, so the other
 * listeners keep their threads. Optionally, a listener is disabled after N consecutive failures.
 *
 * <p>All methods are thread-safe; registration handles may be closed from any thread, also from
 * inside the listener itself.
 */
public final class CallbackManager implements EventSink, CallbackRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackManager.class);

    private final CallbackConfig config;
    private final DrainExecutor executor;
    private final Watchdog watchdog;
    private final CallbackMeters meters;
    private final IdleWaiter idle = new IdleWaiter();
    private final LongAdder rejectedAfterClose = new LongAdder();
    private final Object closeLock = new Object();
    private final ListenerSlot.Host host = new SlotHost();
    private final SlotList slots = new SlotList();
    private volatile boolean closed;
    private CloseReport closeReport; // guarded by closeLock

    private CallbackManager(CallbackConfig config, Executor executor) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.executor = executor == null
                ? DrainExecutor.owned(config.name(), config.threads())
                : DrainExecutor.foreign(executor);
        this.meters = new CallbackMeters(config.name(), slots::all);
        this.watchdog = new Watchdog(config.name(), slots::all);
    }

    /** A manager with {@link CallbackConfig#defaults()} and its own executor. */
    public static CallbackManager create() {
        return builder().build();
    }

    public static CallbackManager create(CallbackConfig config) {
        return builder().config(config).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ registration

    /** Every event. */
    public Registration onEvent(ProgressListener listener) {
        return add("onEvent", e -> true, listener);
    }

    /** Events of {@code type}. */
    public Registration on(EventType type, ProgressListener listener) {
        Objects.requireNonNull(type, "type must not be null");
        return add("on[" + type.wireName() + "]", Filters.types(EnumSet.of(type)), listener);
    }

    /** Events of any of {@code types} (not empty). */
    public Registration on(Set<EventType> types, ProgressListener listener) {
        return add("on" + types, Filters.types(types), listener);
    }

    /**
     * A task reaching {@code status}: fires on status transitions (including the {@code task.added}
     * of a NOT_STARTED task), never on {@code task.progress}.
     */
    public Registration onStatus(TaskStatus status, ProgressListener listener) {
        return add("onStatus[" + status + "]", Filters.taskStatus(status), listener);
    }

    /** Every event of the task {@code taskId}, in any run. */
    public Registration onTask(String taskId, ProgressListener listener) {
        return add("onTask[" + taskId + "]", Filters.taskId(taskId), listener);
    }

    /** Every event of tasks of {@code type}. */
    public Registration onTaskType(TaskType type, ProgressListener listener) {
        return add("onTaskType[" + type + "]", Filters.taskType(type), listener);
    }

    /** A run moving to {@code status} ({@code upgrade.started/completed/failed/cancelled}). */
    public Registration onRunStatus(RunStatus status, ProgressListener listener) {
        return add("onRunStatus[" + status + "]", Filters.runStatus(status), listener);
    }

    /** Events {@code filter} accepts. The filter runs on the sink's thread: keep it cheap, never block. */
    public Registration when(Predicate<? super ProgressEvent> filter, ProgressListener listener) {
        return add("when", filter, listener);
    }

    /** {@inheritDoc} Uses the configured timeout and auto-disable threshold. */
    @Override
    public Registration register(String name, Predicate<? super ProgressEvent> filter, ProgressListener listener) {
        requireName(name);
        return add(name, filter, listener);
    }

    /**
     * Starts a named registration with its own filters, timeout and auto-disable threshold:
     * {@code manager.listener("pager").on(EventType.TASK_FAILED).timeout(Duration.ofSeconds(2)).register(l)}.
     */
    public ListenerBuilder listener(String name) {
        requireName(name);
        return new ListenerBuilder(this, name, config.listenerTimeout(), config.disableAfterFailures());
    }

    private Registration add(String name, Predicate<? super ProgressEvent> filter, ProgressListener listener) {
        Objects.requireNonNull(filter, "filter must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        return add(name, filter, listener, null, config.listenerTimeout(), config.disableAfterFailures());
    }

    Registration add(
            String name,
            Predicate<? super ProgressEvent> filter,
            ProgressListener sync,
            AsyncProgressListener async,
            Duration timeout,
            int disableAfter) {
        ListenerSlot slot;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("callback manager '" + config.name() + "' is closed");
            }
            slot = slots.add(
                    name,
                    unique -> new ListenerSlot(
                            unique, filter, sync, async, timeout, disableAfter, config.listenerQueueCapacity(), host));
        }
        meters.added(slot);
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                remove(slot);
            }
        };
    }

    private void remove(ListenerSlot slot) {
        boolean removed;
        synchronized (this) {
            removed = slots.remove(slot);
        }
        if (removed) {
            slot.close();
            meters.removed(slot);
        }
    }

    private static void requireName(String name) {
        Objects.requireNonNull(name, "name must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
    }

    // ------------------------------------------------------------------ sink

    @Override
    public String name() {
        return config.name();
    }

    /** {@link CallbackConfig#overflowPolicy()}; either way the tracker's queue keeps every lifecycle event. */
    @Override
    public OverflowPolicy overflowPolicy() {
        return config.overflowPolicy();
    }

    @Override
    public int queueCapacity() {
        return config.sinkQueueCapacity();
    }

    /** Runs the filters and queues the event for every matching listener; never blocks on a listener. */
    @Override
    public void publish(ProgressEvent event) {
        Objects.requireNonNull(event, "event must not be null");
        if (closed) {
            rejectedAfterClose.increment();
            if (rejectedAfterClose.sum() == 1) {
                LOG.warn(
                        "callback manager '{}' is closed: ignoring {} #{} of run '{}' and later events",
                        config.name(),
                        event.type(),
                        event.sequence(),
                        event.runId());
            }
            return;
        }
        for (ListenerSlot s : slots.all()) {
            if (s.accepts(event)) {
                s.enqueue(event);
            }
        }
    }

    /** Waits until every listener has handled what was published before; {@link TimeoutException} if not in time. */
    @Override
    public void flush(Duration timeout) throws TimeoutException {
        if (!awaitIdle(timeout)) {
            throw new TimeoutException("callbacks still pending after " + timeout + ": " + slots.pending());
        }
    }

    /**
     * Waits until every listener has handled (or dropped) each event published before this call.
     * Returns false on timeout. Abandoned calls count as handled.
     */
    public boolean awaitIdle(Duration timeout) {
        ConfigChecks.requirePositive("timeout", timeout);
        return idle.await(slots.all(), timeout.toNanos());
    }

    /** Same as {@link #close(Duration)} with {@link CallbackConfig#drainTimeout()}. */
    @Override
    public void close() {
        close(config.drainTimeout());
    }

    /**
     * Stops taking events and registrations, waits up to {@code timeout} for the pending callbacks,
     * then drops what is left, stops the own executor (interrupting calls still running) and reports
     * the loss (also logged as a warning). Later calls return the first report.
     */
    public CloseReport close(Duration timeout) {
        ConfigChecks.requirePositive("timeout", timeout);
        synchronized (closeLock) {
            if (closeReport != null) {
                return closeReport;
            }
            synchronized (this) {
                closed = true;
            }
            boolean drained = awaitIdle(timeout);
            ListenerSlot[] all;
            synchronized (this) {
                all = slots.all();
            }
            long dropped = 0;
            Map<String, Long> byListener = new LinkedHashMap<>();
            List<String> running = new ArrayList<>();
            for (ListenerSlot s : all) {
                int n = s.closeDropping();
                if (n > 0) {
                    dropped += n;
                    byListener.put(s.name(), (long) n);
                }
                if (s.isRunning()) {
                    running.add(s.name());
                }
            }
            watchdog.close();
            executor.shutdownNow();
            closeReport = new CloseReport(drained && dropped == 0, dropped, byListener, running);
            if (closeReport.clean()) {
                LOG.debug("callback manager '{}' closed, every callback ran", config.name());
            } else {
                LOG.warn(
                        "callback manager '{}' closed after {}: dropped {} queued event(s) {}; still running: {}",
                        config.name(),
                        timeout,
                        dropped,
                        byListener,
                        running);
            }
            return closeReport;
        }
    }

    // ------------------------------------------------------------------ observation

    /** Counters of every registered listener, in registration order. */
    public List<ListenerStats> stats() {
        return slots.stats();
    }

    /** Micrometer meters of this manager (see the module README for names and tags). */
    public MeterBinder metrics() {
        return meters;
    }

    public CallbackConfig config() {
        return config;
    }

    private final class SlotHost implements ListenerSlot.Host {
        @Override
        public DrainExecutor executor() {
            return executor;
        }

        @Override
        public void disabled(ListenerSlot slot) {
            // Stays listed (stats, meters show it disabled) until its registration is closed.
            slot.close();
        }

        @Override
        public void settled() {
            idle.settled();
        }
    }

    /** Plain-Java construction; defaults: {@link CallbackConfig#defaults()}, an own executor. */
    public static final class Builder {
        private CallbackConfig config = CallbackConfig.defaults();
        private Executor executor;

        private Builder() {}

        public Builder config(CallbackConfig config) {
            this.config = Objects.requireNonNull(config, "config must not be null");
            return this;
        }

        /**
         * Runs listeners on {@code executor} instead of an own pool. The manager never shuts it down,
         * and cannot replace threads held by stuck calls: size it for them.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        public CallbackManager build() {
            return new CallbackManager(config, executor);
        }
    }
}

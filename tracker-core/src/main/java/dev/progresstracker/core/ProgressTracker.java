package dev.progresstracker.core;

import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.LinearEstimator;
import dev.progresstracker.core.internal.Dispatcher;
import dev.progresstracker.core.internal.RunModel;
import dev.progresstracker.core.internal.RunOpening;
import dev.progresstracker.core.internal.TrackerEngine;
import dev.progresstracker.core.internal.TrackerMeterBinder;
import dev.progresstracker.core.spi.AnalyticsHook;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.core.store.InMemoryProgressStore;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Tracks one run (an upgrade) and publishes every change to the store and the sinks.
 *
 * <p>Every mutating method applies its change under a short lock, numbers the resulting event and
 * returns at once; sinks receive events on their own threads. The returned stage completes with
 * the event's sequence number once the store holds it as durably as its mode promises, and fails
 * if the store could not store it; ignore it for fire-and-forget. A call that emits no event (the
 * current phase again, an alert already raised, clearing an unknown alert, an empty batch, progress
 * in {@link TrackingMode#MINIMAL}) returns a stage that completes with the newest event's sequence
 * once that event, and so everything before it, is stored. An {@code updateTaskProgress} that
 * changes nothing (same percent, message and details) still emits an event: it is a sign of life
 * that watchers and the stall rule read. Every stage ends: what the store has not confirmed when
 * {@link #close()} has waited {@link TrackerConfig#closeTimeout()} fails, naming the cause.
 *
 * <p>A rejected call throws and changes nothing: {@link IllegalArgumentException} for bad values
 * (including inputs over {@link EventLimits}, checked before a sequence is assigned), {@link
 * IllegalStateException} for forbidden moves, {@link java.util.NoSuchElementException} for unknown
 * ids, {@link StoreUnavailableException} while the store refuses the run's events (see {@link
 * #storeHealth()}). Messages name the run, the task and the field. Thread-safe: any number of
 * threads may call any method.
 *
 * <p>Building a tracker for a run id the store already holds resumes it: same tasks, statuses,
 * percent and phase; sequence numbers continue without gap.
 */
public final class ProgressTracker implements AutoCloseable {

    private final TrackerEngine engine;
    private final Runnable onClose;

    private ProgressTracker(TrackerEngine engine, Runnable onClose) {
        this.engine = engine;
        this.onClose = onClose;
    }

    /** Wraps {@code engine} and attaches the observer {@code hook} opens for the new tracker. */
    private static ProgressTracker open(TrackerEngine engine, AnalyticsHook hook, Runnable onClose) {
        ProgressTracker tracker = new ProgressTracker(engine, onClose);
        try {
            engine.attach(hook.newObserver(tracker));
        } catch (RuntimeException e) {
            tracker.close();
            throw e;
        }
        return tracker;
    }

    /** A builder for a tracker that owns its store and sinks (closing the tracker closes them). */
    public static Builder builder() {
        return new Builder(null);
    }

    public String runId() {
        return engine.runId();
    }

    // ------------------------------------------------------------------ run

    /** NOT_STARTED or FAILED → IN_PROGRESS; emits {@code upgrade.started}. {@code phase} may be null. */
    public CompletionStage<Long> startUpgrade(String phase) {
        return engine.startUpgrade(phase);
    }

    /** IN_PROGRESS → COMPLETED; emits {@code upgrade.completed}. */
    public CompletionStage<Long> completeUpgrade() {
        return engine.completeUpgrade();
    }

    /** IN_PROGRESS → FAILED; emits {@code upgrade.failed} with {@code message}. */
    public CompletionStage<Long> failUpgrade(String message) {
        return engine.failUpgrade(message);
    }

    /** NOT_STARTED, IN_PROGRESS or FAILED → CANCELLED; emits {@code upgrade.cancelled}. */
    public CompletionStage<Long> cancelUpgrade(String reason) {
        return engine.cancelUpgrade(reason);
    }

    /** Emits {@code upgrade.phase_changed}; setting the current phase again changes nothing. */
    public CompletionStage<Long> setCurrentPhase(String phase) {
        return engine.setCurrentPhase(phase);
    }

    // ------------------------------------------------------------------ tasks

    /** Adds a task of weight 1; {@code parentTaskId} may be null. Emits {@code task.added}. */
    public CompletionStage<Long> addTask(String taskId, String name, TaskType type, String parentTaskId) {
        return addTask(new TaskSpec(taskId, name, type, parentTaskId, TaskSpec.DEFAULT_WEIGHT));
    }

    public CompletionStage<Long> addTask(TaskSpec spec) {
        return engine.taskVerbs().addTasks(List.of(Objects.requireNonNull(spec, "spec must not be null")));
    }

    /**
     * Adds several tasks at once, all or none: parents may come after their children in the
     * collection; duplicates, unknown parents and cycles reject the whole batch.
     */
    public CompletionStage<Long> addTasks(Collection<TaskSpec> specs) {
        return engine.taskVerbs().addTasks(specs);
    }

    /** NOT_STARTED → IN_PROGRESS, or FAILED → IN_PROGRESS as a retry (attempt + 1, percent back to 0). */
    public CompletionStage<Long> startTask(String taskId) {
        return engine.taskVerbs().startTask(taskId);
    }

    /**
     * Sets the percent (0..100) of an IN_PROGRESS task without children; emits {@code task.progress}.
     * A null {@code message} or {@code details} keeps the previous one. Lower than before is
     * rejected unless {@link TrackerConfig#allowProgressRegression()}.
     */
    public CompletionStage<Long> updateTaskProgress(
            String taskId, double percent, String message, Map<String, ?> details) {
        return engine.taskVerbs().updateTaskProgress(taskId, percent, message, details);
    }

    /** Same as {@code updateTaskProgress(taskId, percent, null, null)}. */
    public CompletionStage<Long> updateTaskProgress(String taskId, double percent) {
        return engine.taskVerbs().updateTaskProgress(taskId, percent, null, null);
    }

    /** IN_PROGRESS → COMPLETED (percent 100). */
    public CompletionStage<Long> completeTask(String taskId) {
        return engine.taskVerbs().completeTask(taskId);
    }

    /** IN_PROGRESS or PAUSED → FAILED with {@code message}. */
    public CompletionStage<Long> failTask(String taskId, String message) {
        return engine.taskVerbs().failTask(taskId, message);
    }

    /** IN_PROGRESS → PAUSED. */
    public CompletionStage<Long> pauseTask(String taskId) {
        return engine.taskVerbs().pauseTask(taskId, null);
    }

    /** IN_PROGRESS → PAUSED with a reason kept as the task's message. */
    public CompletionStage<Long> pauseTask(String taskId, String reason) {
        return engine.taskVerbs().pauseTask(taskId, reason);
    }

    /** PAUSED → IN_PROGRESS; emits {@code task.resumed}. */
    public CompletionStage<Long> resumeTask(String taskId) {
        return engine.taskVerbs().resumeTask(taskId);
    }

    /** NOT_STARTED, IN_PROGRESS or PAUSED → CANCELLED. */
    public CompletionStage<Long> cancelTask(String taskId) {
        return engine.taskVerbs().cancelTask(taskId, null);
    }

    public CompletionStage<Long> cancelTask(String taskId, String reason) {
        return engine.taskVerbs().cancelTask(taskId, reason);
    }

    /** NOT_STARTED → SKIPPED; a skipped task leaves its parent's roll-up. */
    public CompletionStage<Long> skipTask(String taskId) {
        return engine.taskVerbs().skipTask(taskId, null);
    }

    public CompletionStage<Long> skipTask(String taskId, String reason) {
        return engine.taskVerbs().skipTask(taskId, reason);
    }

    /**
     * Sets the current stage of an IN_PROGRESS task (a name within {@link EventLimits#maxNameLength()})
     * and the progress within it (0..100), beside the task's percent, which is left as it is; emits
     * {@code task.progress} and costs what {@link #updateTaskProgress(String, double)} costs.
     */
    public CompletionStage<Long> updateTaskStage(String taskId, String stage, double stageProgress) {
        return engine.taskVerbs().updateTaskStage(taskId, stage, stageProgress);
    }

    // ------------------------------------------------------------------ usage

    /**
     * Counts one external API call of the task, with its outcome and latency (zero or positive).
     * Usage verbs work on a task in any status while the run accepts changes and emit
     * {@code task.usage} carrying the task's totals ({@link TaskView#usage()}); in
     * {@link TrackingMode#MINIMAL} they emit nothing and the totals travel with the task's next event.
     */
    public CompletionStage<Long> recordApiCall(String taskId, CallOutcome outcome, Duration latency) {
        return engine.usageVerbs().recordApiCall(taskId, outcome, latency);
    }

    /** Counts one rate-limit hit (throttle) of the task and the time it waited because of it. */
    public CompletionStage<Long> recordRateLimit(String taskId, Duration delay) {
        return engine.usageVerbs().recordRateLimit(taskId, delay);
    }

    /**
     * Adds model tokens used by the task and their estimated cost at {@link TrackerConfig#pricing()}'s
     * price of {@code model}. Without pricing the tokens are counted at no cost; with pricing a model
     * without a price is refused.
     */
    public CompletionStage<Long> recordUsage(String taskId, long tokensIn, long tokensOut, String model) {
        return engine.usageVerbs().recordUsage(taskId, tokensIn, tokensOut, model);
    }

    /** Sets the task's quality score (0..1; the last one set counts). */
    public CompletionStage<Long> setQuality(String taskId, double score) {
        return engine.usageVerbs().setQuality(taskId, score);
    }

    /** The run's usage over every task and per task type; O(tasks). */
    public RunUsage usage() {
        return engine.usageVerbs().usage();
    }

    /** The usage of one task and all tasks below it (a parent's roll-up); O(tasks). */
    public UsageTotals usage(String taskId) {
        return engine.usageVerbs().usage(taskId);
    }

    // ------------------------------------------------------------------ alerts

    /** Emits {@code alert.raised} unless an alert with the same id is already raised. */
    public CompletionStage<Long> raiseAlert(Alert alert) {
        return engine.alertVerbs().raise(alert);
    }

    /** Emits {@code alert.cleared} if the alert is raised; otherwise changes nothing. */
    public CompletionStage<Long> clearAlert(String alertId) {
        return engine.alertVerbs().clear(alertId);
    }

    public List<Alert> activeAlerts() {
        return engine.alertVerbs().active();
    }

    /**
     * Asks the installed analytics ({@link AnalyticsHook}) which alerts are due now and raises and
     * clears {@code alert.*} events accordingly; without analytics, or without alert rules among
     * them, a no-op. {@code tracker-analytics}' alert rules also run after every event and on a timer.
     */
    public void evaluateAlerts() {
        engine.alertVerbs().evaluate();
    }

    // ------------------------------------------------------------------ reads

    public ProgressSummary summary() {
        return engine.summary();
    }

    /** The task; {@link java.util.NoSuchElementException} naming the run and id if unknown. */
    public TaskView task(String taskId) {
        return engine.task(taskId);
    }

    /** Every task in the order it was added. O(tasks). */
    public List<TaskView> tasks() {
        return engine.tasks();
    }

    /** The estimate now, or empty when not known yet or the tracking mode computes none. */
    public Optional<Eta> eta() {
        return engine.eta();
    }

    /** The full state of the run, as a store would return it. O(tasks). */
    public RunState snapshot() {
        return engine.snapshot();
    }

    /**
     * What the store says about this run's writes now: WRITING, RETRYING (acks wait, {@link
     * #flush} says false) or REFUSING (mutating calls throw {@link StoreUnavailableException}).
     */
    public StoreHealth storeHealth() {
        return engine.storeHealth();
    }

    /** Time of this tracker's newest event, null before any (for {@link TrackerFactory#closeIdle}). */
    java.time.Instant lastEventTime() {
        return engine.lastEventTime();
    }

    // ------------------------------------------------------------------ callbacks, metrics

    /**
     * Calls {@code listener} for every event of this run, off the caller's thread. Needs a callback
     * sink ({@code tracker-callbacks}); without one, {@link IllegalStateException}.
     */
    public Registration onEvent(ProgressListener listener) {
        return engine.onEvent(listener);
    }

    /** Calls {@code listener} whenever a task of this run reaches {@code status}. */
    public Registration onStatus(TaskStatus status, ProgressListener listener) {
        return engine.onStatus(status, listener);
    }

    /**
     * Micrometer meters of this tracker: tasks by status, percent, events and updates, and per sink
     * queue depth, dropped, conflated and failed counts. Tagged {@code run=<runId>}.
     */
    public MeterBinder metrics() {
        return new TrackerMeterBinder(engine);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Waits until every sink and the store have handled all events so far. False on timeout, if a
     * store write failed since the previous flush, or while the store is not WRITING for this run.
     */
    public boolean flush(Duration timeout) {
        return engine.flush(timeout);
    }

    /**
     * Drains sinks and store within {@link TrackerConfig#closeTimeout()} and closes them if this
     * tracker owns them (built with {@link #builder()}); then every stage the store has not
     * confirmed fails with an exception naming the cause (for example the store RETRYING and its
     * problem). A factory's tracker only flushes: its pending stages end when the factory closes.
     * Idempotent.
     */
    @Override
    public void close() {
        engine.close();
        onClose.run();
    }

    /**
     * Builds a tracker. Defaults: an {@link InMemoryProgressStore}, no sinks, the UTC system clock,
     * {@link TrackerConfig#defaults()}, no analytics ({@link AnalyticsHook#NONE}), and the analytics'
     * estimator or else a {@link LinearEstimator} per tracker.
     */
    public static final class Builder {
        private final TrackerFactory factory;
        private String runId;
        private String planId;
        private String clusterName;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private ProgressStore store;
        private final List<EventSink> sinks = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private TrackerConfig config = TrackerConfig.defaults();
        private Supplier<? extends EtaEstimator> estimator;
        private AnalyticsHook analytics = AnalyticsHook.NONE;

        Builder(TrackerFactory factory) {
            this.factory = factory;
            if (factory != null) {
                this.clock = factory.clock();
                this.config = factory.config();
                this.estimator = factory.estimator();
                this.analytics = factory.analytics();
            }
        }

        /** Required. See {@link RunIds#requireValidRunId(String)} for the rules. */
        public Builder runId(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder planId(String planId) {
            this.planId = planId;
            return this;
        }

        public Builder clusterName(String clusterName) {
            this.clusterName = clusterName;
            return this;
        }

        public Builder attributes(Map<String, String> attributes) {
            Objects.requireNonNull(attributes, "attributes must not be null");
            attributes.forEach(this::attribute);
            return this;
        }

        public Builder attribute(String key, String value) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("attribute key must not be blank");
            }
            this.attributes.put(key, Objects.requireNonNull(value, () -> "attribute '" + key + "' must not be null"));
            return this;
        }

        public Builder store(ProgressStore store) {
            requireOwnMode("store");
            this.store = Objects.requireNonNull(store, "store must not be null");
            return this;
        }

        /** Adds a sink; repeatable. */
        public Builder sink(EventSink sink) {
            requireOwnMode("sink");
            this.sinks.add(Objects.requireNonNull(sink, "sink must not be null"));
            return this;
        }

        public Builder clock(Clock clock) {
            requireOwnMode("clock");
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        public Builder config(TrackerConfig config) {
            requireOwnMode("config");
            this.config = Objects.requireNonNull(config, "config must not be null");
            return this;
        }

        /**
         * The analytics to install (for instance {@code TrackerAnalytics.of(mode)} of {@code tracker-analytics});
         * default {@link AnalyticsHook#NONE}.
         */
        public Builder analytics(AnalyticsHook analytics) {
            requireOwnMode("analytics");
            this.analytics = Objects.requireNonNull(analytics, "analytics must not be null");
            return this;
        }

        /** A fresh estimator per tracker; default the analytics' estimator, else {@link LinearEstimator}. */
        public Builder etaEstimator(Supplier<? extends EtaEstimator> estimator) {
            requireOwnMode("etaEstimator");
            this.estimator = Objects.requireNonNull(estimator, "estimator must not be null");
            return this;
        }

        private void requireOwnMode(String what) {
            if (factory != null) {
                throw new IllegalStateException(what + " is set on the TrackerFactory, not on a tracker it builds");
            }
        }

        /**
         * Builds the tracker, resuming the run if the store has it.
         *
         * @throws IllegalArgumentException if the run id is invalid, or the stored run has another plan or cluster
         * @throws IllegalStateException    if a tracker of this factory already has the run open
         */
        public ProgressTracker build() {
            RunIds.requireValidRunId(runId);
            if (factory != null) {
                return factory.open(this);
            }
            ProgressStore s = store != null ? store : new InMemoryProgressStore();
            RunOpening.requireFits(config, s);
            RunModel model = RunOpening.restoreOrCreate(s, runId, planId, clusterName, attributes, config);
            Dispatcher dispatcher = new Dispatcher(s, sinks, config);
            return open(new TrackerEngine(model, dispatcher, true, clock, config, newEstimator()), analytics, () -> {});
        }

        ProgressTracker buildShared(Dispatcher dispatcher, Runnable onClose) {
            RunModel model =
                    RunOpening.restoreOrCreate(dispatcher.store(), runId, planId, clusterName, attributes, config);
            return open(new TrackerEngine(model, dispatcher, false, clock, config, newEstimator()), analytics, onClose);
        }

        private EtaEstimator newEstimator() {
            if (estimator != null) {
                return Objects.requireNonNull(estimator.get(), "the etaEstimator supplier returned null");
            }
            return analytics.newEstimator().orElseGet(LinearEstimator::new);
        }

        String runId() {
            return runId;
        }
    }
}

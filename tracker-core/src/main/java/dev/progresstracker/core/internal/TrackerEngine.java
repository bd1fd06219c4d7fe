package dev.progresstracker.core.internal;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.EventLimits;
import dev.progresstracker.core.ProgressListener;
import dev.progresstracker.core.ProgressSummary;
import dev.progresstracker.core.Registration;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.spi.RunObserver;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code ProgressTracker} does, behind one short lock: validate, change the model,
 * number the event, hand it to the dispatcher. Validation (inputs against {@link EventLimits}
 * in {@link CallInputs}, the move in {@link TaskMove}, the store's health in {@link StoreGate})
 * happens before any change, so a rejected call leaves the state as it was; {@link RunEmitter}
 * numbers, dispatches and feeds the analytics.
 */
public final class TrackerEngine {

    private static final Logger LOG = LoggerFactory.getLogger(TrackerEngine.class);

    private final RunContext run;
    private final ReentrantLock lock;
    private final RunModel model;
    private final Dispatcher dispatcher;
    private final ProgressStore store;
    private final boolean ownsDispatcher;
    private final Clock clock;
    private final TrackerConfig config;
    private final CallInputs inputs;
    private final StoreGate storeGate;
    private final RunEmitter emitter;
    private final TaskVerbs taskVerbs;
    private final UsageVerbs usageVerbs;
    private final AlertVerbs alertVerbs;

    public TrackerEngine(
            RunModel model,
            Dispatcher dispatcher,
            boolean ownsDispatcher,
            Clock clock,
            TrackerConfig config,
            EtaEstimator estimator) {
        this.model = model;
        this.dispatcher = dispatcher;
        this.store = dispatcher.store();
        this.ownsDispatcher = ownsDispatcher;
        this.clock = clock;
        this.config = config;
        this.storeGate = new StoreGate(store, model.runId);
        this.run = new RunContext(model, clock, config, storeGate);
        this.lock = run.lock;
        this.inputs = run.inputs;
        this.alertVerbs = new AlertVerbs(run);
        this.emitter = new RunEmitter(model, dispatcher, clock, config, estimator, alertVerbs);
        run.emitter = emitter;
        this.taskVerbs = new TaskVerbs(run);
        this.usageVerbs = new UsageVerbs(run);
        if (model.lastSequence > 0 && config.trackingMode().computesEta()) {
            estimator.resumed(clock.instant(), model.percent(), tasks());
        }
    }

    /**
     * Installs the run's observer; called once, right after construction and before the tracker is
     * handed out. The observer starts with the restored tasks (none for a new run).
     */
    public void attach(RunObserver runObserver) {
        Objects.requireNonNull(runObserver, "observer must not be null");
        lock.lock();
        try {
            if (emitter.hasObserver()) {
                throw new IllegalStateException("run '" + model.runId + "' already has an observer");
            }
            emitter.attach(runObserver);
            runObserver.start(emitter.observed(), model.lastSequence > 0 ? tasks() : List.of());
        } finally {
            lock.unlock();
        }
    }

    public String runId() {
        return model.runId;
    }

    /**
     * Checks a run's plan id, cluster name and attributes against {@code limits} before a tracker
     * is built; {@link IllegalArgumentException} naming the run and the field.
     */
    public static void checkRunInputs(
            String runId, String planId, String clusterName, Map<String, String> attributes, EventLimits limits) {
        CallInputs.checkRunInputs(runId, planId, clusterName, attributes, limits);
    }

    // ------------------------------------------------------------------ run lifecycle

    public CompletableFuture<Long> startUpgrade(String phase) {
        String p = phase == null ? null : inputs.name(null, phase, "phase");
        lock.lock();
        try {
            run.checkOpen();
            run.requireRunMove(RunStatus.IN_PROGRESS, "start");
            storeGate.check();
            Instant now = clock.instant();
            model.status = RunStatus.IN_PROGRESS;
            if (p != null) {
                model.phase = p;
            }
            if (model.startedAt == null) {
                model.startedAt = now;
            }
            model.finishedAt = null;
            return emitter.emitRun(EventType.UPGRADE_STARTED, now, null);
        } finally {
            lock.unlock();
        }
    }

    public CompletableFuture<Long> completeUpgrade() {
        return finishRun(RunStatus.COMPLETED, "complete", EventType.UPGRADE_COMPLETED, null);
    }

    public CompletableFuture<Long> failUpgrade(String message) {
        return finishRun(RunStatus.FAILED, "fail", EventType.UPGRADE_FAILED, inputs.clip(message));
    }

    public CompletableFuture<Long> cancelUpgrade(String reason) {
        return finishRun(RunStatus.CANCELLED, "cancel", EventType.UPGRADE_CANCELLED, inputs.clip(reason));
    }

    private CompletableFuture<Long> finishRun(RunStatus target, String verb, EventType type, String text) {
        lock.lock();
        try {
            run.checkOpen();
            run.requireRunMove(target, verb);
            storeGate.check();
            Instant now = clock.instant();
            model.status = target;
            model.finishedAt = now;
            return emitter.emitRun(type, now, text);
        } finally {
            lock.unlock();
        }
    }

    public CompletableFuture<Long> setCurrentPhase(String phase) {
        String p = inputs.name(null, phase, "phase");
        lock.lock();
        try {
            run.checkOpen();
            run.checkRunMutable("change the phase of");
            storeGate.check();
            if (p.equals(model.phase)) {
                return emitter.unchanged();
            }
            String previous = model.phase;
            model.phase = p;
            return emitter.emitRun(EventType.PHASE_CHANGED, clock.instant(), previous);
        } finally {
            lock.unlock();
        }
    }

    /** The task verbs: adding, moving, progress and stage. */
    public TaskVerbs taskVerbs() {
        return taskVerbs;
    }

    /** The usage verbs and roll-ups. */
    public UsageVerbs usageVerbs() {
        return usageVerbs;
    }

    /** Raising, clearing and reviewing alerts. */
    public AlertVerbs alertVerbs() {
        return alertVerbs;
    }

    // ------------------------------------------------------------------ reads

    public TaskView task(String taskId) {
        lock.lock();
        try {
            return run.requireTask(taskId).view();
        } finally {
            lock.unlock();
        }
    }

    public List<TaskView> tasks() {
        lock.lock();
        try {
            List<TaskView> out = new ArrayList<>(model.taskCount());
            for (TaskNode n : model.tasksInOrder()) {
                out.add(n.view());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    public Optional<Eta> eta() {
        if (!config.trackingMode().computesEta()) {
            return Optional.empty();
        }
        lock.lock();
        try {
            return emitter.currentEta(clock.instant());
        } finally {
            lock.unlock();
        }
    }

    public ProgressSummary summary() {
        lock.lock();
        try {
            emitter.foldDeferred();
            Instant now = clock.instant();
            Duration elapsed = model.startedAt == null
                    ? Duration.ZERO
                    : Duration.between(model.startedAt, model.finishedAt != null ? model.finishedAt : now);
            return new ProgressSummary(
                    model.runId,
                    model.planId,
                    model.clusterName,
                    model.status,
                    model.phase,
                    model.percent(),
                    model.counts(),
                    model.taskCount(),
                    model.startedAt,
                    elapsed.isNegative() ? Duration.ZERO : elapsed,
                    emitter.currentEta(now),
                    model.lastSequence,
                    store.health(model.runId));
        } finally {
            lock.unlock();
        }
    }

    /** Full state, O(tasks). */
    public RunState snapshot() {
        lock.lock();
        try {
            Instant now = clock.instant();
            return model.snapshot(emitter.currentEta(now).orElse(null), now);
        } finally {
            lock.unlock();
        }
    }

    public int count(TaskStatus status) {
        return model.count(status);
    }

    public double percent() {
        return model.percent();
    }

    public long lastSequence() {
        return model.lastSequence;
    }

    public long eventsEmitted() {
        return emitter.eventsEmitted();
    }

    public long progressUpdates() {
        return taskVerbs.progressUpdates();
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public Registration onEvent(ProgressListener listener) {
        return RunCallbacks.onEvent(dispatcher, model.runId, listener);
    }

    public Registration onStatus(TaskStatus status, ProgressListener listener) {
        return RunCallbacks.onStatus(dispatcher, model.runId, status, listener);
    }

    // ------------------------------------------------------------------ flush / close

    /**
     * True once everything dispatched so far is stored and delivered; false on timeout, after a
     * failed store write, and while the store is not {@link StoreHealth.State#WRITING} this run.
     */
    public boolean flush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        boolean flushed = dispatcher.flush(timeout);
        return flushed && store.health(model.runId).isWriting();
    }

    /** What the store says about this run's writes now. */
    public StoreHealth storeHealth() {
        return store.health(model.runId);
    }

    public void close() {
        lock.lock();
        try {
            if (run.closed) {
                return;
            }
            run.closed = true;
        } finally {
            lock.unlock();
        }
        try {
            emitter.observer().close();
        } catch (RuntimeException e) {
            LOG.warn("closing the observer of run '{}' failed", model.runId, e);
        }
        if (ownsDispatcher) {
            dispatcher.close(config.closeTimeout());
        } else {
            dispatcher.flush(config.closeTimeout());
        }
    }

    public boolean isClosed() {
        return run.closed;
    }

    /** Time of the newest event of this tracker, null before any; lock-free. */
    public java.time.Instant lastEventTime() {
        return emitter.lastEventTime();
    }
}

package dev.progresstracker.core.internal;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.EventLimits;
import dev.progresstracker.core.ProgressListener;
import dev.progresstracker.core.ProgressSummary;
import dev.progresstracker.core.Registration;
import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.StoreUnavailableException;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.EtaSample;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.EventHeader;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.RunEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.spi.AlertChanges;
import dev.progresstracker.core.spi.CallbackRegistry;
import dev.progresstracker.core.spi.ObservedRun;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.spi.RunObserver;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Everything {@code ProgressTracker} does, behind one short lock: validate, change the model,
 * number the event, hand it to the dispatcher. Validation (inputs against {@link EventLimits}, the
 * move, the store's health) happens before any change, so a rejected call leaves the state as it was.
 */
public final class TrackerEngine {

    private static final Logger LOG = LoggerFactory.getLogger(TrackerEngine.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final RunModel model;
    private final Dispatcher dispatcher;
    private final ProgressStore store;
    private final EventLimits limits;
    private final boolean ownsDispatcher;
    private final Clock clock;
    private final TrackerConfig config;
    private final EtaEstimator estimator;
    private final ObservedRun observed;
    private RunObserver observer = RunObserver.NONE;
    private final long etaRefreshNanos;
    private boolean defersProgressAnalytics; // the ETA is computed and the observer takes progress conflated
    private final DeferredProgress deferred = new DeferredProgress();
    private Eta eventEta;              // the ETA written into events' run blocks, see eventEta()
    private Instant eventEtaAt;        // when it was computed; null: compute on the next event
    private CompletableFuture<Long> lastAck; // the ack of the newest event: a no-op call's answer
    private StoreHealth.State storeState = StoreHealth.State.WRITING; // last seen, to log once per episode
    private volatile boolean closed;
    private volatile long eventsEmitted;
    private volatile long progressUpdates;

    public TrackerEngine(RunModel model, Dispatcher dispatcher, boolean ownsDispatcher, Clock clock,
                         TrackerConfig config, EtaEstimator estimator) {
        this.model = model;
        this.dispatcher = dispatcher;
        this.store = dispatcher.store();
        this.limits = config.limits();
        this.lastAck = CompletableFuture.completedFuture(model.lastSequence);
        this.ownsDispatcher = ownsDispatcher;
        this.clock = clock;
        this.config = config;
        this.estimator = estimator;
        this.observed = new Observed();
        this.etaRefreshNanos = config.etaRefreshInterval().toNanos();
        this.defersProgressAnalytics = config.trackingMode().computesEta();
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
            if (observer != RunObserver.NONE) {
                throw new IllegalStateException("run '" + model.runId + "' already has an observer");
            }
            observer = runObserver;
            defersProgressAnalytics = config.trackingMode().computesEta() && runObserver.acceptsConflatedProgress();
            runObserver.start(observed, model.lastSequence > 0 ? tasks() : List.of());
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
    public static void checkRunInputs(String runId, String planId, String clusterName, Map<String, String> attributes,
                                      EventLimits limits) {
        try {
            if (planId != null) {
                InputChecks.requireName(planId, "planId", limits.maxNameLength(), "maxNameLength");
            }
            if (clusterName != null) {
                InputChecks.requireName(clusterName, "clusterName", limits.maxNameLength(), "maxNameLength");
            }
            InputChecks.requireAttributes(attributes, limits);
        } catch (InputChecks.Rejected r) {
            throw new IllegalArgumentException("run '" + runId + "': " + r.path() + " " + r.getMessage());
        }
    }

    // ------------------------------------------------------------------ run lifecycle

    public CompletableFuture<Long> startUpgrade(String phase) {
        String p = phase == null ? null : requireName(phase, "phase");
        lock.lock();
        try {
            checkOpen();
            requireRunMove(RunStatus.IN_PROGRESS, "start");
            checkStore();
            Instant now = clock.instant();
            model.status = RunStatus.IN_PROGRESS;
            if (p != null) {
                model.phase = p;
            }
            if (model.startedAt == null) {
                model.startedAt = now;
            }
            model.finishedAt = null;
            return emitRun(EventType.UPGRADE_STARTED, now, null);
        } finally {
            lock.unlock();
        }
    }

    public CompletableFuture<Long> completeUpgrade() {
        return finishRun(RunStatus.COMPLETED, "complete", EventType.UPGRADE_COMPLETED, null);
    }

    public CompletableFuture<Long> failUpgrade(String message) {
        return finishRun(RunStatus.FAILED, "fail", EventType.UPGRADE_FAILED, clip(message));
    }

    public CompletableFuture<Long> cancelUpgrade(String reason) {
        return finishRun(RunStatus.CANCELLED, "cancel", EventType.UPGRADE_CANCELLED, clip(reason));
    }

    private CompletableFuture<Long> finishRun(RunStatus target, String verb, EventType type, String text) {
        lock.lock();
        try {
            checkOpen();
            requireRunMove(target, verb);
            checkStore();
            Instant now = clock.instant();
            model.status = target;
            model.finishedAt = now;
            return emitRun(type, now, text);
        } finally {
            lock.unlock();
        }
    }

    public CompletableFuture<Long> setCurrentPhase(String phase) {
        String p = requireName(phase, "phase");
        lock.lock();
        try {
            checkOpen();
            checkRunMutable("change the phase of");
            checkStore();
            if (p.equals(model.phase)) {
                return unchanged();
            }
            String previous = model.phase;
            model.phase = p;
            return emitRun(EventType.PHASE_CHANGED, clock.instant(), previous);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ tasks: adding

    public CompletableFuture<Long> addTasks(Collection<TaskSpec> specs) {
        Objects.requireNonNull(specs, "specs must not be null");
        List<TaskSpec> list = new ArrayList<>(specs.size());
        for (TaskSpec s : specs) {
            list.add(validateSpec(s));
        }
        lock.lock();
        try {
            checkOpen();
            checkRunMutable("add tasks to");
            List<TaskSpec> ordered = orderParentsFirst(list);
            checkStore();
            if (ordered.isEmpty()) {
                return unchanged();
            }
            CompletableFuture<Long> last = null;
            Instant now = clock.instant();
            for (TaskSpec s : ordered) {
                TaskNode n = model.add(s.taskId(), s.name(), s.type(), s.parentTaskId(), s.weight());
                last = emitTask(EventType.TASK_ADDED, n, now);
            }
            return last;
        } finally {
            lock.unlock();
        }
    }

    private TaskSpec validateSpec(TaskSpec s) {
        Objects.requireNonNull(s, () -> "run '" + model.runId + "': a task spec must not be null");
        requireTaskId(s.taskId(), "taskId");
        String task = s.taskId();
        if (s.name() == null || s.name().isBlank()) {
            throw new IllegalArgumentException(where(task) + "needs a non-blank name");
        }
        try {
            InputChecks.requireName(s.name(), "name", limits.maxNameLength(), "maxNameLength");
        } catch (InputChecks.Rejected r) {
            throw rejected(task, r);
        }
        if (s.type() == null) {
            throw new IllegalArgumentException(where(task) + "needs a type");
        }
        if (s.parentTaskId() != null) {
            requireTaskId(s.parentTaskId(), "parentTaskId of task '" + task + "'");
            if (s.parentTaskId().equals(task)) {
                throw new IllegalArgumentException(where(task) + "cannot be its own parent");
            }
        }
        if (!Double.isFinite(s.weight()) || s.weight() <= 0) {
            throw new IllegalArgumentException(where(task) + "has weight " + s.weight()
                    + "; it must be a finite number above 0");
        }
        return s;
    }

    private void requireTaskId(String taskId, String field) {
        try {
            RunIds.requireValidTaskId(taskId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("run '" + model.runId + "': " + field + ": " + e.getMessage(), e);
        }
    }

    /**
     * Orders a batch so parents come before children; rejects duplicates, unknown parents and
     * cycles, naming the task. Runs under the lock, before any change.
     */
    private List<TaskSpec> orderParentsFirst(List<TaskSpec> specs) {
        Map<String, TaskSpec> byId = new LinkedHashMap<>();
        for (TaskSpec s : specs) {
            if (model.hasTask(s.taskId())) {
                throw new IllegalArgumentException("run '" + model.runId + "' already has a task '" + s.taskId() + "'");
            }
            if (byId.put(s.taskId(), s) != null) {
                throw new IllegalArgumentException("run '" + model.runId + "': task '" + s.taskId()
                        + "' appears twice in the batch");
            }
        }
        for (TaskSpec s : specs) {
            String parent = s.parentTaskId();
            if (parent != null && !model.hasTask(parent) && !byId.containsKey(parent)) {
                throw new IllegalArgumentException("task '" + s.taskId() + "' names parent '" + parent
                        + "', which run '" + model.runId + "' does not have");
            }
        }
        if (specs.size() == 1) {
            return specs;
        }
        List<TaskSpec> out = new ArrayList<>(specs.size());
        Set<String> placed = new HashSet<>();
        Map<String, List<TaskSpec>> children = new HashMap<>();
        Deque<TaskSpec> ready = new ArrayDeque<>();
        for (TaskSpec s : specs) {
            if (s.parentTaskId() == null || !byId.containsKey(s.parentTaskId())) {
                ready.add(s);
            } else {
                children.computeIfAbsent(s.parentTaskId(), k -> new ArrayList<>()).add(s);
            }
        }
        while (!ready.isEmpty()) {
            TaskSpec s = ready.poll();
            out.add(s);
            placed.add(s.taskId());
            ready.addAll(children.getOrDefault(s.taskId(), List.of()));
        }
        if (out.size() != specs.size()) {
            List<String> cyclic = new ArrayList<>();
            for (TaskSpec s : specs) {
                if (!placed.contains(s.taskId())) {
                    cyclic.add(s.taskId());
                }
            }
            throw new IllegalArgumentException("run '" + model.runId + "': tasks " + cyclic + " form a parent cycle");
        }
        return out;
    }

    // ------------------------------------------------------------------ tasks: lifecycle

    public CompletableFuture<Long> startTask(String taskId) {
        return transition(taskId, TaskStatus.IN_PROGRESS, "start", null);
    }

    public CompletableFuture<Long> completeTask(String taskId) {
        return transition(taskId, TaskStatus.COMPLETED, "complete", null);
    }

    public CompletableFuture<Long> failTask(String taskId, String message) {
        return transition(taskId, TaskStatus.FAILED, "fail", message);
    }

    public CompletableFuture<Long> pauseTask(String taskId, String reason) {
        return transition(taskId, TaskStatus.PAUSED, "pause", reason);
    }

    public CompletableFuture<Long> resumeTask(String taskId) {
        return transition(taskId, TaskStatus.IN_PROGRESS, "resume", null);
    }

    public CompletableFuture<Long> cancelTask(String taskId, String reason) {
        return transition(taskId, TaskStatus.CANCELLED, "cancel", reason);
    }

    public CompletableFuture<Long> skipTask(String taskId, String reason) {
        return transition(taskId, TaskStatus.SKIPPED, "skip", reason);
    }

    private CompletableFuture<Long> transition(String taskId, TaskStatus target, String verb, String message) {
        String text = clip(message);
        lock.lock();
        try {
            checkOpen();
            checkRunMutable(verb + " tasks of");
            TaskNode n = requireTask(taskId);
            TaskStatus from = n.status;
            boolean resume = verb.equals("resume");
            if (resume && from != TaskStatus.PAUSED || !resume && target == TaskStatus.IN_PROGRESS && from == TaskStatus.PAUSED) {
                throw new IllegalStateException("cannot " + verb + " task '" + taskId + "' of run '" + model.runId
                        + "': it is " + from
                        + (resume ? "; only a PAUSED task can be resumed" : "; use resumeTask for a PAUSED task"));
            }
            if (!from.canMoveTo(target)) {
                throw new IllegalStateException("cannot " + verb + " task '" + taskId + "' of run '" + model.runId
                        + "': it is " + from + " and " + from + " → " + target + " is not allowed" + allowedHint(from));
            }
            checkStore();
            Instant now = clock.instant();
            EventType type;
            switch (target) {
                case IN_PROGRESS:
                    if (resume) {
                        type = EventType.TASK_RESUMED;
                    } else {
                        type = EventType.TASK_STARTED;
                        n.attempt++;
                        if (from == TaskStatus.FAILED) {
                            // A retry starts the work over; its progress is measured afresh.
                            n.finishedAt = null;
                            model.setPercent(n, 0);
                        }
                        if (n.startedAt == null) {
                            n.startedAt = now;
                        }
                    }
                    break;
                case COMPLETED:
                    type = EventType.TASK_COMPLETED;
                    if (!n.hasChildren()) {
                        model.setPercent(n, 100);
                    }
                    n.finishedAt = now;
                    break;
                case FAILED:
                    type = EventType.TASK_FAILED;
                    n.finishedAt = now;
                    break;
                case PAUSED:
                    type = EventType.TASK_PAUSED;
                    break;
                case CANCELLED:
                    type = EventType.TASK_CANCELLED;
                    n.finishedAt = now;
                    break;
                case SKIPPED:
                    type = EventType.TASK_SKIPPED;
                    n.finishedAt = now;
                    break;
                default:
                    throw new IllegalStateException("unexpected target " + target);
            }
            if (text != null) {
                n.message = text;
            }
            model.setStatus(n, target);
            return emitTask(type, n, now);
        } finally {
            lock.unlock();
        }
    }

    private static String allowedHint(TaskStatus from) {
        List<TaskStatus> allowed = new ArrayList<>();
        for (TaskStatus s : TaskStatus.values()) {
            if (from.canMoveTo(s)) {
                allowed.add(s);
            }
        }
        return allowed.isEmpty() ? " (" + from + " is final)" : " (allowed: " + allowed + ")";
    }

    public CompletableFuture<Long> updateTaskProgress(String taskId, double percent, String message, Map<String, ?> details) {
        if (Double.isNaN(percent) || percent < 0 || percent > 100) {
            throw new IllegalArgumentException(where(taskId) + "percent must be within 0..100, got " + percent);
        }
        Map<String, Object> copy;
        try {
            copy = details == null ? null : InputChecks.copyDetails(details, limits);
        } catch (InputChecks.Rejected r) {
            throw rejected(taskId, r);
        }
        String text = clip(message);
        lock.lock();
        try {
            checkOpen();
            checkRunMutable("update tasks of");
            TaskNode n = requireTask(taskId);
            if (n.status != TaskStatus.IN_PROGRESS) {
                throw new IllegalStateException("cannot update progress of task '" + taskId + "' of run '" + model.runId
                        + "': it is " + n.status
                        + (n.status == TaskStatus.NOT_STARTED ? "; call startTask first" : "; only IN_PROGRESS tasks make progress"));
            }
            if (n.hasChildren()) {
                throw new IllegalStateException("cannot update progress of task '" + taskId + "' of run '" + model.runId
                        + "': it has " + n.childCount + " child task(s) and its percent is their weighted mean");
            }
            if (percent < n.ownPercent && !config.allowProgressRegression()) {
                throw new IllegalArgumentException(where(taskId) + "progress would go backwards from "
                        + n.ownPercent + " to " + percent + "; set TrackerConfig.allowProgressRegression to permit it");
            }
            checkStore();
            model.setPercent(n, percent);
            if (text != null) {
                n.message = text;
            }
            if (copy != null) {
                n.details = copy;
            }
            progressUpdates++;
            Instant now = clock.instant();
            if (!config.trackingMode().emitsProgress()) {
                observe(EventType.TASK_PROGRESS, n, now);
                return unchanged();
            }
            return emitTask(EventType.TASK_PROGRESS, n, now);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ alerts

    public CompletableFuture<Long> raiseAlert(Alert raised) {
        Objects.requireNonNull(raised, () -> "run '" + model.runId + "': alert must not be null");
        Alert alert = checkAlert(raised);
        lock.lock();
        try {
            checkOpen();
            if (alert.taskId() != null) {
                requireTask(alert.taskId());
            }
            checkStore();
            if (model.alerts().containsKey(alert.alertId())) {
                return unchanged();
            }
            model.alerts().put(alert.alertId(), alert);
            Instant now = clock.instant();
            return emit(h -> new AlertEvent.AlertRaised(h, runView(now, null), alert), now);
        } finally {
            lock.unlock();
        }
    }

    public CompletableFuture<Long> clearAlert(String alertId) {
        Objects.requireNonNull(alertId, () -> "run '" + model.runId + "': alertId must not be null");
        lock.lock();
        try {
            checkOpen();
            checkStore();
            Alert alert = model.alerts().remove(alertId);
            if (alert == null) {
                return unchanged();
            }
            Instant now = clock.instant();
            return emit(h -> new AlertEvent.AlertCleared(h, runView(now, null), alert), now);
        } finally {
            lock.unlock();
        }
    }

    /** Alerts raised and not cleared. */
    public List<Alert> activeAlerts() {
        lock.lock();
        try {
            return List.copyOf(model.alerts().values());
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ reads

    public TaskView task(String taskId) {
        lock.lock();
        try {
            return requireTask(taskId).view();
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
            return currentEta(clock.instant());
        } finally {
            lock.unlock();
        }
    }

    /** Asks the observer for the alert changes due now and emits them (no observer: nothing). */
    public void evaluateAlerts() {
        lock.lock();
        try {
            if (!closed) {
                foldDeferred();
                AlertChanges changes;
                try {
                    changes = observer.review(observed);
                } catch (RuntimeException e) {
                    LOG.warn("alert review of run '{}' failed", model.runId, e);
                    return;
                }
                apply(changes);
            }
        } finally {
            lock.unlock();
        }
    }

    public ProgressSummary summary() {
        lock.lock();
        try {
            foldDeferred();
            Instant now = clock.instant();
            Duration elapsed = model.startedAt == null ? Duration.ZERO
                    : Duration.between(model.startedAt, model.finishedAt != null ? model.finishedAt : now);
            Optional<Eta> eta = config.trackingMode().computesEta() ? currentEta(now) : Optional.empty();
            return new ProgressSummary(model.runId, model.planId, model.clusterName, model.status, model.phase,
                    model.percent(), model.counts(), model.taskCount(), model.startedAt,
                    elapsed.isNegative() ? Duration.ZERO : elapsed, eta, model.lastSequence, store.health(model.runId));
        } finally {
            lock.unlock();
        }
    }

    /** Full state, O(tasks). */
    public RunState snapshot() {
        lock.lock();
        try {
            Instant now = clock.instant();
            return model.snapshot(config.trackingMode().computesEta() ? currentEta(now).orElse(null) : null, now);
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
        return eventsEmitted;
    }

    public long progressUpdates() {
        return progressUpdates;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    // ------------------------------------------------------------------ callbacks

    public Registration onEvent(ProgressListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        String runId = model.runId;
        return registry().register("onEvent@" + runId, e -> e.runId().equals(runId), listener);
    }

    public Registration onStatus(TaskStatus status, ProgressListener listener) {
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        String runId = model.runId;
        Predicate<ProgressEvent> filter = e -> e.runId().equals(runId) && e instanceof TaskEvent te
                && e.type() != EventType.TASK_PROGRESS && te.task().status() == status;
        return registry().register("onStatus(" + status + ")@" + runId, filter, listener);
    }

    private CallbackRegistry registry() {
        CallbackRegistry r = dispatcher.callbackRegistry();
        if (r == null) {
            throw new IllegalStateException("callbacks are switched off: no CallbackRegistry sink is installed "
                    + "(add tracker-callbacks' CallbackManager as a sink, or install its CallbackModule)");
        }
        return r;
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
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        try {
            observer.close();
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
        return closed;
    }

    // ------------------------------------------------------------------ emitting (under lock)

    private interface EventFactory {
        ProgressEvent create(EventHeader header);
    }

    private CompletableFuture<Long> emitTask(EventType type, TaskNode n, Instant now) {
        TaskView view = n.view();
        if (defersProgressAnalytics && type == EventType.TASK_PROGRESS && !eventEtaDue(now, type)) {
            TaskEvent event = (TaskEvent) number(h -> TaskEvent.of(type, h, runView(now, type), view), now);
            deferred.defer(n, event, model.percent(), model.remainingWeight());
            return dispatch(event);
        }
        observe(type, view, now);
        return emit(h -> TaskEvent.of(type, h, runView(now, type), view), now);
    }

    private CompletableFuture<Long> emitRun(EventType type, Instant now, String text) {
        observe(type, (TaskView) null, now);
        return emit(h -> switch (type) {
            case UPGRADE_STARTED -> new RunEvent.UpgradeStarted(h, runView(now, type), model.attributes);
            case UPGRADE_COMPLETED -> new RunEvent.UpgradeCompleted(h, runView(now, type));
            case UPGRADE_FAILED -> new RunEvent.UpgradeFailed(h, runView(now, type), text);
            case UPGRADE_CANCELLED -> new RunEvent.UpgradeCancelled(h, runView(now, type), text);
            case PHASE_CHANGED -> new RunEvent.PhaseChanged(h, runView(now, type), text);
            default -> throw new IllegalArgumentException(type + " is not a run event");
        }, now);
    }

    private CompletableFuture<Long> emit(EventFactory factory, Instant now) {
        ProgressEvent event = number(factory, now);
        CompletableFuture<Long> ack = dispatch(event);
        notifyObserver(event);
        return ack;
    }

    /** Shows the observer a just-numbered event and emits the alert changes it asks for. */
    private void notifyObserver(ProgressEvent event) {
        if (observer == RunObserver.NONE) {
            return;
        }
        foldDeferred(); // keeps sequence order when an alert event follows deferred progress
        AlertChanges changes = observe(event);
        if (!(event instanceof AlertEvent)) {
            apply(changes);
        }
    }

    private AlertChanges observe(ProgressEvent event) {
        try {
            return observer.observe(event, observed);
        } catch (RuntimeException e) {
            LOG.warn("observer of run '{}' failed on {} #{}", model.runId, event.type(), event.sequence(), e);
            return AlertChanges.NONE;
        }
    }

    /** Clears, then raises, through the same verbs the caller uses (the lock is reentrant). */
    private void apply(AlertChanges changes) {
        if (changes == null || changes.isEmpty()) {
            return;
        }
        // The event that caused the changes is already numbered: a failing change must not fail the caller's call.
        for (String id : changes.clear()) {
            try {
                clearAlert(id);
            } catch (RuntimeException e) {
                LOG.warn("observer of run '{}' could not clear alert {}: {}", model.runId, id, e.toString());
            }
        }
        for (Alert a : changes.raise()) {
            try {
                raiseAlert(a);
            } catch (RuntimeException e) {
                LOG.warn("observer of run '{}' raised a bad alert {}: {}", model.runId, a.alertId(), e.toString());
            }
        }
    }

    /** Creates the run's next event. */
    private ProgressEvent number(EventFactory factory, Instant now) {
        EventHeader header = new EventHeader(FastUuid.next(), model.runId, model.lastSequence + 1, now,
                model.clusterName, model.planId);
        ProgressEvent event = factory.create(header);
        model.lastSequence = header.sequence();
        eventsEmitted++;
        return event;
    }

    private CompletableFuture<Long> dispatch(ProgressEvent event) {
        CompletableFuture<Long> ack = new CompletableFuture<>();
        lastAck = ack;
        dispatcher.dispatch(event, ack);
        return ack;
    }

    /**
     * The answer of a call that emits no event: completes with the newest event's sequence once
     * that event (and so, in a store that writes in order, everything before it) is stored, or
     * fails as that event's ack fails. A copy, so that callers cannot complete each other's stages.
     */
    private CompletableFuture<Long> unchanged() {
        return lastAck.copy();
    }

    /** Lets the estimator and the observer catch up with the progress {@link #emitTask} deferred. */
    private void foldDeferred() {
        deferred.fold(estimator, this::observe);
    }

    private void observe(EventType type, TaskNode n, Instant now) {
        if (config.trackingMode().computesEta()) {
            observe(type, n.view(), now);
        }
    }

    private void observe(EventType type, TaskView view, Instant now) {
        if (config.trackingMode().computesEta()) {
            foldDeferred();
            estimator.observe(new EtaSample(now, type, model.percent(), view, model.remainingWeight()));
        }
    }

    private RunView runView(Instant now, EventType type) {
        return model.view(eventEta(now, type));
    }

    /**
     * The ETA for an event's run block (null outside ENHANCED/COMPREHENSIVE): reused while younger
     * than {@code etaRefreshInterval} on the injected clock, recomputed on events that change the
     * remaining work ({@code type} other than progress, start, pause, resume; null = alert event).
     * This keeps the estimator off the per-update hot path; {@link #eta()} is always fresh.
     */
    Eta eventEta(Instant now, EventType type) {
        if (!config.trackingMode().computesEta()) {
            return null;
        }
        if (eventEtaDue(now, type)) {
            eventEta = currentEta(now).orElse(null);
            eventEtaAt = now;
        }
        return eventEta;
    }

    private boolean eventEtaDue(Instant now, EventType type) {
        boolean changesWork = type != null && type != EventType.TASK_PROGRESS && type != EventType.TASK_STARTED
                && type != EventType.TASK_PAUSED && type != EventType.TASK_RESUMED;
        return eventEtaAt == null || changesWork || model.status == RunStatus.COMPLETED || now.isBefore(eventEtaAt)
                || nanosBetween(eventEtaAt, now) >= etaRefreshNanos;
    }

    /** The ETA most recently written into an event (alert rules read it; under the lock). */
    Eta lastEventEta() {
        return eventEtaAt == null ? null : eventEta;
    }

    /** What the observer reads during its callbacks (under the lock). */
    private final class Observed implements ObservedRun {
        private final Map<String, Alert> alerts = Collections.unmodifiableMap(model.alerts());

        @Override
        public String runId() {
            return model.runId;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public double percent() {
            return model.percent();
        }

        @Override
        public Optional<Eta> eventEta() {
            return Optional.ofNullable(lastEventEta());
        }

        @Override
        public Optional<Eta> eta() {
            return config.trackingMode().computesEta() ? currentEta(clock.instant()) : Optional.empty();
        }

        @Override
        public Map<String, Alert> activeAlerts() {
            return alerts;
        }
    }

    private static long nanosBetween(Instant a, Instant b) {
        long seconds = b.getEpochSecond() - a.getEpochSecond();
        if (seconds > Long.MAX_VALUE / 2_000_000_000L) {
            return Long.MAX_VALUE;
        }
        return seconds * 1_000_000_000L + (b.getNano() - a.getNano());
    }

    private Optional<Eta> currentEta(Instant now) {
        if (model.status == RunStatus.COMPLETED) {
            return Optional.of(new Eta(0, 0, 0, 1.0, estimator.name()));
        }
        foldDeferred();
        return estimator.estimate(now);
    }

    // ------------------------------------------------------------------ checks (under lock)

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the tracker of run '" + model.runId + "' is closed");
        }
    }

    /**
     * Refuses the call while the store refuses the run's events; logs once per episode when the
     * store stops writing normally and when it writes again. Under the lock, before any change.
     */
    private void checkStore() {
        StoreHealth h = store.health(model.runId);
        if (h.state() != storeState) {
            storeStateChanged(h);
        }
        if (h.state() == StoreHealth.State.REFUSING) {
            throw new StoreUnavailableException(model.runId, h);
        }
    }

    private void storeStateChanged(StoreHealth h) {
        if (h.isWriting()) {
            LOG.info("run '{}': the store writes again (it was {})", model.runId, storeState);
        } else {
            LOG.warn("run '{}': the store is {} since {}: {} ({} event(s) waiting); acknowledgements wait until "
                    + "it writes again", model.runId, h.state(), h.since(), h.problem(), h.backlogEvents());
        }
        storeState = h.state();
    }

    private void checkRunMutable(String what) {
        if (model.status.isFinal()) {
            throw new IllegalStateException("cannot " + what + " run '" + model.runId + "': it is " + model.status
                    + " and accepts no further changes");
        }
    }

    private void requireRunMove(RunStatus target, String verb) {
        if (!model.status.canMoveTo(target)) {
            throw new IllegalStateException("cannot " + verb + " run '" + model.runId + "': it is " + model.status
                    + " and " + model.status + " → " + target + " is not allowed");
        }
    }

    private TaskNode requireTask(String taskId) {
        if (taskId == null) {
            throw new IllegalArgumentException("run '" + model.runId + "': taskId must not be null");
        }
        TaskNode n = model.task(taskId);
        if (n == null) {
            throw new NoSuchElementException("run '" + model.runId + "' has no task '" + taskId + "'");
        }
        return n;
    }

    private String requireName(String value, String field) {
        try {
            return InputChecks.requireName(value, field, limits.maxNameLength(), "maxNameLength");
        } catch (InputChecks.Rejected r) {
            throw rejected(null, r);
        }
    }

    private Alert checkAlert(Alert a) {
        try {
            InputChecks.requireName(a.alertId(), "alertId", limits.maxNameLength(), "maxNameLength");
            InputChecks.requireName(a.rule(), "rule", limits.maxNameLength(), "maxNameLength");
        } catch (InputChecks.Rejected r) {
            throw new IllegalArgumentException("run '" + model.runId + "', alert '" + a.alertId() + "': "
                    + r.path() + " " + r.getMessage());
        }
        String message = clip(a.message());
        return message.equals(a.message()) ? a : new Alert(a.alertId(), a.rule(), a.severity(), message, a.taskId());
    }

    /** "run 'r', task 't': " — the start of every message about bad input. */
    private String where(String taskId) {
        return taskId == null ? "run '" + model.runId + "': " : "run '" + model.runId + "', task '" + taskId + "': ";
    }

    private IllegalArgumentException rejected(String taskId, InputChecks.Rejected r) {
        return new IllegalArgumentException(where(taskId) + r.path() + " " + r.getMessage());
    }

    private String clip(String text) {
        return InputChecks.clipMessage(text, config.maxMessageLength());
    }
}

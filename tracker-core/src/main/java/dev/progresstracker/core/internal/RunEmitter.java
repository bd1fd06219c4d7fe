package dev.progresstracker.core.internal;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.RunView;
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
import dev.progresstracker.core.spi.ObservedRun;
import dev.progresstracker.core.spi.RunObserver;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers the run's events, hands them to the dispatcher and feeds the analytics (estimator and
 * run observer). {@code task.progress} is observed conflated through {@link DeferredProgress} when
 * the observer accepts it, so a burst of updates costs one observation per task. Guarded by the
 * tracker's lock.
 */
final class RunEmitter {

    private static final Logger LOG = LoggerFactory.getLogger(RunEmitter.class);

    private interface EventFactory {
        ProgressEvent create(EventHeader header);
    }

    private final RunModel model;
    private final Dispatcher dispatcher;
    private final Clock clock;
    /**
     * Newest event's time and the events emitted: written under the lock with release semantics and
     * read lock-free with acquire (a volatile write would fence the hot path on every event).
     */
    private Instant lastEventTime;

    private final boolean computesEta;
    private final EtaEstimator estimator;
    /** The verbs through which the observer's alert changes come back (re-entering the run's lock). */
    private final AlertVerbs alertVerbs;

    private final ObservedRun observed;
    private final DeferredProgress deferred = new DeferredProgress();
    private final EventEtaCache etaCache;
    private final EtaFactorsMeter factors;
    private RunObserver observer = RunObserver.NONE;
    private boolean defersProgressAnalytics; // the ETA is computed and the observer takes progress conflated
    private CompletableFuture<Long> lastAck; // the ack of the newest event: a no-op call's answer
    private long eventsEmitted;

    private static final VarHandle EVENTS_EMITTED;
    private static final VarHandle LAST_EVENT_TIME;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            EVENTS_EMITTED = lookup.findVarHandle(RunEmitter.class, "eventsEmitted", long.class);
            LAST_EVENT_TIME = lookup.findVarHandle(RunEmitter.class, "lastEventTime", Instant.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    RunEmitter(
            RunModel model,
            Dispatcher dispatcher,
            Clock clock,
            TrackerConfig config,
            EtaEstimator estimator,
            AlertVerbs alertVerbs) {
        this.model = model;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.computesEta = config.trackingMode().computesEta();
        this.estimator = estimator;
        this.alertVerbs = alertVerbs;
        this.etaCache = new EventEtaCache(config.etaRefreshInterval());
        this.factors = new EtaFactorsMeter(model);
        this.defersProgressAnalytics = computesEta;
        this.lastAck = CompletableFuture.completedFuture(model.lastSequence);
        this.observed = new Observed();
    }

    boolean hasObserver() {
        return observer != RunObserver.NONE;
    }

    RunObserver observer() {
        return observer;
    }

    ObservedRun observed() {
        return observed;
    }

    void attach(RunObserver runObserver) {
        observer = runObserver;
        defersProgressAnalytics = computesEta && runObserver.acceptsConflatedProgress();
    }

    long eventsEmitted() {
        return (long) EVENTS_EMITTED.getAcquire(this);
    }

    // ------------------------------------------------------------------ emitting

    CompletableFuture<Long> emitTask(EventType type, TaskNode n, Instant now) {
        TaskView view = n.view();
        // task.usage takes progress' path: both carry the task's whole state, so conflating either is lossless.
        if (defersProgressAnalytics
                && !type.isLifecycle()
                && !etaCache.due(now, type, model.status == RunStatus.COMPLETED)) {
            // Not due: the cached ETA goes into the event as it is (no second due test on the hot path).
            // Built in line, not through number()'s factory: no lambda and no megamorphic call per update.
            TaskEvent event = TaskEvent.of(type, header(now), model.view(etaCache.last()), view);
            numbered(event);
            deferred.defer(n, event, model.percent(), model.remainingWeight());
            return dispatch(event);
        }
        observe(type, view, now);
        return emit(h -> TaskEvent.of(type, h, runView(now, type), view), now);
    }

    CompletableFuture<Long> emitRun(EventType type, Instant now, String text) {
        observe(type, (TaskView) null, now);
        return emit(
                h -> switch (type) {
                    case UPGRADE_STARTED -> new RunEvent.UpgradeStarted(h, runView(now, type), model.attributes);
                    case UPGRADE_COMPLETED -> new RunEvent.UpgradeCompleted(h, runView(now, type));
                    case UPGRADE_FAILED -> new RunEvent.UpgradeFailed(h, runView(now, type), text);
                    case UPGRADE_CANCELLED -> new RunEvent.UpgradeCancelled(h, runView(now, type), text);
                    case PHASE_CHANGED -> new RunEvent.PhaseChanged(h, runView(now, type), text);
                    default -> throw new IllegalArgumentException(type + " is not a run event");
                },
                now);
    }

    CompletableFuture<Long> emitAlert(Alert alert, boolean raised, Instant now) {
        return emit(
                h -> raised
                        ? new AlertEvent.AlertRaised(h, runView(now, null), alert)
                        : new AlertEvent.AlertCleared(h, runView(now, null), alert),
                now);
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
    void apply(AlertChanges changes) {
        if (changes == null || changes.isEmpty()) {
            return;
        }
        // The event that caused the changes is already numbered: a failing change must not fail the caller's call.
        for (String id : changes.clear()) {
            try {
                alertVerbs.clear(id);
            } catch (RuntimeException e) {
                LOG.warn("observer of run '{}' could not clear alert {}: {}", model.runId, id, e.toString());
            }
        }
        for (Alert a : changes.raise()) {
            try {
                alertVerbs.raise(a);
            } catch (RuntimeException e) {
                LOG.warn("observer of run '{}' raised a bad alert {}: {}", model.runId, a.alertId(), e.toString());
            }
        }
    }

    /** Creates the run's next event. */
    private ProgressEvent number(EventFactory factory, Instant now) {
        ProgressEvent event = factory.create(header(now));
        numbered(event);
        return event;
    }

    /** The header of the run's next event. */
    private EventHeader header(Instant now) {
        return new EventHeader(
                FastUuid.next(), model.runId, model.lastSequence + 1, now, model.clusterName, model.planId);
    }

    /** Makes {@code event} (built on {@link #header}) the run's newest. */
    private void numbered(ProgressEvent event) {
        model.lastSequence = event.sequence();
        EVENTS_EMITTED.setRelease(this, eventsEmitted + 1);
        LAST_EVENT_TIME.setRelease(this, event.header().time());
    }

    /** Time of the newest event numbered, null before any; read off the lock (TrackerFactory.closeIdle). */
    Instant lastEventTime() {
        return (Instant) LAST_EVENT_TIME.getAcquire(this);
    }

    private CompletableFuture<Long> dispatch(ProgressEvent event) {
        CompletableFuture<Long> ack = dispatcher.newAck();
        lastAck = ack;
        dispatcher.dispatch(event, ack);
        return ack;
    }

    /**
     * The answer of a call that emits no event: completes with the newest event's sequence once
     * that event (and so, in a store that writes in order, everything before it) is stored, or
     * fails as that event's ack fails. A copy, so that callers cannot complete each other's stages.
     */
    CompletableFuture<Long> unchanged() {
        return lastAck.copy();
    }

    // ------------------------------------------------------------------ analytics

    /** Lets the estimator and the observer catch up with the progress {@link #emitTask} deferred. */
    void foldDeferred() {
        deferred.fold(estimator, this::observe);
    }

    /** Feeds the estimator a change that emits no event (progress in MINIMAL mode). */
    void observeSilently(EventType type, TaskNode n, Instant now) {
        if (computesEta) {
            observe(type, n.view(), now);
        }
    }

    private void observe(EventType type, TaskView view, Instant now) {
        if (computesEta && type != EventType.TASK_USAGE) { // usage changes no work to do
            foldDeferred();
            estimator.observe(new EtaSample(now, type, model.percent(), view, model.remainingWeight()));
        }
    }

    private RunView runView(Instant now, EventType type) {
        return model.view(
                computesEta
                        ? etaCache.get(
                                now,
                                type,
                                model.status == RunStatus.COMPLETED,
                                () -> currentEta(now).orElse(null))
                        : null);
    }

    /** A fresh ETA (empty when the mode computes none or the estimator cannot tell yet). */
    Optional<Eta> currentEta(Instant now) {
        if (!computesEta) {
            return Optional.empty();
        }
        if (model.status == RunStatus.COMPLETED) {
            return Optional.of(factors.complete(new Eta(0, 0, 0, 1.0, estimator.name()), now));
        }
        foldDeferred();
        return estimator.estimate(now).map(eta -> factors.complete(eta, now));
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
            return Optional.ofNullable(etaCache.last());
        }

        @Override
        public Optional<Eta> eta() {
            return currentEta(clock.instant());
        }

        @Override
        public Map<String, Alert> activeAlerts() {
            return alerts;
        }
    }
}

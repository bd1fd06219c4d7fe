package dev.progresstracker.core.internal;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.spi.AlertChanges;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert verbs of {@code ProgressTracker}: raise and clear (each emits {@code alert.raised} /
 * {@code alert.cleared}; raising an alert that is active, or clearing one that is not, emits
 * nothing), the active alerts, and the observer's review. The observer's alert changes come back
 * through the same verbs, re-entering the run's lock. Thread-safe through that lock.
 */
public final class AlertVerbs {

    private static final Logger LOG = LoggerFactory.getLogger(AlertVerbs.class);

    private final RunContext run;

    AlertVerbs(RunContext run) {
        this.run = run;
    }

    public CompletableFuture<Long> raise(Alert raised) {
        Objects.requireNonNull(raised, () -> "run '" + run.model.runId + "': alert must not be null");
        Alert alert = run.inputs.alert(raised);
        run.lock.lock();
        try {
            run.checkOpen();
            if (alert.taskId() != null) {
                run.requireTask(alert.taskId());
            }
            run.storeGate.check();
            if (run.model.alerts().containsKey(alert.alertId())) {
                return run.emitter.unchanged();
            }
            run.model.alerts().put(alert.alertId(), alert);
            return run.emitter.emitAlert(alert, true, run.clock.instant());
        } finally {
            run.lock.unlock();
        }
    }

    public CompletableFuture<Long> clear(String alertId) {
        Objects.requireNonNull(alertId, () -> "run '" + run.model.runId + "': alertId must not be null");
        run.lock.lock();
        try {
            run.checkOpen();
            run.storeGate.check();
            Alert alert = run.model.alerts().remove(alertId);
            if (alert == null) {
                return run.emitter.unchanged();
            }
            return run.emitter.emitAlert(alert, false, run.clock.instant());
        } finally {
            run.lock.unlock();
        }
    }

    /** Alerts raised and not cleared. */
    public List<Alert> active() {
        run.lock.lock();
        try {
            return List.copyOf(run.model.alerts().values());
        } finally {
            run.lock.unlock();
        }
    }

    /** Asks the observer for the alert changes due now and emits them (no observer: nothing). */
    public void evaluate() {
        run.lock.lock();
        try {
            if (!run.closed) {
                run.emitter.foldDeferred();
                AlertChanges changes;
                try {
                    changes = run.emitter.observer().review(run.emitter.observed());
                } catch (RuntimeException e) {
                    LOG.warn("alert review of run '{}' failed", run.model.runId, e);
                    return;
                }
                run.emitter.apply(changes);
            }
        } finally {
            run.lock.unlock();
        }
    }
}

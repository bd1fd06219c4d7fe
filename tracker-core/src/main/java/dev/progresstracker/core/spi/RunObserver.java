package dev.progresstracker.core.spi;

import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.ProgressEvent;
import java.util.List;

/**
 * Watches one run from inside its tracker: what analytics (throughput, reports, alert rules) are
 * built on. Created by the tracker's {@link AnalyticsHook} when the tracker is built.
 *
 * <p>Threading: {@link #start}, {@link #observe} and {@link #review} run on the calling thread under
 * the tracker's lock, one at a time, in sequence order; they must be cheap (O(1) amortised per event)
 * and must not call the tracker — they change alerts by returning {@link AlertChanges}, which the
 * tracker emits right after, still in order. Whatever else reads the observer's state (a report) must
 * synchronise with it. A throwing observer loses that one observation (logged); the caller's call
 * and the run go on.
 *
 * <p>Conflation: when {@link #acceptsConflatedProgress()} holds (the default) and the tracker computes
 * an ETA, {@code task.progress} events reach the observer conflated — the latest one per task, with
 * its own values, in sequence order — before the next other event, ETA refresh or read of
 * {@code eta()}, {@code summary()} or {@code snapshot()}. Alert changes returned for such late
 * progress are ignored, and so are changes returned for alert events (an alert never triggers
 * another alert).
 */
public interface RunObserver {

    /** Observes nothing. */
    RunObserver NONE = (event, run) -> AlertChanges.NONE;

    /** Called once before any event: the tasks restored from the store (parents first), empty for a new run. */
    default void start(ObservedRun run, List<TaskView> restored) {}

    /** One event of the run (alert events included); returns the alert changes it calls for. */
    AlertChanges observe(ProgressEvent event, ObservedRun run);

    /** {@code ProgressTracker.evaluateAlerts()}: the alert changes due now, for every task. Default none. */
    default AlertChanges review(ObservedRun run) {
        return AlertChanges.NONE;
    }

    /** Whether {@code task.progress} may arrive conflated (see the class comment); default true. */
    default boolean acceptsConflatedProgress() {
        return true;
    }

    /** The tracker closed; called once, off its lock. Default does nothing. */
    default void close() {}
}

package dev.progresstracker.core.eta;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.TaskView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Estimates the remaining time of one run. One instance per tracker; called under the tracker's
 * lock, so implementations need no synchronisation but must be cheap (O(1) amortised per call).
 */
public interface EtaEstimator {

    /** Short name written into {@link Eta#method()}, e.g. {@code linear}. */
    String name();

    /** Observes one change of the run. */
    void observe(EtaSample sample);

    /** The current estimate, or empty while there is too little to go on. */
    Optional<Eta> estimate(Instant now);

    /**
     * Tells the estimator that the run was restored from a store at {@code runPercent}: what it
     * learnt before the restart is gone, and the time the process was down is not progress time.
     * Default does nothing.
     */
    default void resumed(Instant now, double runPercent) {}

    /**
     * Same as {@link #resumed(Instant, double)}, with the stored tasks (parents first) so an
     * estimator can relearn durations and the work already done. Default calls the two-argument form.
     */
    default void resumed(Instant now, double runPercent, List<TaskView> tasks) {
        resumed(now, runPercent);
    }
}

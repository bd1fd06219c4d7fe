package dev.progresstracker.core.spi;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.eta.EtaEstimator;
import java.util.Optional;

/**
 * The analytics installed on a tracker, or on a {@code TrackerFactory} for each tracker it builds:
 * the {@code tracker-analytics} module implements it ({@code TrackerAnalytics}). It may supply each
 * tracker's {@link EtaEstimator} and opens one {@link RunObserver} per tracker. Default
 * {@link #NONE}: the tracker estimates with {@code LinearEstimator} and raises no alerts of its own.
 *
 * <p>One hook serves every tracker of a factory: implementations are thread-safe.
 */
public interface AnalyticsHook {

    /** No analytics. */
    AnalyticsHook NONE = tracker -> RunObserver.NONE;

    /**
     * A fresh estimator for one tracker, or empty to keep the tracker's own ({@code LinearEstimator});
     * an estimator set on the tracker's builder wins over both. Default empty.
     */
    default Optional<EtaEstimator> newEstimator() {
        return Optional.empty();
    }

    /**
     * The observer of {@code tracker}, called once while the tracker is built (before any event). The
     * observer may keep {@code tracker} to call its public API later from its own threads (for instance
     * {@link ProgressTracker#evaluateAlerts()} on a timer), never from inside a callback.
     */
    RunObserver newObserver(ProgressTracker tracker);
}

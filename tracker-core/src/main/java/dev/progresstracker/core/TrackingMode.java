package dev.progresstracker.core;

/**
 * How much the tracker emits and which analytics a preset installs. Default {@link #ENHANCED}.
 *
 * <p>Core itself acts on two things: whether {@code task.progress} is emitted and whether an ETA is
 * computed (with the tracker's {@code EtaEstimator}, {@code LinearEstimator} unless analytics supply
 * another). Everything else is analytics installed on the tracker ({@code AnalyticsHook}):
 * {@code tracker-analytics}' {@code TrackerAnalytics.of(mode)} installs the preset named in each constant.
 */
public enum TrackingMode {
    /** Lifecycle events only; {@code task.progress} updates the state but emits nothing. Preset: no analytics. */
    MINIMAL,
    /** Lifecycle and {@code task.progress} events, no ETA. Preset: no analytics. */
    BASIC,
    /** BASIC plus an ETA in every {@code run} block. Preset: adaptive estimator, throughput and the run report. */
    ENHANCED,
    /** ENHANCED in core. Preset: ENHANCED's plus the alert rules (after every event and on a timer). */
    COMPREHENSIVE;

    public boolean emitsProgress() {
        return this != MINIMAL;
    }

    public boolean computesEta() {
        return this == ENHANCED || this == COMPREHENSIVE;
    }

    /** Whether this mode's analytics preset evaluates alert rules. */
    public boolean evaluatesAlerts() {
        return this == COMPREHENSIVE;
    }
}

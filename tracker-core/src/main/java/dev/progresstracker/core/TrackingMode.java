package dev.progresstracker.core;

/**
 * How much the tracker computes and emits. Default {@link #ENHANCED}.
 */
public enum TrackingMode {
    /** Lifecycle events only; {@code task.progress} updates the state but emits nothing. */
    MINIMAL,
    /** Lifecycle and {@code task.progress} events, no ETA. */
    BASIC,
    /** BASIC plus ETA and throughput in every {@code run} block. */
    ENHANCED,
    /** ENHANCED plus alerts and analytics. */
    COMPREHENSIVE;

    public boolean emitsProgress() {
        return this != MINIMAL;
    }

    public boolean computesEta() {
        return this == ENHANCED || this == COMPREHENSIVE;
    }

    public boolean evaluatesAlerts() {
        return this == COMPREHENSIVE;
    }
}

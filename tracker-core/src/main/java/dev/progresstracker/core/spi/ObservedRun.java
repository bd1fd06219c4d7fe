package dev.progresstracker.core.spi;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The run as a {@link RunObserver} sees it during a callback. Every method except {@link #runId()}
 * and {@link #clock()} reads the tracker's state and may be called only inside a callback (the
 * tracker's lock is held then); all are O(1).
 */
public interface ObservedRun {

    String runId();

    /** The tracker's clock; usable from any thread. */
    Clock clock();

    /** Run percent now, 0..100. */
    double percent();

    /**
     * The ETA written into the latest event's {@code run} block (it may be up to
     * {@code TrackerConfig.etaRefreshInterval()} old), or empty when none was written yet.
     */
    Optional<Eta> eventEta();

    /** A fresh estimate from the tracker's {@code EtaEstimator}; empty outside ENHANCED/COMPREHENSIVE. */
    Optional<Eta> eta();

    /** Alerts raised and not cleared, by id; a read-only live view. */
    Map<String, Alert> activeAlerts();
}

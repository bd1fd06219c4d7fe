package dev.progresstracker.core.internal;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The ETA written into events' run blocks: reused while younger than {@code etaRefreshInterval} on
 * the injected clock, recomputed on events that change the remaining work ({@code type} other than
 * null (an alert event), progress, usage, start, pause, resume) and once the run completed. This keeps the
 * estimator off the per-update hot path; {@code ProgressTracker.eta()} is always fresh. Guarded by
 * the tracker's lock.
 */
final class EventEtaCache {

    private final long refreshNanos;
    private Eta eta;
    private boolean computed; // false: compute on the next event
    // The time of the last computation as seconds and nanos: compared without an Instant on the hot path.
    private long computedSecond;
    private int computedNano;

    EventEtaCache(Duration refreshInterval) {
        this.refreshNanos = refreshInterval.toNanos();
    }

    /** The cached ETA, recomputed with {@code compute} first when {@link #due}. */
    Eta get(Instant now, EventType type, boolean runCompleted, Supplier<Eta> compute) {
        if (due(now, type, runCompleted)) {
            eta = compute.get();
            computed = true;
            computedSecond = now.getEpochSecond();
            computedNano = now.getNano();
        }
        return eta;
    }

    /** Whether an event of {@code type} at {@code now} gets a freshly computed ETA. */
    boolean due(Instant now, EventType type, boolean runCompleted) {
        if (!computed
                || runCompleted
                || (type != null
                        && type != EventType.TASK_PROGRESS
                        && type != EventType.TASK_USAGE
                        && type != EventType.TASK_STARTED
                        && type != EventType.TASK_PAUSED
                        && type != EventType.TASK_RESUMED)) {
            return true; // the types that change the work to do (an alert event, null, changes none)
        }
        long seconds = now.getEpochSecond() - computedSecond;
        if (seconds < 0 || seconds > refreshNanos / 1_000_000_000L + 1) {
            return true; // the clock went back, or a whole refresh interval passed
        }
        long nanos = seconds * 1_000_000_000L + (now.getNano() - computedNano);
        return nanos < 0 || nanos >= refreshNanos;
    }

    /** The ETA most recently written into an event, null before any. */
    Eta last() {
        return computed ? eta : null;
    }
}

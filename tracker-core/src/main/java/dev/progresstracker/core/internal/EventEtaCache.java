package dev.progresstracker.core.internal;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.event.EventType;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The ETA written into events' run blocks: reused while younger than {@code etaRefreshInterval} on
 * the injected clock, recomputed on events that change the remaining work ({@code type} other than
 * progress, usage, start, pause, resume; null = alert event) and once the run completed. This keeps the
 * estimator off the per-update hot path; {@code ProgressTracker.eta()} is always fresh. Guarded by
 * the tracker's lock.
 */
final class EventEtaCache {

    private final long refreshNanos;
    private Eta eta;
    private Instant computedAt; // null: compute on the next event

    EventEtaCache(Duration refreshInterval) {
        this.refreshNanos = refreshInterval.toNanos();
    }

    /** The cached ETA, recomputed with {@code compute} first when {@link #due}. */
    Eta get(Instant now, EventType type, boolean runCompleted, Supplier<Eta> compute) {
        if (due(now, type, runCompleted)) {
            eta = compute.get();
            computedAt = now;
        }
        return eta;
    }

    /** Whether an event of {@code type} at {@code now} gets a freshly computed ETA. */
    boolean due(Instant now, EventType type, boolean runCompleted) {
        boolean changesWork = type != null && type != EventType.TASK_PROGRESS && type != EventType.TASK_STARTED
                && type != EventType.TASK_PAUSED && type != EventType.TASK_RESUMED && type != EventType.TASK_USAGE;
        return computedAt == null || changesWork || runCompleted || now.isBefore(computedAt)
                || nanosBetween(computedAt, now) >= refreshNanos;
    }

    /** The ETA most recently written into an event, null before any. */
    Eta last() {
        return computedAt == null ? null : eta;
    }

    private static long nanosBetween(Instant a, Instant b) {
        long seconds = b.getEpochSecond() - a.getEpochSecond();
        if (seconds > Long.MAX_VALUE / 2_000_000_000L) {
            return Long.MAX_VALUE;
        }
        return seconds * 1_000_000_000L + (b.getNano() - a.getNano());
    }
}

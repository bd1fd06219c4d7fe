package dev.progresstracker.analytics;

import java.time.Instant;

/**
 * {@link AdaptiveEstimator}'s work time: seconds since the start with full pauses left out (active
 * time) and, on top, stalls: the part of a gap without progress beyond what the reporting task's type
 * normally leaves between reports. Also keeps the gaps' size-weighted mean, which sets the shortest
 * recent window. Not thread-safe (the estimator's caller holds the tracker's lock).
 */
final class WorkClock {

    private final WorkModel work;
    private Instant lastTime;
    private double active; // seconds since the start, full pauses excluded
    private double stalled; // seconds of stall excluded from work time so far
    private double lastProgressAt; // active time of the last observation that made progress
    private int gaps;
    private double gapSum;
    private double gapSquares;

    WorkClock(WorkModel work) {
        this.work = work;
    }

    /** Active time so far, full pauses excluded. */
    double active() {
        return active;
    }

    /** Seconds of stall excluded from work time so far. */
    double stalled() {
        return stalled;
    }

    /** Work time as of the last observation: active time minus stalls. */
    double workTime() {
        return active - stalled;
    }

    /** Moves the clock to {@code t}; while the run has not started, or is fully paused, no time passes. */
    void advance(Instant t, boolean started) {
        if (lastTime != null && started && !work.fullyPaused() && t.isAfter(lastTime)) {
            active += WorkModel.seconds(lastTime, t);
        }
        if (lastTime == null || t.isAfter(lastTime)) {
            lastTime = t;
        }
    }

    /** After a restart: the clock stands at {@code now} with {@code activeSeconds} of work behind it, no stall. */
    void restart(Instant now, double activeSeconds) {
        lastTime = now;
        stalled = 0;
        active = activeSeconds;
        lastProgressAt = activeSeconds;
    }

    /** Work time at {@code now}: active time minus stalls, including a stall still going on. */
    double effectiveAt(Instant now, boolean started) {
        double a = active;
        if (lastTime != null && started && !work.fullyPaused() && now.isAfter(lastTime)) {
            a += WorkModel.seconds(lastTime, now);
        }
        double ongoing = Math.max(0, a - lastProgressAt - work.ongoingStallCap());
        return a - stalled - ongoing;
    }

    /**
     * On a task's report of progress: the part of the run's gap without progress beyond what the
     * reporting task's type normally leaves between reports is a stall, not work time.
     */
    void trackGaps() {
        double cap = work.reportCap();
        if (Double.isNaN(cap)) {
            return;
        }
        double gap = active - lastProgressAt;
        lastProgressAt = active;
        if (gap > cap) {
            stalled += gap - cap;
            gap = cap;
        }
        gaps++;
        gapSum += gap;
        gapSquares += gap * gap;
    }

    /** The gaps' mean weighted by their size, 0 until there are enough of them to tell. */
    double typicalGap() {
        return gaps < WorkModel.STALL_MIN_GAPS || gapSum <= 0 ? 0 : gapSquares / gapSum;
    }
}

package dev.progresstracker.eventbridge.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The endpoint's current outage, if any: when it began, how many calls failed since, when the
 * publisher may call again and whether it is time to spill. Not thread-safe: guarded by the
 * publisher's monitor.
 */
final class Outage {
    private final Backoff backoff;
    private final long probeCapMillis;
    private final long spillAfterMillis;
    private long since = -1;
    private long lastSuccess;
    private int failures;

    Outage(Backoff backoff, long probeCapMillis, long spillAfterMillis, long nowMillis) {
        this.backoff = backoff;
        this.probeCapMillis = probeCapMillis;
        this.spillAfterMillis = spillAfterMillis;
        this.lastSuccess = nowMillis;
    }

    boolean ongoing() {
        return since >= 0;
    }

    int failures() {
        return failures;
    }

    /** Longest wait between two calls while the endpoint is down. */
    long probeCapMillis() {
        return probeCapMillis;
    }

    /** Books an answered call; returns how long the outage it ends lasted, or -1 if there was none. */
    long answered(long nowMillis) {
        long lasted = since >= 0 ? nowMillis - since : -1;
        since = -1;
        failures = 0;
        lastSuccess = nowMillis;
        return lasted;
    }

    /**
     * Books a call started at {@code startedAtMillis} that failed for an outage; true if it begins one
     * (which then dates from that call's start, or the last success if later).
     */
    boolean failed(long startedAtMillis) {
        failures++;
        if (since >= 0) {
            return false;
        }
        since = Math.max(startedAtMillis, lastSuccess);
        return true;
    }

    /** When the next call may go: capped exponential backoff, half-jittered, so the return is seen within the cap. */
    long nextCallAt(long nowMillis) {
        long ceiling = Math.min(probeCapMillis, backoff.ceiling(failures));
        return nowMillis + ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** Milliseconds the outage has lasted at {@code nowMillis}, or -1. */
    long lasted(long nowMillis) {
        return since >= 0 ? nowMillis - since : -1;
    }

    /** True once calls have failed for {@code spillAfter}. */
    boolean spillDue(long nowMillis) {
        return since >= 0 && nowMillis - since >= spillAfterMillis;
    }
}

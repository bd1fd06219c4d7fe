package dev.progresstracker.eventbridge.internal;

import dev.progresstracker.eventbridge.EventBridgeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Books what answered calls say: the endpoint's outage (when it began, when the next call may go, when
 * to spill), failures counted and logged once per cause, entries delivered, retried and dead-lettered
 * (queued for {@link DeferredWrites}). The rules for each entry are {@link CallVerdict}'s; this class
 * keeps their consequences. Guarded by the publisher's monitor.
 */
final class CallBook {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    private final EventBridgeConfig config;
    private final Outage outage;
    private final Backoff backoff;
    private final FailureReporter reporter;
    private final PublisherMetrics metrics;
    private final DeferredWrites deferred;
    private final SpillState spill;
    private final Outbox outbox;
    /** Wakes the scheduler, which writes the dead letters. */
    private final Runnable kick;
    /** No call starts before this time (backoff, probing while the endpoint is down). */
    private long notBefore;
    /** Own counts for the publisher's counters: meters of a registry with nothing behind it count nothing. */
    private long delivered;

    private long failed;
    private long retried;

    CallBook(
            EventBridgeConfig config,
            Outage outage,
            Backoff backoff,
            PublisherMetrics metrics,
            DeferredWrites deferred,
            SpillState spill,
            Outbox outbox,
            Runnable kick) {
        this.config = config;
        this.outage = outage;
        this.backoff = backoff;
        this.reporter = new FailureReporter(config);
        this.metrics = metrics;
        this.deferred = deferred;
        this.spill = spill;
        this.outbox = outbox;
        this.kick = kick;
    }

    boolean outageOngoing() {
        return outage.ongoing();
    }

    boolean mayCall(long now) {
        return now >= notBefore;
    }

    /** Checked every tick, not only when a call fails: an endpoint that stopped answering spills too. */
    void spillIfDue(long now) {
        if (spill.direct() && outage.spillDue(now)) {
            spill.request("PutEvents has failed for " + outage.lasted(now) + " ms");
        }
    }

    /**
     * Books the verdict on a call started at {@code startedAt}.
     *
     * @return when the entries of {@code v.retry()} may go out again
     */
    long book(CallVerdict v, long startedAt, boolean fromOutbox, long now) {
        if (v.callCause() == null) {
            answered(now);
        } else if (v.outage()) {
            outageFailure(v, startedAt, now);
        } else {
            report(v.callCause(), v.code(), v.message());
        }
        for (PendingEntry e : v.accepted()) {
            delivered++;
            metrics.delivered(now - e.arrivalMillis);
        }
        int maxAttempt = v.bookAttempts();
        for (CallVerdict.Rejection x : v.rejected()) {
            if (v.callCause() == null) {
                report(x.cause(), x.code(), x.message());
            }
            deadLetter(x.entry(), x.code(), x.message(), now);
        }
        metrics.retried.increment(v.retry().size());
        retried += v.retry().size();
        long retryAt = now + (maxAttempt > 0 ? backoff.delayMillis(maxAttempt) : 0);
        if (fromOutbox) {
            notBefore = Math.max(notBefore, retryAt);
        }
        return retryAt;
    }

    private void answered(long now) {
        int failures = outage.failures();
        long lasted = outage.answered(now);
        if (lasted >= 0) {
            LOG.info(
                    "EventBridge PutEvents succeeds again after {} failed call(s) over {} ms; outbox depth {}",
                    failures,
                    lasted,
                    outbox.depth());
        }
        notBefore = Math.min(notBefore, now);
        reporter.reset();
    }

    private void outageFailure(CallVerdict v, long startedAt, long now) {
        if (outage.failed(startedAt)) {
            LOG.warn(
                    "EventBridge PutEvents failed ({}: {}); retrying at most every {} ms, spilling to the outbox "
                            + "{} after {}",
                    v.code(),
                    v.message(),
                    outage.probeCapMillis(),
                    config.outboxDirectory(),
                    config.spillAfter());
        }
        metrics.error(v.callCause());
        notBefore = outage.nextCallAt(now);
        if (outage.spillDue(now)) {
            reporter.report(v.callCause(), v.code(), v.message());
            spill.request("PutEvents has failed for " + outage.lasted(now) + " ms");
        }
    }

    /** Counts a failure of a cause that is not an outage, and logs it (once per cause). */
    private void report(FailureCause cause, String code, String message) {
        metrics.error(cause);
        reporter.report(cause, code, message);
    }

    /** Dead-letters {@code e} if even its trimmed entry exceeds the per-entry limit. */
    boolean rejectIfTooLarge(PendingEntry e, long now) {
        if (e.size() <= config.maxRequestBytes()) {
            return false;
        }
        report(FailureCause.REJECTED, "EntryTooLarge", "entry over " + config.maxRequestBytes() + " bytes");
        deadLetter(
                e,
                "EntryTooLarge",
                "entry is " + e.size() + " bytes after trimming; limit " + config.maxRequestBytes(),
                now);
        return true;
    }

    /** Queued here, written by {@link DeferredWrites#run} outside the publisher's monitor. */
    private void deadLetter(PendingEntry e, String code, String message, long now) {
        deferred.deadLetter(e, code, message, now);
        metrics.failed.increment();
        failed++;
        kick.run();
    }

    long delivered() {
        return delivered;
    }

    long failed() {
        return failed;
    }

    long retried() {
        return retried;
    }
}

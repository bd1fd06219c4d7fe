package dev.progresstracker.eventbridge.internal;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * What one {@code PutEvents} call's outcome means for each of its entries: accepted, to be sent
 * again, or given up on (dead-lettered). Pure: it reads the entries' attempt counts and changes
 * nothing, so every rule is testable without the SDK's transport.
 *
 * @param callCause null if the call was answered; else why the whole call failed
 * @param code      the call's error code (null if answered)
 * @param message   the call's error message (null if answered)
 * @param accepted  entries EventBridge took
 * @param retry     entries to send again, in their batch order
 * @param rejected  entries to dead-letter, in their batch order
 */
public record CallVerdict(
        FailureCause callCause,
        String code,
        String message,
        List<PendingEntry> accepted,
        List<PendingEntry> retry,
        List<Rejection> rejected) {

    /** An entry given up on, and why. */
    public record Rejection(PendingEntry entry, FailureCause cause, String code, String message) {}

    /** True if the whole call failed for a reason that passes by itself (outage, throttling). */
    public boolean outage() {
        return callCause != null && callCause.outage();
    }

    /**
     * True if this call used up one attempt of each entry not accepted: every failure except an outage
     * of the whole call, which is retried without limit.
     */
    public boolean countsAttempts() {
        return !outage();
    }

    /**
     * Counts this call as one attempt of each entry it did not deliver, if it {@link #countsAttempts()}: the
     * verdict's one change to the entries, made when the publisher books the call (classifying changes nothing).
     *
     * @return the highest attempt count among the entries to retry (0 if none was counted), the backoff step
     */
    public int bookAttempts() {
        if (!countsAttempts()) {
            return 0;
        }
        int highest = 0;
        for (PendingEntry e : retry) {
            e.attempts++;
            highest = Math.max(highest, e.attempts);
        }
        for (Rejection x : rejected) {
            x.entry().attempts++;
        }
        return highest;
    }

    /**
     * Sorts the outcome of a call carrying {@code batch}: {@code response} if it was answered, else
     * {@code error}. A retryable entry code, or a configuration error of the whole call (bad endpoint,
     * bad credentials, access denied, missing bus), is retried while the entry has made fewer than
     * {@code maxAttempts} attempts (this one included); an outage or throttling of the whole call is
     * always retried; everything else is rejected at once.
     */
    public static CallVerdict classify(
            List<PendingEntry> batch, PutEventsResponse response, Throwable error, int maxAttempts) {
        List<PendingEntry> accepted = new ArrayList<>();
        List<PendingEntry> retry = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        if (error == null) {
            List<PutEventsResultEntry> results = response.entries();
            boolean aligned = results != null && results.size() == batch.size();
            boolean noneFailed = response.failedEntryCount() == null || response.failedEntryCount() == 0;
            for (int i = 0; i < batch.size(); i++) {
                PendingEntry e = batch.get(i);
                String code = aligned ? results.get(i).errorCode() : noneFailed ? null : "InternalFailure";
                if (code == null) {
                    accepted.add(e);
                    continue;
                }
                boolean lastTry = e.attempts + 1 >= maxAttempts;
                if (Failures.isRetryableEntryCode(code) && !lastTry) {
                    retry.add(e);
                } else {
                    String msg = aligned ? results.get(i).errorMessage() : "no result entry";
                    boolean exhausted = Failures.isRetryableEntryCode(code);
                    rejected.add(new Rejection(
                            e,
                            exhausted ? FailureCause.THROTTLED_OR_SERVER_ERROR : Failures.entryCause(code),
                            exhausted ? code + " (attempts exhausted)" : code,
                            msg));
                }
            }
            return new CallVerdict(null, null, null, accepted, retry, rejected);
        }
        FailureCause cause = Failures.cause(error);
        String code = Failures.code(error);
        String message = Failures.message(error);
        for (PendingEntry e : batch) {
            if (cause.outage()) {
                retry.add(e);
            } else if (cause != FailureCause.REJECTED && e.attempts + 1 < maxAttempts) {
                retry.add(e);
            } else {
                rejected.add(new Rejection(
                        e, cause, cause == FailureCause.REJECTED ? code : code + " (attempts exhausted)", message));
            }
        }
        return new CallVerdict(cause, code, message, accepted, retry, rejected);
    }
}

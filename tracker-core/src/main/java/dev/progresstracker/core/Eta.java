package dev.progresstracker.core;

import java.time.Instant;

/**
 * Estimated time to completion of a run.
 *
 * @param seconds             best estimate of the remaining seconds
 * @param low                 lower bound of the band, seconds ({@code <= seconds})
 * @param high                upper bound of the band, seconds ({@code >= seconds})
 * @param confidence          0..1, how much the estimator trusts itself
 * @param method              name of the estimator that produced it (e.g. {@code linear}, {@code adaptive})
 * @param estimatedCompletion the tracker's clock at the estimate plus {@code seconds}; null when the estimator
 *                            made the ETA outside a tracker
 * @param factors             what the tracker measured around the estimate (see {@link EtaFactors}); null outside a
 *                            tracker
 */
public record Eta(
        long seconds,
        long low,
        long high,
        double confidence,
        String method,
        Instant estimatedCompletion,
        EtaFactors factors) {

    public Eta {
        if (seconds < 0 || low < 0 || high < 0) {
            throw new IllegalArgumentException(
                    "ETA seconds must not be negative: " + seconds + " [" + low + ", " + high + "]");
        }
        if (low > seconds || high < seconds) {
            throw new IllegalArgumentException("ETA band [" + low + ", " + high + "] must contain " + seconds);
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("ETA confidence must be within 0..1: " + confidence);
        }
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("ETA method must not be blank");
        }
    }

    /** An estimator's ETA, before the tracker adds the completion time and the factors. */
    public Eta(long seconds, long low, long high, double confidence, String method) {
        this(seconds, low, high, confidence, method, null, null);
    }

    /** This ETA as seen at {@code now}, with the completion time and {@code factors}. */
    public Eta at(Instant now, EtaFactors factors) {
        return new Eta(seconds, low, high, confidence, method, now.plusSeconds(seconds), factors);
    }
}

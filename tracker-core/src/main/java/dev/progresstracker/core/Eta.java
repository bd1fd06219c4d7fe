package dev.progresstracker.core;

/**
 * Estimated time to completion of a run.
 *
 * @param seconds    best estimate of the remaining seconds
 * @param low        lower bound of the band, seconds ({@code <= seconds})
 * @param high       upper bound of the band, seconds ({@code >= seconds})
 * @param confidence 0..1, how much the estimator trusts itself
 * @param method     name of the estimator that produced it (e.g. {@code linear}, {@code adaptive})
 */
public record Eta(long seconds, long low, long high, double confidence, String method) {

    public Eta {
        if (seconds < 0 || low < 0 || high < 0) {
            throw new IllegalArgumentException("ETA seconds must not be negative: " + seconds + " [" + low + ", " + high + "]");
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
}

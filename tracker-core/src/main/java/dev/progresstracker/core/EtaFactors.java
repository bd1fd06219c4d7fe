package dev.progresstracker.core;

/**
 * The measurements around an {@link Eta}, computed by the tracker (not the estimator) each time it
 * computes an ETA, so that a reader can tell why the estimate is what it is. Immutable.
 *
 * @param currentThroughput  run percent gained per minute over the last {@link #WINDOW_SECONDS} seconds of ETA
 *                           computations (the average throughput until two are that far apart)
 * @param averageThroughput  run percent per minute since the run started (0 before it started)
 * @param rateLimitImpact    0..1: the run's summed rate-limit delay ({@link TaskUsage#rateLimitDelayMillis})
 *                           over its elapsed time, capped at 1; 0 while nothing was throttled. Parallel tasks
 *                           can wait at the same time, hence the cap
 * @param complexityFactor   declared weight per task of the tasks not yet finished over that of all tasks: above 1
 *                           when the remaining tasks are heavier than the average task; 1 with nothing remaining
 * @param historicalAccuracy 0..1: how well the ETA made one window earlier predicted the progress since
 *                           ({@code min(actual, predicted) / max(actual, predicted)} of the percent gained); null until
 *                           there is such an ETA. Within this run only; comparing runs is the run history's job
 */
public record EtaFactors(
        double currentThroughput,
        double averageThroughput,
        double rateLimitImpact,
        double complexityFactor,
        Double historicalAccuracy) {

    /** How far back {@link #currentThroughput} and {@link #historicalAccuracy} look. */
    public static final long WINDOW_SECONDS = 300;

    public EtaFactors {
        requireThat(Double.isFinite(currentThroughput), "currentThroughput must be finite", currentThroughput);
        requireThat(Double.isFinite(averageThroughput), "averageThroughput must be finite", averageThroughput);
        requireThat(
                rateLimitImpact >= 0 && rateLimitImpact <= 1, "rateLimitImpact must be within 0..1", rateLimitImpact);
        requireThat(
                complexityFactor > 0 && !Double.isInfinite(complexityFactor),
                "complexityFactor must be a finite number above 0",
                complexityFactor);
        requireThat(
                historicalAccuracy == null || historicalAccuracy >= 0 && historicalAccuracy <= 1,
                "historicalAccuracy must be within 0..1",
                historicalAccuracy);
    }

    private static void requireThat(boolean ok, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(rule + ", got " + value);
        }
    }
}

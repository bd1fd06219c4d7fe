package dev.progresstracker.analytics;

/**
 * {@link AdaptiveEstimator}'s band: online 10th and 90th percentiles of log(actual rate / rate the
 * estimate implied) over the backtest horizon, learnt by Robbins-Monro steps that shrink as scores
 * come in, so the band moves from its prior to the run's own residuals within a few scores. Not
 * thread-safe.
 */
final class BandQuantiles {

    private static final double STEP = 0.5;
    private static final double LOW_QUANTILE = 0.1;
    private static final double HIGH_QUANTILE = 0.9;
    /** Backtest scores a quantile's prior is worth: the step after n scores is STEP · n0 / (n0 + n). */
    private static final double PRIOR_SCORES = 4;

    private double low;
    private double high;
    private double scores; // backtest weight the quantiles have seen

    /** Quantiles starting at ±{@code priorError}. */
    BandQuantiles(double priorError) {
        low = -priorError;
        high = priorError;
    }

    double low() {
        return low;
    }

    double high() {
        return high;
    }

    /** One residual {@code z} of backtest weight {@code weight}: a step of τ - [z < q] for each quantile. */
    void score(double z, double weight) {
        scores += weight;
        double step = STEP * PRIOR_SCORES / (PRIOR_SCORES + scores);
        low += step * weight * (LOW_QUANTILE - (z < low ? 1 : 0));
        high += step * weight * (HIGH_QUANTILE - (z < high ? 1 : 0));
    }

    /** The expected coverage of a band reaching {@code down} below and {@code up} above (log distances). */
    double confidence(double down, double up) {
        return BandConfidence.of(low, high, down, up, scores + PRIOR_SCORES);
    }
}

package dev.progresstracker.analytics;

/**
 * How far an {@link AdaptiveEstimator}'s blend may move the estimate away from its anchor (linear
 * on priced work): by the two forecasts' errors over a long horizon, one-sided inverse-variance
 * weights, and by the evidence behind those errors (docs/eta.md, "Shrinking towards the anchor").
 * Not thread-safe.
 */
final class AnchorShrink {

    /** Long-horizon scores the blend needs before it may leave the anchor fully: n weighs n / (n + this). */
    static final double PRIOR_SCORES = 1;

    private final double floor;
    private double blendError;
    private double anchorError;
    private double scores;
    private double lastAt;

    AnchorShrink(double priorError, double floor) {
        this.blendError = priorError;
        this.anchorError = priorError;
        this.floor = floor;
    }

    /** Log of the estimate from the logs of the blend and the anchor. */
    double combine(double logBlend, double logAnchor) {
        double eb = Math.max(blendError, floor);
        double ea = Math.max(anchorError, floor);
        double w = Math.min(1, ea * ea / (eb * eb)) * scores / (scores + PRIOR_SCORES);
        return w * logBlend + (1 - w) * logAnchor;
    }

    /**
     * Scores the blend's and the anchor's remaining seconds predicted {@code dt} work seconds ago,
     * when {@code left} percent was left, against the {@code actual} percent rate since, at work time
     * {@code a} over a horizon of {@code horizon} seconds (the smoothing weight).
     */
    void score(double a, double horizon, double actual, double left, double blend, double anchor) {
        double weight = 1 - Math.exp(-Math.max(0, a - lastAt) / horizon);
        lastAt = Math.max(lastAt, a);
        scores += weight;
        if (blend > 0) {
            blendError = (1 - weight) * blendError + weight * error(actual * blend / left);
        }
        if (anchor > 0) {
            anchorError = (1 - weight) * anchorError + weight * error(actual * anchor / left);
        }
    }

    private static double error(double ratio) {
        return Math.min(Math.abs(Math.log(ratio)), 5);
    }
}

package dev.progresstracker.analytics;

/**
 * How far an {@link AdaptiveEstimator}'s blend may move the estimate away from its anchor (linear
 * on priced work): by the two forecasts' errors over a long horizon, one-sided inverse-variance
 * weights, gated by how clearly the blend's record beats the anchor's (docs/eta.md, "Shrinking
 * towards the anchor"). Not thread-safe.
 */
final class AnchorShrink {

    /**
     * The blend gets its full inverse-variance weight once log(anchor error / blend error) is this many
     * standard errors (1 / √n for n long-horizon scores) above zero, none at or below zero, linearly
     * between. High, because overlapping horizons and heavy-tailed misses make 1 / √n understate the
     * noise: where both forecasts are about as good, any weight on the blend only adds its noise.
     */
    static final double FULL_WEIGHT_Z = 6;

    private final double floor;
    private double blendError;
    private double anchorError;
    private double scores;
    private double lastAt;
    private double weight;

    AnchorShrink(double priorError, double floor) {
        this.blendError = priorError;
        this.anchorError = priorError;
        this.floor = floor;
    }

    /** Log of the estimate from the logs of the blend and the anchor. */
    double combine(double logBlend, double logAnchor) {
        double eb = Math.max(blendError, floor);
        double ea = Math.max(anchorError, floor);
        double z = Math.log(ea / eb) * Math.sqrt(scores);
        weight = Math.min(1, ea * ea / (eb * eb)) * Math.max(0, Math.min(1, z / FULL_WEIGHT_Z));
        return weight * logBlend + (1 - weight) * logAnchor;
    }

    /** The blend's weight in the last {@link #combine} (0 before the first). */
    double weight() {
        return weight;
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

package dev.progresstracker.analytics;

/**
 * The confidence an {@link AdaptiveEstimator} states for its band: the band's expected coverage
 * (docs/eta.md, "The band and the confidence").
 */
final class BandConfidence {

    /** The standard normal's 90th percentile. */
    private static final double Z90 = 1.2815516;

    private BandConfidence() {}

    /**
     * The share of residuals a band should hold: under a normal fit to the learnt 10th and 90th
     * percentiles {@code low} and {@code high} of the log residual, the mass between the band's edges
     * ({@code down} below and {@code up} above the estimate, in log distance; wider than the
     * percentiles), times n / (n + 1) because percentiles of {@code n} residuals cover less than
     * their nominal share.
     */
    static double of(double low, double high, double down, double up, double n) {
        double mid = (low + high) / 2;
        double sigma = Math.max((high - low) / (2 * Z90), 0.01);
        // Remaining = estimate · e^-z for a residual z, so the band holds -up ≤ z ≤ down.
        double mass = normalCdf((down - mid) / sigma) - normalCdf((-up - mid) / sigma);
        return mass * n / (n + 1);
    }

    /** Standard normal CDF (Abramowitz and Stegun 7.1.26, error below 1e-6). */
    static double normalCdf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
        double erf = 1
                - t
                        * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
                        * Math.exp(-x * x / 2);
        return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}

/**
 * Analytics of a run: ETA estimators ({@link dev.progresstracker.core.eta.EtaEstimator} with
 * {@code LinearEstimator}, {@code EmaEstimator}, {@code SlidingWindowEstimator} and the default
 * {@code AdaptiveEstimator}), throughput / error / duration metrics ({@code RunAnalytics}) and the
 * summary report ({@code RunReport}, via {@code ProgressTracker.report()}), alert rules
 * ({@code AlertRules}, thresholds in {@code AnalyticsConfig}) and batch-size advice
 * ({@code BatchSizeAdvisor}).
 *
 * <p>What runs depends on {@code TrackingMode}: ENHANCED computes the ETA and collects metrics,
 * COMPREHENSIVE also evaluates the alert rules after every event and on a daemon timer every
 * {@code AnalyticsConfig.evaluationInterval()} (zero switches the timer off; call
 * {@code ProgressTracker.evaluateAlerts()} instead). Estimators and collectors are called under
 * the tracker's lock and are not thread-safe on their own; {@code BatchSizeAdvisor} is.
 *
 * <p>Hot-path cost: per event the estimators and collectors do O(task types) work, and the alert
 * rules look only at the event's task plus the run-level rules (the timer covers every task). The
 * ETA written into each event's {@code run} block is reused for up to
 * {@code AnalyticsConfig.etaRefreshInterval()} (default 500 ms of the tracker's clock) unless the event
 * changes the remaining work; {@code ProgressTracker.eta()} and {@code summary()} are always fresh.
 */
package dev.progresstracker.analytics;

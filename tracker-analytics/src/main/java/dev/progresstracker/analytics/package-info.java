/**
 * Analytics of a run, installed on a tracker through core's {@code AnalyticsHook}:
 * {@link dev.progresstracker.analytics.TrackerAnalytics} (the preset of a {@code TrackingMode} and
 * {@code report(tracker)}), ETA estimators beyond core's linear one ({@code EmaEstimator},
 * {@code SlidingWindowEstimator}, {@code AdaptiveEstimator}; how it works: docs/eta.md), priors from earlier
 * runs ({@code RunHistory}, {@code EtaPriors}), throughput / error / duration metrics
 * ({@code RunAnalytics}), the summary report ({@code RunReport}), alert rules ({@code AlertRules},
 * thresholds in {@code AnalyticsConfig}) and batch-size advice ({@code BatchSizeAdvisor}).
 *
 * <p>ENHANCED collects metrics and estimates adaptively; COMPREHENSIVE also evaluates the alert rules
 * after every event and on a daemon timer every {@code AnalyticsConfig.evaluationInterval()} (zero
 * switches the timer off; call {@code ProgressTracker.evaluateAlerts()} instead). Estimators and
 * collectors are called under the tracker's lock and are not thread-safe on their own;
 * {@code TrackerAnalytics} and {@code BatchSizeAdvisor} are.
 *
 * <p>Hot-path cost: per observation the estimators and collectors do O(task types) work, and the alert
 * rules look only at the event's task plus the run-level rules (the timer covers every task). In
 * ENHANCED mode progress arrives conflated (latest per task), see {@code RunObserver}.
 */
package dev.progresstracker.analytics;

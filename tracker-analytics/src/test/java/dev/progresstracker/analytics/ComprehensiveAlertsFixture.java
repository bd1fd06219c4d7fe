package dev.progresstracker.analytics;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * What the alert rule tests share: a real COMPREHENSIVE tracker on an injected clock with its alert
 * timer off (tests call {@code evaluateAlerts()} by hand), {@code tasks} upgrade steps added and the
 * upgrade started; closed after each test.
 */
abstract class ComprehensiveAlertsFixture {

    protected final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    protected ProgressTracker t;

    /**
     * @param tracker the builder with the test's run id, clock and sinks
     * @param config the test's settings; the tracking mode is set here
     * @param install what the test adds to the analytics (a resource probe), or nothing
     */
    protected ProgressTracker start(
            ProgressTracker.Builder tracker,
            TrackerConfig.Builder config,
            AnalyticsConfig.Builder analytics,
            UnaryOperator<TrackerAnalytics> install,
            int tasks) {
        t = tracker.config(config.trackingMode(TrackingMode.COMPREHENSIVE).build())
                .analytics(install.apply(TrackerAnalytics.of(
                        TrackingMode.COMPREHENSIVE,
                        analytics.evaluationInterval(Duration.ZERO).build())))
                .build();
        StepPlans.start(t, tasks);
        return t;
    }

    @AfterEach
    void close() {
        if (t != null) {
            t.close();
        }
    }
}

package dev.progresstracker.analytics;

import dev.progresstracker.analytics.internal.AnalyticsObserver;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.ProgressSummary;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.spi.AnalyticsHook;
import dev.progresstracker.core.spi.RunObserver;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The analytics of a {@link TrackingMode}, installed on a tracker or a factory:
 * {@code ProgressTracker.builder().analytics(TrackerAnalytics.of(mode))}. The presets:
 *
 * <ul>
 *   <li>MINIMAL, BASIC: nothing is collected; {@link #report} holds the summary only;</li>
 *   <li>ENHANCED: an {@link AdaptiveEstimator} per tracker (unless the builder sets another) and
 *       {@link RunAnalytics} (throughput, error rate, durations per task type) for {@link #report};</li>
 *   <li>COMPREHENSIVE: ENHANCED plus the {@link AlertRules}, evaluated after every event and every
 *       {@link AnalyticsConfig#evaluationInterval()} on a shared daemon timer.</li>
 * </ul>
 *
 * <p>The tracker's own {@code TrackerConfig.trackingMode} still decides whether {@code task.progress}
 * is emitted and whether an ETA is computed; give both the same mode (the Guice
 * {@code AnalyticsModule} does). One instance serves any number of trackers. Thread-safe.
 */
public final class TrackerAnalytics implements AnalyticsHook {

    private final TrackingMode mode;
    private final AnalyticsConfig config;
    private final EtaPriors priors;
    private final ResourceProbe probe;
    /** Every tracker built with any instance, by identity; entries go with their tracker. */
    private static final Map<ProgressTracker, AnalyticsObserver> OBSERVERS =
            Collections.synchronizedMap(new WeakHashMap<>());

    private TrackerAnalytics(TrackingMode mode, AnalyticsConfig config, EtaPriors priors, ResourceProbe probe) {
        this.mode = Objects.requireNonNull(mode, "mode must not be null");
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.priors = Objects.requireNonNull(priors, "priors must not be null");
        this.probe = Objects.requireNonNull(probe, "probe must not be null");
    }

    /** The preset of {@code mode} with {@link AnalyticsConfig#defaults()}. */
    public static TrackerAnalytics of(TrackingMode mode) {
        return of(mode, AnalyticsConfig.defaults());
    }

    /** The preset of {@code mode} with {@code config}'s thresholds and buckets. */
    public static TrackerAnalytics of(TrackingMode mode, AnalyticsConfig config) {
        return new TrackerAnalytics(mode, config, EtaPriors.none(), ResourceProbe.none());
    }

    /**
     * The same analytics whose estimators start each run from {@code priors}, for example
     * {@code RunHistory.of(store, planId).priors()}: per-type durations of earlier runs, so the
     * first minutes of a run of a known plan are estimated from its history. Default: none.
     */
    public TrackerAnalytics withPriors(EtaPriors priors) {
        return new TrackerAnalytics(mode, config, priors, probe);
    }

    /**
     * The same analytics whose resource-pressure rule (COMPREHENSIVE) reads {@code probe}, usually
     * {@link ResourceProbe#jvm()}. Default: {@link ResourceProbe#none()}, the rule off: the JVM's load
     * is the whole process's, which in a shared test or build JVM is not the agent's.
     */
    public TrackerAnalytics withResourceProbe(ResourceProbe probe) {
        return new TrackerAnalytics(mode, config, priors, probe);
    }

    public ResourceProbe resourceProbe() {
        return probe;
    }

    public EtaPriors priors() {
        return priors;
    }

    public TrackingMode mode() {
        return mode;
    }

    public AnalyticsConfig config() {
        return config;
    }

    /** An {@link AdaptiveEstimator} (with the {@link #priors()}) in ENHANCED and COMPREHENSIVE; otherwise the tracker's own. */
    @Override
    public Optional<EtaEstimator> newEstimator() {
        return mode.computesEta() ? Optional.of(new AdaptiveEstimator(priors)) : Optional.empty();
    }

    @Override
    public RunObserver newObserver(ProgressTracker tracker) {
        AnalyticsObserver observer = new AnalyticsObserver(mode, config, probe, tracker);
        OBSERVERS.put(tracker, observer);
        return observer;
    }

    /**
     * The report of a tracker built with {@code TrackerAnalytics} of any mode (open or closed): progress, ETA, throughput,
     * error/success rates, durations per task type, trend, insights, active alerts, the
     * {@link RunValidation} problems of the tracker's snapshot; render with
     * {@link RunReport#toJson()} or {@link RunReport#toText()}. Reads the tracker's summary (which
     * first hands the analytics every progress they have not seen) and active alerts, then the
     * analytics; under concurrent updates these parts may be a few events apart. O(tasks + history).
     *
     * @throws IllegalArgumentException if {@code tracker} was not built with {@code TrackerAnalytics}
     */
    public static RunReport report(ProgressTracker tracker) {
        Objects.requireNonNull(tracker, "tracker must not be null");
        AnalyticsObserver observer = OBSERVERS.get(tracker);
        if (observer == null) {
            throw new IllegalArgumentException("the tracker of run '" + tracker.runId() + "' was not built with "
                    + "TrackerAnalytics: install them with .analytics(...) on its builder or factory");
        }
        ProgressSummary summary = tracker.summary();
        List<Alert> active = tracker.activeAlerts();
        // The snapshot alone, not against the summary: under concurrent updates the two may be a few events apart.
        return observer.report(summary, active).withProblems(RunValidation.check(tracker.snapshot()));
    }

    @Override
    public String toString() {
        return "TrackerAnalytics[" + mode + "]";
    }
}

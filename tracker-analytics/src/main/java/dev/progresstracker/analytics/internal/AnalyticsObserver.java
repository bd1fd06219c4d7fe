package dev.progresstracker.analytics.internal;

import dev.progresstracker.analytics.AlertRules;
import dev.progresstracker.analytics.AnalyticsConfig;
import dev.progresstracker.analytics.ResourceProbe;
import dev.progresstracker.analytics.RunAnalytics;
import dev.progresstracker.analytics.RunReport;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.ProgressSummary;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.spi.AlertChanges;
import dev.progresstracker.core.spi.ObservedRun;
import dev.progresstracker.core.spi.RunObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics of one tracker: feeds {@link RunAnalytics} (ENHANCED and up) and evaluates
 * {@link AlertRules} after every event and on a timer (COMPREHENSIVE). The tracker calls
 * {@link #start}, {@link #observe} and {@link #review} under its lock; {@link #report} comes from
 * other threads, so the state is guarded by this object's monitor (always taken after the tracker's
 * lock, never before it). The timer asks for alerts through the tracker's public
 * {@link ProgressTracker#evaluateAlerts()}, off any lock.
 */
public final class AnalyticsObserver implements RunObserver {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsObserver.class);

    /** One daemon thread for the alert timers of all trackers: evaluation is short and lock-bound. */
    private static final class Timer {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "tracker-alert-timer");
                t.setDaemon(true);
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            return e;
        }
    }

    private final TrackingMode mode;
    private final AnalyticsConfig config;
    private final RunAnalytics analytics;
    private final AlertRules rules;
    private volatile ProgressTracker tracker; // for the alert timer; null without rules and after close
    private volatile Clock clock = Clock.systemUTC();
    private ScheduledFuture<?> timer;

    public AnalyticsObserver(TrackingMode mode, AnalyticsConfig config, ResourceProbe probe, ProgressTracker tracker) {
        this.mode = Objects.requireNonNull(mode, "mode must not be null");
        this.config = Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(tracker, "tracker must not be null");
        this.analytics = mode.computesEta() ? new RunAnalytics(config) : null;
        this.rules = mode.evaluatesAlerts() ? new AlertRules(config, probe) : null;
        this.tracker = rules != null ? tracker : null; // only the alert timer calls back; no reference kept otherwise
    }

    /** Takes in the restored tasks and, with alert rules and a non-zero interval, starts the timer. */
    @Override
    public synchronized void start(ObservedRun run, List<TaskView> restored) {
        clock = run.clock();
        if (analytics != null) {
            restored.forEach(analytics::restore);
        }
        if (rules != null && !config.evaluationInterval().isZero()) {
            long ms = config.evaluationInterval().toMillis();
            timer = Timer.EXECUTOR.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Alert rules per event need every update at once; throughput alone is fine with the latest per task. */
    @Override
    public boolean acceptsConflatedProgress() {
        return rules == null;
    }

    private void tick() {
        ProgressTracker t = tracker;
        if (t == null) {
            return;
        }
        try {
            t.evaluateAlerts();
        } catch (RuntimeException e) {
            LOG.warn("alert evaluation of run '{}' failed", t.runId(), e);
        }
    }

    /** Folds the event in, then (with rules) returns the alert changes; alert events are not analytics. */
    @Override
    public AlertChanges observe(ProgressEvent e, ObservedRun run) {
        if (analytics == null || e instanceof AlertEvent) {
            return AlertChanges.NONE;
        }
        synchronized (this) {
            analytics.observe(e);
            if (rules == null) {
                return AlertChanges.NONE;
            }
            boolean taskScoped = e instanceof TaskEvent;
            return evaluate(
                    run,
                    taskScoped ? ((TaskEvent) e).task().taskId() : null,
                    taskScoped,
                    run.eventEta().orElse(null));
        }
    }

    /** Every rule for every running task, with a fresh ETA ({@code evaluateAlerts()}, the timer). */
    @Override
    public synchronized AlertChanges review(ObservedRun run) {
        if (rules == null) {
            return AlertChanges.NONE;
        }
        return evaluate(run, null, false, run.eta().orElse(null));
    }

    /**
     * Raises what the rules want active and clears rule alerts they no longer want. After a task
     * event only that task's per-task rules run (O(1) per event); the timer covers the others.
     */
    private AlertChanges evaluate(ObservedRun run, String taskId, boolean taskScoped, Eta eta) {
        Instant now = run.clock().instant();
        Map<String, Alert> active = run.activeAlerts();
        Map<String, Alert> wanted =
                rules.evaluate(analytics, run.percent(), eta, now, active, taskScoped ? taskId : null);
        Iterable<String> candidates = taskScoped && !analytics.finishedRun()
                ? AlertRules.idsInScope(analytics, taskId)
                : List.copyOf(active.keySet());
        List<String> clear = null;
        for (String id : candidates) {
            Alert a = active.get(id);
            if (a != null && AlertRules.RULES.contains(a.rule()) && !wanted.containsKey(id)) {
                clear = add(clear, id);
            }
        }
        List<Alert> raise = null;
        for (Alert a : wanted.values()) {
            if (!active.containsKey(a.alertId())) {
                raise = add(raise, a);
            }
        }
        return raise == null && clear == null
                ? AlertChanges.NONE
                : new AlertChanges(raise == null ? List.of() : raise, clear == null ? List.of() : clear);
    }

    private static <T> List<T> add(List<T> list, T item) {
        List<T> out = list == null ? new ArrayList<>(2) : list;
        out.add(item);
        return out;
    }

    /** The report from the tracker's {@code summary} and active alerts, read just before. */
    public synchronized RunReport report(ProgressSummary summary, List<Alert> activeAlerts) {
        return RunReport.of(summary, analytics, activeAlerts, mode, clock.instant());
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.cancel(false);
        }
        tracker = null;
    }
}

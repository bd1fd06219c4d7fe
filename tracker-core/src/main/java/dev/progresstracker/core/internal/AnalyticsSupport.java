package dev.progresstracker.core.internal;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.StoreUnavailableException;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.analytics.AlertRules;
import dev.progresstracker.core.analytics.AnalyticsConfig;
import dev.progresstracker.core.analytics.RunAnalytics;
import dev.progresstracker.core.analytics.RunReport;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The analytics side of a {@link TrackerEngine}: feeds {@link RunAnalytics} (ENHANCED and up),
 * evaluates {@link AlertRules} after every event and on a timer (COMPREHENSIVE only), and builds
 * reports. Every method except {@link #close()} runs under the engine's lock.
 */
final class AnalyticsSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsSupport.class);

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
    private final Clock clock;
    private final RunAnalytics analytics;
    private final AlertRules rules;
    private TrackerEngine engine;
    private ScheduledFuture<?> timer;
    private boolean evaluating;

    AnalyticsSupport(TrackingMode mode, AnalyticsConfig config, Clock clock) {
        this.mode = mode;
        this.config = config;
        this.clock = clock;
        this.analytics = mode.computesEta() ? new RunAnalytics(config) : null;
        this.rules = mode.evaluatesAlerts() ? new AlertRules(config) : null;
    }

    /** Binds to the engine and, in COMPREHENSIVE mode with a non-zero interval, starts the alert timer. */
    void start(TrackerEngine engine, List<TaskView> restored) {
        this.engine = engine;
        if (analytics != null) {
            restored.forEach(analytics::restore);
        }
        if (rules != null && !config.evaluationInterval().isZero()) {
            long ms = config.evaluationInterval().toMillis();
            timer = Timer.EXECUTOR.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        try {
            if (!engine.isClosed()) {
                engine.evaluateAlerts();
            }
        } catch (RuntimeException e) {
            LOG.warn("alert evaluation of run '{}' failed", engine.runId(), e);
        }
    }

    /** After an event is numbered and dispatched: fold it in, then re-evaluate the alerts. */
    void onEvent(ProgressEvent e) {
        if (analytics == null || e instanceof AlertEvent) {
            return;
        }
        analytics.observe(e);
        if (rules != null) {
            evaluate(e instanceof TaskEvent te ? te.task().taskId() : null, e instanceof TaskEvent, engine.lastEventEta());
        }
    }

    /** Evaluates every rule for every running task with a fresh ETA (timer, {@code evaluateAlerts()}). */
    void evaluate() {
        if (rules != null) {
            evaluate(null, false, engine.eta().orElse(null));
        }
    }

    /**
     * Raises what the rules want active and clears rule alerts they no longer want. After a task
     * event only that task's per-task rules run (O(1) per event); the timer covers the others.
     */
    private void evaluate(String taskId, boolean taskScoped, Eta eta) {
        if (rules == null || evaluating) {
            return;
        }
        evaluating = true;
        try {
            raiseAndClear(taskId, taskScoped, eta);
        } catch (StoreUnavailableException e) {
            // The store takes no events now; the rules raise what is still wanted on a later evaluation.
            LOG.debug("alert evaluation of run '{}' skipped: {}", engine.runId(), e.getMessage());
        } finally {
            evaluating = false;
        }
    }

    private void raiseAndClear(String taskId, boolean taskScoped, Eta eta) {
        Instant now = clock.instant();
        Map<String, Alert> active = engine.activeAlertMap();
        Map<String, Alert> wanted = rules.evaluate(analytics, engine.percent(), eta, now, active,
                taskScoped ? taskId : null);
        Iterable<String> candidates = taskScoped && !analytics.finishedRun()
                ? AlertRules.idsInScope(analytics, taskId) : List.copyOf(active.keySet());
        for (String id : candidates) {
            Alert a = active.get(id);
            if (a != null && AlertRules.RULES.contains(a.rule()) && !wanted.containsKey(id)) {
                engine.clearAlert(id);
            }
        }
        for (Alert a : wanted.values()) {
            if (!active.containsKey(a.alertId())) {
                engine.raiseAlert(a);
            }
        }
    }

    RunReport report(List<Alert> active) {
        return RunReport.of(engine.summary(), analytics, active, mode, clock.instant());
    }

    void close() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}

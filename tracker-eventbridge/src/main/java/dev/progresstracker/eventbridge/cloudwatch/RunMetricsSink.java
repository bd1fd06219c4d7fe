package dev.progresstracker.eventbridge.cloudwatch;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.spi.EventSink;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Turns events into the values of the {@link TrackerMetric} list; {@link CloudWatchMetrics} and
 * {@link PrometheusMetrics} publish its {@link #samples()}. One series per cluster and plan (its
 * gauges follow the plan's most recent run), one per run too with {@code includeRunId}. At most
 * {@value #MAX_SERIES} series are kept; the least recently updated one is dropped beyond that.
 *
 * <p>Threading: the dispatcher calls {@link #publish} on the sink's own thread; {@link #samples()}
 * may be called from any thread (the publishers' own ones). Both hold this object's lock briefly.
 */
public final class RunMetricsSink implements EventSink {

    static final int MAX_SERIES = 256;
    private static final int MAX_PHASES = 32;
    /** The analytics' stalled-task rule (tracker-analytics {@code AlertRules.STALLED_TASK}). */
    static final String STALLED_TASK_RULE = "stalled-task";

    static final String PUBLISH_LAG_METER = "tracker.eventbridge.publish.lag";
    static final String OUTBOX_DEPTH_METER = "tracker.eventbridge.outbox.depth";

    private final boolean includeRunId;
    private final MeterRegistry eventBridgeMeters;
    private final Clock clock;
    private final Map<List<String>, Series> series = new LinkedHashMap<>(16, 0.75f, true);
    /** Each running run's tasks' last usage totals, so usage counters add only the increase. */
    private final Map<String, Map<String, TaskUsage>> lastUsage = new LinkedHashMap<>(16, 0.75f, true);

    private final List<AutoCloseable> onClose = new CopyOnWriteArrayList<>();
    private String latestCluster;

    /**
     * @param includeRunId      also keep a series per run (dimension {@code RunId})
     * @param eventBridgeMeters where an EventBridge sink registers its meters ({@code tracker.eventbridge.*}),
     *                          read for {@link TrackerMetric#PUBLISH_LAG_P99} and {@link TrackerMetric#OUTBOX_DEPTH};
     *                          null = no EventBridge metrics
     * @param clock             for {@link TrackerMetric#SECONDS_SINCE_PROGRESS}
     */
    public RunMetricsSink(boolean includeRunId, MeterRegistry eventBridgeMeters, Clock clock) {
        this.includeRunId = includeRunId;
        this.eventBridgeMeters = eventBridgeMeters;
        this.clock = java.util.Objects.requireNonNull(clock, "clock must not be null");
    }

    /** Without EventBridge metrics, on the system clock. */
    public RunMetricsSink(boolean includeRunId) {
        this(includeRunId, null, Clock.systemUTC());
    }

    /** Runs {@code action} when the sink closes (the publishers' final publish). */
    void onClose(AutoCloseable action) {
        onClose.add(action);
    }

    @Override
    public String name() {
        return "run-metrics";
    }

    @Override
    public synchronized void publish(ProgressEvent event) {
        String cluster = orNone(event.header().clusterName());
        String plan = orNone(event.header().planId());
        latestCluster = cluster;
        Instant now = clock.instant();
        TaskUsage before = usageBefore(event);
        seriesOf(List.of(cluster, plan), false).apply(event, now, before);
        if (includeRunId) {
            seriesOf(List.of(cluster, plan, event.runId()), true).apply(event, now, before);
        }
        if (event.run().status() != RunStatus.IN_PROGRESS && event.run().status() != RunStatus.NOT_STARTED) {
            lastUsage.remove(event.runId());
        }
    }

    /**
     * The task's usage totals before {@code event} (and remembers the event's), or null when the
     * event carries no usage. A run resumed by another process counts its tasks' earlier usage
     * again at their next usage event: this sink sees totals, not what a previous process published.
     */
    private TaskUsage usageBefore(ProgressEvent event) {
        if (!(event instanceof TaskEvent te) || te.task().usage().isEmpty()) {
            return null;
        }
        Map<String, TaskUsage> tasks = lastUsage.computeIfAbsent(event.runId(), k -> new HashMap<>());
        if (lastUsage.size() > MAX_SERIES) {
            lastUsage.remove(lastUsage.keySet().iterator().next());
        }
        TaskUsage before = tasks.put(te.task().taskId(), te.task().usage());
        return before == null ? TaskUsage.NONE : before;
    }

    /** Publishes once more through every publisher of this sink (called by the tracker on close). */
    @Override
    public void close() throws IOException {
        Exception first = null;
        for (AutoCloseable c : onClose) {
            try {
                c.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first != null) {
            throw new IOException("final metrics publish failed: " + first, first);
        }
    }

    /** Every series' current values, counters as totals since the sink started. */
    public synchronized List<MetricSample> samples() {
        Instant now = clock.instant();
        List<MetricSample> out = new ArrayList<>();
        for (Series s : series.values()) {
            s.addTo(out, now);
        }
        if (eventBridgeMeters != null && latestCluster != null) {
            Map<String, String> dims = Map.of(TrackerMetric.CLUSTER_NAME, latestCluster);
            Timer lag = eventBridgeMeters.find(PUBLISH_LAG_METER).timer();
            if (lag != null) {
                for (ValueAtPercentile p : lag.takeSnapshot().percentileValues()) {
                    if (p.percentile() == 0.99) {
                        out.add(new MetricSample(TrackerMetric.PUBLISH_LAG_P99, dims, p.value(TimeUnit.MILLISECONDS)));
                    }
                }
            }
            Gauge depth = eventBridgeMeters.find(OUTBOX_DEPTH_METER).gauge();
            if (depth != null && !Double.isNaN(depth.value())) {
                out.add(new MetricSample(TrackerMetric.OUTBOX_DEPTH, dims, depth.value()));
            }
        }
        return out;
    }

    private Series seriesOf(List<String> key, boolean perRun) {
        Series s = series.computeIfAbsent(key, k -> new Series(k, perRun));
        if (series.size() > MAX_SERIES) {
            series.remove(series.keySet().iterator().next());
        }
        return s;
    }

    private static String orNone(String v) {
        return v == null || v.isBlank() ? "none" : v;
    }

    /** The values of one series; guarded by the sink's lock. */
    private static final class Series {
        private static final int METRICS = TrackerMetric.values().length;

        final Map<String, String> dims = new LinkedHashMap<>();
        final boolean perRun;
        final double[] totals = new double[METRICS];
        final Map<String, double[]> phaseTotals = new LinkedHashMap<>();
        final Map<String, Alert> alerts = new HashMap<>();
        /** Estimated cost by currency, since the sink started. */
        final Map<String, Double> cost = new LinkedHashMap<>();
        /** Task id to {quality, weight} of the latest run that scored a task. */
        final Map<String, double[]> quality = new HashMap<>();

        String qualityRunId;
        String runId;
        RunStatus status;
        double percent = Double.NaN;
        double eta = Double.NaN;
        double baseline = Double.NaN;
        double slip = Double.NaN;
        Instant lastProgress;

        Series(List<String> key, boolean perRun) {
            this.perRun = perRun;
            dims.put(TrackerMetric.CLUSTER_NAME, key.get(0));
            dims.put(TrackerMetric.PLAN_ID, key.get(1));
            if (perRun) {
                dims.put(TrackerMetric.RUN_ID, key.get(2));
            }
        }

        void apply(ProgressEvent e, Instant now, TaskUsage usageBefore) {
            if (!e.runId().equals(runId)) {
                // A new run of the plan: its gauges start afresh (totals keep counting).
                runId = e.runId();
                baseline = Double.NaN;
                slip = Double.NaN;
                eta = Double.NaN;
            }
            String phase = e.run().phase() == null ? "none" : e.run().phase();
            for (TrackerMetric m : TrackerMetric.values()) {
                double inc = m.increment(e);
                if (inc != 0) {
                    totals[m.ordinal()] += inc;
                    if (m.byPhase() && !perRun) {
                        double[] t = phaseTotals.get(phase);
                        if (t == null && phaseTotals.size() < MAX_PHASES) {
                            t = new double[METRICS];
                            phaseTotals.put(phase, t);
                        }
                        if (t != null) {
                            t[m.ordinal()] += inc;
                        }
                    }
                }
            }
            if (usageBefore != null) {
                applyUsage(e.runId(), ((TaskEvent) e).task(), usageBefore);
            }
            status = e.run().status();
            percent = e.run().percent();
            if (e instanceof TaskEvent || e.type() == EventType.UPGRADE_STARTED) {
                lastProgress = now;
            }
            eta = e.run().eta() == null ? Double.NaN : e.run().eta().seconds();
            if (e.run().eta() != null && e.run().startedAt() != null) {
                double projected =
                        Duration.between(e.run().startedAt(), e.time()).toMillis() / 1000.0 + eta;
                if (Double.isNaN(baseline) && percent >= 10 && projected > 0) {
                    baseline = projected;
                }
                if (!Double.isNaN(baseline)) {
                    slip = Math.max(0, (projected / baseline - 1) * 100);
                }
            }
            if (e instanceof AlertEvent a) {
                if (e.type() == EventType.ALERT_RAISED) {
                    alerts.put(e.runId() + '\u0000' + a.alert().alertId(), a.alert());
                } else {
                    alerts.remove(e.runId() + '\u0000' + a.alert().alertId());
                }
            }
            if (status != RunStatus.IN_PROGRESS && status != RunStatus.NOT_STARTED) {
                alerts.keySet().removeIf(k -> k.startsWith(e.runId() + '\u0000'));
            }
        }

        private void applyUsage(String run, TaskView task, TaskUsage before) {
            TaskUsage after = task.usage();
            for (TrackerMetric m : TrackerMetric.values()) {
                if (m.isUsageCounter() && m != TrackerMetric.ESTIMATED_COST) {
                    totals[m.ordinal()] += m.usageIncrement(before, after);
                }
            }
            if (after.currency() != null && cost.size() < MAX_PHASES) {
                cost.merge(after.currency(), TrackerMetric.ESTIMATED_COST.usageIncrement(before, after), Double::sum);
            }
            if (after.quality() != null) {
                if (!run.equals(qualityRunId)) {
                    quality.clear();
                    qualityRunId = run;
                }
                quality.put(task.taskId(), new double[] {after.quality(), task.weight()});
            }
        }

        void addTo(List<MetricSample> out, Instant now) {
            if (!Double.isNaN(percent)) {
                out.add(sample(TrackerMetric.RUN_PERCENT, percent));
            }
            if (!Double.isNaN(eta) && status == RunStatus.IN_PROGRESS) {
                out.add(sample(TrackerMetric.ETA_SECONDS, eta));
            }
            if (!Double.isNaN(slip)) {
                out.add(sample(TrackerMetric.ETA_SLIP_PERCENT, slip));
            }
            if (status == RunStatus.IN_PROGRESS && lastProgress != null) {
                out.add(sample(
                        TrackerMetric.SECONDS_SINCE_PROGRESS,
                        Math.max(0, Duration.between(lastProgress, now).toMillis() / 1000.0)));
            }
            for (TrackerMetric m : TrackerMetric.values()) {
                if (m.kind() == TrackerMetric.Kind.COUNTER && m != TrackerMetric.ESTIMATED_COST) {
                    out.add(sample(m, totals[m.ordinal()]));
                }
            }
            cost.forEach((currency, value) -> {
                Map<String, String> d = new LinkedHashMap<>(dims);
                d.put(TrackerMetric.CURRENCY, currency);
                out.add(new MetricSample(TrackerMetric.ESTIMATED_COST, d, value));
            });
            if (!quality.isEmpty()) {
                double sum = 0;
                double weight = 0;
                for (double[] q : quality.values()) {
                    sum += q[0] * q[1];
                    weight += q[1];
                }
                out.add(sample(TrackerMetric.QUALITY_SCORE, weight > 0 ? sum / weight : Double.NaN));
            }
            phaseTotals.forEach((phase, t) -> {
                for (TrackerMetric m : TrackerMetric.values()) {
                    if (m.byPhase()) {
                        Map<String, String> d = new LinkedHashMap<>(dims);
                        d.put(TrackerMetric.PHASE, phase);
                        out.add(new MetricSample(m, d, t[m.ordinal()]));
                    }
                }
            });
            out.add(sample(
                    TrackerMetric.STALLED_TASKS,
                    alerts.values().stream()
                            .filter(a -> a.rule().equals(STALLED_TASK_RULE))
                            .count()));
            for (Alert.Severity sev : Alert.Severity.values()) {
                Map<String, String> d = new LinkedHashMap<>(dims);
                d.put(TrackerMetric.SEVERITY, sev.name());
                out.add(new MetricSample(
                        TrackerMetric.ALERTS_ACTIVE,
                        d,
                        alerts.values().stream()
                                .filter(a -> a.severity() == sev)
                                .count()));
            }
        }

        private MetricSample sample(TrackerMetric m, double value) {
            return new MetricSample(m, dims, value);
        }
    }
}

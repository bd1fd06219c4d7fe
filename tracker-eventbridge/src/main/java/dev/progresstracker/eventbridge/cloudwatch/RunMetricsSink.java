package dev.progresstracker.eventbridge.cloudwatch;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.RunStatus;
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
 * {@link PrometheusMetrics} publish its {@link #snapshot()}. One series per cluster and plan (its
 * gauges follow the plan's most recent run), one per run too with {@code includeRunId}. At most
 * {@value #MAX_SERIES} series are kept; the least recently updated one is dropped beyond that.
 *
 * <p>Threading: the dispatcher calls {@link #publish} on the sink's own thread; {@link #snapshot()}
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
        seriesOf(List.of(cluster, plan), false).apply(event, now);
        if (includeRunId) {
            seriesOf(List.of(cluster, plan, event.runId()), true).apply(event, now);
        }
    }

    /** Publishes once more through every publisher of this sink (called by the tracker on close). */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (AutoCloseable c : onClose) {
            try {
                c.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                IOException failed = e instanceof IOException io ? io : new IOException("final metrics publish failed: " + e, e);
                if (first == null) {
                    first = failed;
                } else {
                    first.addSuppressed(failed);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Every series' current values, counters as totals since the sink started. */
    public synchronized List<MetricSample> snapshot() {
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

        void apply(ProgressEvent e, Instant now) {
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
            status = e.run().status();
            percent = e.run().percent();
            if (e instanceof TaskEvent || e.type() == EventType.UPGRADE_STARTED) {
                lastProgress = now;
            }
            eta = e.run().eta() == null ? Double.NaN : e.run().eta().seconds();
            if (e.run().eta() != null && e.run().startedAt() != null) {
                double projected = Duration.between(e.run().startedAt(), e.time()).toMillis() / 1000.0 + eta;
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
                out.add(sample(TrackerMetric.SECONDS_SINCE_PROGRESS,
                        Math.max(0, Duration.between(lastProgress, now).toMillis() / 1000.0)));
            }
            for (TrackerMetric m : TrackerMetric.values()) {
                if (m.kind() == TrackerMetric.Kind.COUNTER) {
                    out.add(sample(m, totals[m.ordinal()]));
                }
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
            out.add(sample(TrackerMetric.STALLED_TASKS,
                    alerts.values().stream().filter(a -> a.rule().equals(STALLED_TASK_RULE)).count()));
            for (Alert.Severity sev : Alert.Severity.values()) {
                Map<String, String> d = new LinkedHashMap<>(dims);
                d.put(TrackerMetric.SEVERITY, sev.name());
                out.add(new MetricSample(TrackerMetric.ALERTS_ACTIVE, d,
                        alerts.values().stream().filter(a -> a.severity() == sev).count()));
            }
        }

        private MetricSample sample(TrackerMetric m, double value) {
            return new MetricSample(m, dims, value);
        }
    }
}

package dev.progresstracker.eventbridge.cloudwatch;

import dev.progresstracker.core.spi.MetricsExposition;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link TrackerMetric} list in the Prometheus text format, through Micrometer's Prometheus
 * registry: names {@link TrackerMetric#prometheusName()} (unit in the name, counters
 * {@code _total}), labels {@code cluster_name}, {@code plan_id}, {@code run_id} (with
 * {@code includeRunId}), {@code phase}, {@code severity}. Prometheus wants one label set per name,
 * so each metric is exposed at its finest level only (task counters per phase, run metrics per run
 * with {@code includeRunId}); {@code sum by (cluster_name, plan_id)} gives the totals. Serve
 * {@link #scrape()} at {@code /metrics} (the dashboard server does, when given this). Needs
 * {@code io.micrometer:micrometer-registry-prometheus} on the class path (an optional dependency).
 * Thread-safe; the values are read from the sink at scrape time.
 */
public final class PrometheusMetrics implements MetricsExposition {

    /** The content type of {@link #scrape()}: the Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final RunMetricsSink sink;
    private final boolean includeRunId;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Meter> meters = new ConcurrentHashMap<>();
    private volatile Map<String, Double> values = Map.of();

    private PrometheusMetrics(RunMetricsSink sink, boolean includeRunId) {
        this.sink = Objects.requireNonNull(sink, "sink must not be null");
        this.includeRunId = includeRunId;
    }

    /** Exposes the values of {@code sink}; {@code includeRunId} must match the sink's. */
    public static PrometheusMetrics create(RunMetricsSink sink, boolean includeRunId) {
        return new PrometheusMetrics(sink, includeRunId);
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    /** The sink whose values this exposes. */
    public RunMetricsSink sink() {
        return sink;
    }

    /** The current values in the text exposition format. */
    @Override
    public synchronized String scrape() {
        Map<String, Double> now = new HashMap<>();
        for (MetricSample s : sink.samples()) {
            if (!exposed(s)) {
                continue;
            }
            String key = s.seriesKey();
            now.put(key, s.value());
            meters.computeIfAbsent(key, k -> register(s));
        }
        values = now;
        for (Map.Entry<String, Meter> e : new ArrayList<>(meters.entrySet())) {
            if (!now.containsKey(e.getKey())) {
                registry.remove(e.getValue());
                meters.remove(e.getKey());
            }
        }
        return registry.scrape();
    }

    /** Whether the sample is at its metric's finest level (see the class comment). */
    private boolean exposed(MetricSample s) {
        Map<String, String> d = s.dimensions();
        if (s.metric().isProcessMetric()) {
            return true;
        }
        if (s.metric().byPhase()) {
            return d.containsKey(TrackerMetric.PHASE);
        }
        return d.containsKey(TrackerMetric.RUN_ID) == includeRunId;
    }

    private Meter register(MetricSample s) {
        TrackerMetric m = s.metric();
        String key = s.seriesKey();
        List<Tag> tags = new ArrayList<>();
        s.dimensions().forEach((k, v) -> tags.add(Tag.of(label(k), v)));
        if (m.kind() == TrackerMetric.Kind.COUNTER) {
            String name = m.prometheusName().substring(0, m.prometheusName().length() - "_total".length());
            return FunctionCounter.builder(name, this, p -> p.value(key))
                    .description(m.description())
                    .tags(tags)
                    .register(registry);
        }
        double scale = m.unit() == TrackerMetric.Unit.MILLISECONDS ? 0.001 : 1;
        return Gauge.builder(m.prometheusName(), this, p -> p.value(key) * scale)
                .description(m.description())
                .tags(tags)
                .register(registry);
    }

    private double value(String key) {
        return values.getOrDefault(key, Double.NaN);
    }

    /** {@code ClusterName} → {@code cluster_name}. */
    static String label(String dimension) {
        return dimension.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}

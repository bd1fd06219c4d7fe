package dev.progresstracker.eventbridge.cloudwatch;

import java.util.Map;
import java.util.Objects;

/**
 * One value of one series: what {@link RunMetricsSink#samples()} returns and the publishers send.
 *
 * @param metric     which metric
 * @param dimensions CloudWatch dimension name to value, in publishing order
 * @param value      a gauge's current value, or a counter's total since the sink started
 */
public record MetricSample(TrackerMetric metric, Map<String, String> dimensions, double value) {
    public MetricSample {
        Objects.requireNonNull(metric, "metric must not be null");
        dimensions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dimensions));
    }

    /** Metric name plus dimensions: the identity of a series. */
    String seriesKey() {
        return metric.cloudWatchName() + dimensions;
    }
}

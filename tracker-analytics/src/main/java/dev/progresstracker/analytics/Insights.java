package dev.progresstracker.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Trend and textual insights of a {@link RunReport}. Pure functions. */
final class Insights {

    /** Relative change over the window beyond which throughput is improving / degrading. */
    static final double TREND_THRESHOLD = 0.15;
    /** A type is worth mentioning when its mean is at least this × the median task. */
    static final double SLOW_TYPE_RATIO = 1.5;

    private Insights() {}

    /**
     * Least-squares slope of tasks/min over the last {@code window} (at least 3) history buckets.
     * Change = slope × span / mean; confidence = R² × how full the window is.
     */
    static RunReport.Trend trend(List<RunReport.ThroughputPoint> history, int window) {
        int n = Math.min(history.size(), Math.max(window, 3));
        if (n < 3) {
            return RunReport.Trend.UNKNOWN;
        }
        List<RunReport.ThroughputPoint> h = history.subList(history.size() - n, history.size());
        double mx = (n - 1) / 2.0;
        double my = h.stream()
                .mapToDouble(RunReport.ThroughputPoint::tasksPerMinute)
                .average()
                .orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = i - mx;
            double dy = h.get(i).tasksPerMinute() - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (my <= 0) {
            return new RunReport.Trend(RunReport.Trend.Direction.STABLE, 0, 0);
        }
        double slope = sxy / sxx;
        double change = slope * (n - 1) / my;
        double r2 = syy == 0 ? 1 : sxy * sxy / (sxx * syy);
        double fullness = Math.min(1, n / (double) Math.max(window, 3));
        RunReport.Trend.Direction d = change > TREND_THRESHOLD
                ? RunReport.Trend.Direction.IMPROVING
                : change < -TREND_THRESHOLD ? RunReport.Trend.Direction.DEGRADING : RunReport.Trend.Direction.STABLE;
        double confidence =
                (d == RunReport.Trend.Direction.STABLE ? 1 - r2 * Math.min(1, Math.abs(change) / TREND_THRESHOLD) : r2)
                        * fullness;
        return new RunReport.Trend(d, 100 * change, Math.max(0, Math.min(1, confidence)));
    }

    static List<String> of(RunReport r, RunAnalytics a, Instant now) {
        List<String> out = new ArrayList<>();
        double median = medianOfAll(a.durations());
        for (Map.Entry<String, RunReport.TypeStats> e : r.byType().entrySet()) {
            RunReport.TypeStats s = e.getValue();
            if (s.completed() >= a.config().minSamplesPerType()
                    && median > 0
                    && s.meanSeconds() >= SLOW_TYPE_RATIO * median) {
                out.add(String.format(
                        Locale.ROOT,
                        "%s tasks take %.1f× the median task (%s vs %s)",
                        e.getKey().toLowerCase(Locale.ROOT),
                        s.meanSeconds() / median,
                        human(s.meanSeconds()),
                        human(median)));
            }
        }
        if (r.trend().direction() == RunReport.Trend.Direction.DEGRADING
                || r.trend().direction() == RunReport.Trend.Direction.IMPROVING) {
            out.add(String.format(
                    Locale.ROOT,
                    "throughput is %s (%+.0f %% over the last %d buckets, confidence %.2f)",
                    r.trend().direction().name().toLowerCase(Locale.ROOT),
                    r.trend().changePercent(),
                    Math.min(r.throughput().history().size(), a.config().throughputWindow()),
                    r.trend().confidence()));
        }
        if (a.failedAttempts() > 0) {
            out.add(String.format(
                    Locale.ROOT,
                    "%d of %d finished attempts failed (%.0f %%), %d retried",
                    a.failedAttempts(),
                    a.failedAttempts() + a.completed(),
                    100 * r.errorRate(),
                    a.retries()));
        }
        for (RunAnalytics.TaskInfo t : a.running()) {
            if (t.lastProgress != null && t.status == dev.progresstracker.core.TaskStatus.IN_PROGRESS) {
                double quiet = RunAnalytics.seconds(t.lastProgress, now);
                if (quiet >= a.config().stallTimeout().toSeconds()) {
                    out.add("task " + t.taskId + " has made no progress for " + human(quiet));
                }
            }
        }
        if (r.eta() != null && r.eta().seconds() > 0) {
            out.add(String.format(
                    Locale.ROOT,
                    "about %s left (%s .. %s, confidence %.2f)",
                    human(r.eta().seconds()),
                    human(r.eta().low()),
                    human(r.eta().high()),
                    r.eta().confidence()));
        }
        return out;
    }

    private static double medianOfAll(Map<String, TypeDurations> durations) {
        double[] all = durations.values().stream()
                .flatMapToDouble(d -> Arrays.stream(d.recent, 0, Math.min(d.count, TypeDurations.SAMPLES)))
                .sorted()
                .toArray();
        if (all.length == 0) {
            return Double.NaN;
        }
        return all.length % 2 == 1 ? all[all.length / 2] : (all[all.length / 2 - 1] + all[all.length / 2]) / 2;
    }

    /** 75 → "1m 15s", 4000 → "1h 6m", 12.3 → "12s". */
    static String human(double seconds) {
        if (Double.isNaN(seconds)) {
            return "n/a";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s / 3600 + "h " + s % 3600 / 60 + "m";
    }
}

package dev.progresstracker.analytics;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.ProgressSummary;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.json.WireFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's summary report: progress, ETA, throughput, error and success rates, durations per task
 * type, the throughput trend, insights and active alerts. Immutable; {@link #toJson()} and
 * {@link #toText()} render it. In MINIMAL and BASIC mode analytics are off: throughput, rates,
 * durations and trend are empty and the insights say so.
 *
 * @param elapsed       time since the run started (to its end once finished)
 * @param eta           null when none is known or computed
 * @param tasksByStatus count per task status name
 * @param byType        completed-task durations per task type
 * @param problems      what {@link RunValidation} found inconsistent in the run; empty when all is consistent
 */
public record RunReport(
        String runId,
        String status,
        String phase,
        double percent,
        Instant generatedAt,
        Duration elapsed,
        Eta eta,
        Map<String, Integer> tasksByStatus,
        Throughput throughput,
        double errorRate,
        double successRate,
        long retries,
        Map<String, TypeStats> byType,
        Trend trend,
        List<String> insights,
        List<Alert> activeAlerts,
        TrackingMode trackingMode,
        List<RunValidation.Problem> problems) {

    /**
     * Throughput figures; rates per minute.
     *
     * @param tasksPerMinute        completed tasks per minute over the recent window
     * @param averageTasksPerMinute over the whole run
     * @param peakTasksPerMinute    best bucket's rate, never below the average ({@link RunAnalytics#peakTasksPerMinute})
     * @param itemsPerMinute        items (task {@code details}) per minute over the recent window
     */
    public record Throughput(
            double tasksPerMinute,
            double averageTasksPerMinute,
            double peakTasksPerMinute,
            double itemsPerMinute,
            double itemsTotal,
            List<ThroughputPoint> history) {
        public Throughput {
            history = List.copyOf(history);
        }

        static final Throughput NONE = new Throughput(0, 0, 0, 0, 0, List.of());
    }

    /** One completed history bucket. */
    public record ThroughputPoint(Instant bucketStart, double tasksPerMinute, double itemsPerMinute) {}

    /** Completed durations of one task type, seconds. */
    public record TypeStats(int completed, double meanSeconds, double medianSeconds, double maxSeconds) {}

    /** Direction of throughput over the recent history, with a confidence 0..1. */
    public record Trend(Direction direction, double changePercent, double confidence) {
        /** UNKNOWN while there are fewer than three history buckets. */
        public enum Direction {
            IMPROVING,
            STABLE,
            DEGRADING,
            UNKNOWN
        }

        static final Trend UNKNOWN = new Trend(Direction.UNKNOWN, 0, 0);
    }

    public RunReport {
        tasksByStatus = Map.copyOf(tasksByStatus);
        byType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byType));
        insights = List.copyOf(insights);
        activeAlerts = List.copyOf(activeAlerts);
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /**
     * Builds the report of a run from its summary and, when analytics are on, its collector.
     *
     * @param analytics null in MINIMAL / BASIC mode
     */
    public static RunReport of(
            ProgressSummary summary, RunAnalytics analytics, List<Alert> activeAlerts, TrackingMode mode, Instant now) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (TaskStatus s : TaskStatus.values()) {
            counts.put(s.name(), summary.count(s));
        }
        Eta eta = summary.eta().orElse(null);
        if (analytics == null) {
            return new RunReport(
                    summary.runId(),
                    summary.status().name(),
                    summary.currentPhase(),
                    summary.percent(),
                    now,
                    summary.elapsed(),
                    eta,
                    counts,
                    Throughput.NONE,
                    0,
                    1,
                    0,
                    Map.of(),
                    Trend.UNKNOWN,
                    List.of("analytics are off in " + mode + " mode (ENHANCED or COMPREHENSIVE collect them)"),
                    activeAlerts,
                    mode,
                    List.of());
        }
        List<ThroughputPoint> history = analytics.history(now);
        double peak = analytics.peakTasksPerMinute(now);
        Throughput throughput = new Throughput(
                analytics.tasksPerMinute(now),
                analytics.averageTasksPerMinute(now),
                peak,
                analytics.itemsPerMinute(now),
                analytics.itemsTotal(),
                history);
        Map<String, TypeStats> byType = new LinkedHashMap<>();
        analytics
                .durations()
                .forEach((type, d) ->
                        byType.put(type, new TypeStats(d.count, d.sumSeconds / d.count, d.median(), d.maxSeconds)));
        Trend trend = Insights.trend(history, analytics.config().throughputWindow());
        RunReport draft = new RunReport(
                summary.runId(),
                summary.status().name(),
                summary.currentPhase(),
                summary.percent(),
                now,
                summary.elapsed(),
                eta,
                counts,
                throughput,
                analytics.errorRate(),
                analytics.successRate(),
                analytics.retries(),
                byType,
                trend,
                List.of(),
                activeAlerts,
                mode,
                List.of());
        return draft.withInsights(Insights.of(draft, analytics, now));
    }

    RunReport withInsights(List<String> text) {
        return with(text, problems);
    }

    /** The same report with {@code found} as its validation problems. */
    public RunReport withProblems(List<RunValidation.Problem> found) {
        return with(insights, found);
    }

    private RunReport with(List<String> insightText, List<RunValidation.Problem> found) {
        return new RunReport(
                runId,
                status,
                phase,
                percent,
                generatedAt,
                elapsed,
                eta,
                tasksByStatus,
                throughput,
                errorRate,
                successRate,
                retries,
                byType,
                trend,
                insightText,
                activeAlerts,
                trackingMode,
                found);
    }

    /** The report as one JSON object (numbers as numbers, durations in seconds, times ISO-8601). */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = WireFormat.writer().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("runId", runId);
            g.writeStringField("status", status);
            g.writeStringField("phase", phase);
            g.writeNumberField("percent", percent);
            g.writeStringField("generatedAt", generatedAt.toString());
            g.writeNumberField("elapsedSeconds", elapsed.toMillis() / 1000.0);
            g.writeStringField("trackingMode", trackingMode.name());
            if (eta != null) {
                g.writeFieldName("eta");
                WireFormat.writeEta(g, eta);
            }
            g.writeObjectFieldStart("tasks");
            for (Map.Entry<String, Integer> e : tasksByStatus.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("throughput");
            g.writeNumberField("tasksPerMinute", throughput.tasksPerMinute());
            g.writeNumberField("averageTasksPerMinute", throughput.averageTasksPerMinute());
            g.writeNumberField("peakTasksPerMinute", throughput.peakTasksPerMinute());
            g.writeNumberField("itemsPerMinute", throughput.itemsPerMinute());
            g.writeNumberField("itemsTotal", throughput.itemsTotal());
            g.writeArrayFieldStart("history");
            for (ThroughputPoint p : throughput.history()) {
                g.writeStartObject();
                g.writeStringField("bucketStart", p.bucketStart().toString());
                g.writeNumberField("tasksPerMinute", p.tasksPerMinute());
                g.writeNumberField("itemsPerMinute", p.itemsPerMinute());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeNumberField("errorRate", errorRate);
            g.writeNumberField("successRate", successRate);
            g.writeNumberField("retries", retries);
            g.writeObjectFieldStart("byType");
            for (Map.Entry<String, TypeStats> e : byType.entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeNumberField("completed", e.getValue().completed());
                g.writeNumberField("meanSeconds", e.getValue().meanSeconds());
                g.writeNumberField("medianSeconds", e.getValue().medianSeconds());
                g.writeNumberField("maxSeconds", e.getValue().maxSeconds());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("trend");
            g.writeStringField("direction", trend.direction().name());
            g.writeNumberField("changePercent", trend.changePercent());
            g.writeNumberField("confidence", trend.confidence());
            g.writeEndObject();
            g.writeArrayFieldStart("insights");
            for (String s : insights) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("activeAlerts");
            for (Alert a : activeAlerts) {
                WireFormat.writeAlert(g, a);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("problems");
            for (RunValidation.Problem p : problems) {
                g.writeStartObject();
                g.writeStringField("code", p.code());
                g.writeStringField("taskId", p.taskId());
                g.writeStringField("message", p.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The report as a few lines of plain text for logs and terminals. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "Run %s: %s, %.1f %% done%s, elapsed %s%n",
                runId,
                status,
                percent,
                phase == null ? "" : " (phase " + phase + ")",
                Insights.human(elapsed.toMillis() / 1000.0)));
        if (eta != null) {
            b.append(String.format(
                    Locale.ROOT,
                    "ETA: %s (%s .. %s, confidence %.2f, %s)%n",
                    Insights.human(eta.seconds()),
                    Insights.human(eta.low()),
                    Insights.human(eta.high()),
                    eta.confidence(),
                    eta.method()));
        }
        b.append("Tasks:");
        tasksByStatus.forEach((k, v) -> {
            if (v > 0) {
                b.append(' ').append(k.toLowerCase(Locale.ROOT)).append('=').append(v);
            }
        });
        b.append(System.lineSeparator());
        b.append(String.format(
                Locale.ROOT,
                "Throughput: %.2f tasks/min now, %.2f average, %.2f peak; %.1f items/min%n",
                throughput.tasksPerMinute(),
                throughput.averageTasksPerMinute(),
                throughput.peakTasksPerMinute(),
                throughput.itemsPerMinute()));
        b.append(String.format(
                Locale.ROOT,
                "Errors: %.1f %% of attempts failed, success rate %.1f %%, %d retries%n",
                100 * errorRate,
                100 * successRate,
                retries));
        byType.forEach((type, s) -> b.append(String.format(
                Locale.ROOT,
                "  %s: %d done, mean %s, median %s, max %s%n",
                type,
                s.completed(),
                Insights.human(s.meanSeconds()),
                Insights.human(s.medianSeconds()),
                Insights.human(s.maxSeconds()))));
        b.append(String.format(
                Locale.ROOT,
                "Trend: %s (%+.0f %%, confidence %.2f)%n",
                trend.direction(),
                trend.changePercent(),
                trend.confidence()));
        for (String s : insights) {
            b.append("- ").append(s).append(System.lineSeparator());
        }
        for (Alert a : activeAlerts) {
            b.append("! ")
                    .append(a.severity())
                    .append(' ')
                    .append(a.rule())
                    .append(": ")
                    .append(a.message())
                    .append(System.lineSeparator());
        }
        for (RunValidation.Problem p : problems) {
            b.append("? inconsistent ")
                    .append(p.code())
                    .append(": ")
                    .append(p.message())
                    .append(System.lineSeparator());
        }
        return b.toString();
    }
}

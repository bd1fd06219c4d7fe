package dev.progresstracker.analytics;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.progresstracker.core.ProgressSummary;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskUsage;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored run's tasks, events, usage and report, as JSON or CSV: what the {@code report} command
 * prints. {@link #load} reads a store (a read-only one is enough); the report is rebuilt from the
 * events with {@link AnalyticsConfig#defaults()} as of the run's last event, so it is the same
 * whenever it is made. CSV follows RFC 4180: a field holding a comma, a quote, CR or LF is quoted,
 * quotes doubled; times ISO-8601, durations in milliseconds, empty for null. Immutable, thread-safe.
 */
public final class RunExport {

    /** Events read per store call. */
    static final int PAGE = 1000;

    private final RunState state;
    private final List<ProgressEvent> events;

    private RunExport(RunState state, List<ProgressEvent> events) {
        this.state = Objects.requireNonNull(state, "state must not be null");
        this.events = List.copyOf(events);
    }

    /** The export of a run's state and events (oldest first). */
    public static RunExport of(RunState state, List<ProgressEvent> events) {
        return new RunExport(state, events);
    }

    /**
     * Reads run {@code runId} and all its events from {@code store}.
     *
     * @throws NoSuchElementException naming the run when the store has no such run
     */
    public static RunExport load(ProgressStore store, String runId) {
        Objects.requireNonNull(store, "store must not be null");
        RunState state = store.loadRun(runId)
                .orElseThrow(() -> new NoSuchElementException("run '" + runId + "' is not in the store ("
                        + store.listRuns().size() + " runs there)"));
        List<ProgressEvent> events = new ArrayList<>();
        long after = 0;
        while (true) {
            Optional<List<ProgressEvent>> page = store.eventsSince(runId, after, PAGE);
            if (page.isEmpty() || page.get().isEmpty()) {
                break;
            }
            events.addAll(page.get());
            after = page.get().get(page.get().size() - 1).header().sequence();
        }
        return new RunExport(state, events);
    }

    public RunState state() {
        return state;
    }

    public List<ProgressEvent> events() {
        return events;
    }

    /** The report of the run as of its last event (or now, for a run with none), validation problems included. */
    public RunReport report() {
        RunAnalytics analytics = new RunAnalytics(AnalyticsConfig.defaults());
        events.stream().filter(e -> !(e instanceof AlertEvent)).forEach(analytics::observe);
        RunInfo i = state.info();
        Instant asOf = i.finishedAt() != null ? i.finishedAt() : i.updatedAt() != null ? i.updatedAt() : Instant.now();
        Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
        Arrays.stream(TaskStatus.values()).forEach(s -> counts.put(s, 0));
        state.tasks().forEach(t -> counts.merge(t.status(), 1, Integer::sum));
        Duration elapsed = i.startedAt() == null ? Duration.ZERO : Duration.between(i.startedAt(), asOf);
        ProgressSummary summary = new ProgressSummary(
                i.runId(),
                i.planId(),
                i.clusterName(),
                i.status(),
                i.phase(),
                i.percent(),
                counts,
                state.tasks().size(),
                i.startedAt(),
                elapsed.isNegative() ? Duration.ZERO : elapsed,
                Optional.ofNullable(i.eta()),
                i.lastSequence(),
                StoreHealth.WRITING);
        return RunReport.of(summary, analytics, state.activeAlerts(), TrackingMode.ENHANCED, asOf)
                .withProblems(RunValidation.check(state, summary));
    }

    /** One row per task: id, parent, type, status, percent, stage, attempt, times, then its usage. */
    public String tasksCsv() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of(
                "taskId",
                "parentTaskId",
                "name",
                "type",
                "status",
                "percent",
                "stage",
                "stageProgress",
                "attempt",
                "startedAt",
                "finishedAt",
                "message",
                "apiCalls",
                "apiCallsFailed",
                "rateLimitHits",
                "rateLimitDelayMillis",
                "tokensIn",
                "tokensOut",
                "cost",
                "currency",
                "quality"));
        for (TaskView t : state.tasks()) {
            TaskUsage u = t.usage();
            rows.add(Arrays.asList(
                    t.taskId(),
                    t.parentTaskId(),
                    t.name(),
                    t.type().name(),
                    t.status(),
                    t.percent(),
                    t.stage(),
                    t.stageProgress(),
                    t.attempt(),
                    t.startedAt(),
                    t.finishedAt(),
                    t.message(),
                    u.apiCalls(),
                    u.apiCallsFailed(),
                    u.rateLimitHits(),
                    u.rateLimitDelayMillis(),
                    u.tokensIn(),
                    u.tokensOut(),
                    u.cost(),
                    u.currency(),
                    u.quality()));
        }
        return csv(rows);
    }

    /** One row per event: sequence, time, detail-type, task, status, percent, message (alerts: rule and message). */
    public String eventsCsv() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("sequence", "time", "type", "taskId", "status", "percent", "message"));
        for (ProgressEvent e : events) {
            Object taskId = null;
            Object status = e.run().status();
            Object percent = e.run().percent();
            Object message = null;
            if (e instanceof TaskEvent te) {
                taskId = te.task().taskId();
                status = te.task().status();
                percent = te.task().percent();
                message = te.task().message();
            } else if (e instanceof AlertEvent ae) {
                taskId = ae.alert().taskId();
                message = ae.alert().rule() + ": " + ae.alert().message();
            }
            rows.add(Arrays.asList(
                    e.header().sequence(), e.header().time(), e.type().wireName(), taskId, status, percent, message));
        }
        return csv(rows);
    }

    /**
     * The run's usage as {@code RunUsage.of} computes it for the tracker: one row per task type, then a
     * {@code RUN} row over every task. {@code tasks} counts parents too, {@code completedTasks} and
     * {@code retries} only tasks without children; {@code weightedQuality} is the mean quality of the
     * tasks that have one, weighted by task weight (empty when none has).
     */
    public String usageCsv() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(new ArrayList<>(UsageRow.HEADER));
        for (UsageRow r : UsageRow.of(state.tasks())) {
            rows.add(r.cells());
        }
        return csv(rows);
    }

    /** {@code {"run": …state…, "events": […], "usage": [{scope, …}], "report": {…}}}, events in their wire form. */
    public String json() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = WireFormat.writer().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("run");
            WireFormat.writeRunState(g, state);
            g.writeArrayFieldStart("events");
            for (ProgressEvent e : events) {
                WireFormat.writeEvent(g, e);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("usage");
            for (UsageRow r : UsageRow.of(state.tasks())) {
                r.write(g);
            }
            g.writeEndArray();
            g.writeFieldName("report");
            g.writeRawValue(report().toJson());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** RFC 4180 text of {@code rows}, lines ended by CRLF. */
    static String csv(List<List<Object>> rows) {
        StringBuilder b = new StringBuilder();
        for (List<Object> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(field(row.get(i)));
            }
            b.append("\r\n");
        }
        return b.toString();
    }

    static String field(Object v) {
        if (v == null) {
            return "";
        }
        String s = v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)
                ? Long.toString(d.longValue())
                : v.toString();
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}

package dev.progresstracker.events.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.progresstracker.events.Alert;
import dev.progresstracker.events.AlertEvent;
import dev.progresstracker.events.Delivery;
import dev.progresstracker.events.DetailType;
import dev.progresstracker.events.Eta;
import dev.progresstracker.events.EtaFactors;
import dev.progresstracker.events.EventHeader;
import dev.progresstracker.events.Run;
import dev.progresstracker.events.RunEvent;
import dev.progresstracker.events.RunStatus;
import dev.progresstracker.events.Severity;
import dev.progresstracker.events.Task;
import dev.progresstracker.events.TaskEvent;
import dev.progresstracker.events.TaskStatus;
import dev.progresstracker.events.TrackerEvent;
import dev.progresstracker.events.TrackerEventException;
import dev.progresstracker.events.UnknownEvent;
import dev.progresstracker.events.Usage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the typed record of one detail object. The field names here are the wire contract; the
 * tracker's producer is checked against them by the round-trip test of tracker-eventbridge.
 */
final class DetailReader {

    private final ObjectMapper mapper;

    DetailReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The event in {@code d}; {@code detailType} is the envelope's (or the caller's), null to take the
     * detail's own {@code type}.
     */
    TrackerEvent read(JsonObject d, String detailType) {
        String declared = d.text("type");
        if (detailType != null && !detailType.equals(declared)) {
            throw new TrackerEventException(
                    "detail-type '" + detailType + "' does not match the detail's type '" + declared + "'",
                    d.pathOf("type"),
                    null);
        }
        EventHeader h = header(d);
        Run run = run(d.object("run"));
        DetailType type = DetailType.find(declared).orElse(null);
        if (type == null) {
            return new UnknownEvent(declared, h, run, d.node().toString());
        }
        return switch (type) {
            case UPGRADE_STARTED -> new RunEvent.UpgradeStarted(h, run, attributes(d));
            case UPGRADE_COMPLETED -> new RunEvent.UpgradeCompleted(h, run);
            case UPGRADE_FAILED -> new RunEvent.UpgradeFailed(h, run, d.optionalText("message"));
            case UPGRADE_CANCELLED -> new RunEvent.UpgradeCancelled(h, run, d.optionalText("reason"));
            case PHASE_CHANGED -> new RunEvent.PhaseChanged(h, run, d.optionalText("previousPhase"));
            case TASK_ADDED -> new TaskEvent.TaskAdded(h, run, task(d.object("task")));
            case TASK_STARTED -> new TaskEvent.TaskStarted(h, run, task(d.object("task")));
            case TASK_PROGRESS -> new TaskEvent.TaskProgressed(h, run, task(d.object("task")));
            case TASK_COMPLETED -> new TaskEvent.TaskCompleted(h, run, task(d.object("task")));
            case TASK_FAILED -> new TaskEvent.TaskFailed(h, run, task(d.object("task")));
            case TASK_PAUSED -> new TaskEvent.TaskPaused(h, run, task(d.object("task")));
            case TASK_RESUMED -> new TaskEvent.TaskResumed(h, run, task(d.object("task")));
            case TASK_CANCELLED -> new TaskEvent.TaskCancelled(h, run, task(d.object("task")));
            case TASK_SKIPPED -> new TaskEvent.TaskSkipped(h, run, task(d.object("task")));
            case TASK_USAGE -> new TaskEvent.TaskUsageRecorded(h, run, task(d.object("task")));
            case ALERT_RAISED -> new AlertEvent.AlertRaised(h, run, alert(d.object("alert")));
            case ALERT_CLEARED -> new AlertEvent.AlertCleared(h, run, alert(d.object("alert")));
        };
    }

    private static EventHeader header(JsonObject d) {
        long sequence = d.integer("sequence");
        if (sequence < 1) {
            throw new TrackerEventException(
                    "field '" + d.pathOf("sequence") + "' must be at least 1, was " + sequence,
                    d.pathOf("sequence"),
                    null);
        }
        JsonObject delivery = d.optionalObject("delivery");
        return new EventHeader(
                d.text("schemaVersion"),
                d.uuid("eventId"),
                d.text("runId"),
                sequence,
                d.instant("time"),
                d.optionalText("clusterName"),
                d.optionalText("planId"),
                d.flag("truncated"),
                delivery == null
                        ? null
                        : new Delivery(
                                delivery.integer("previous"),
                                delivery.optionalText("previousType"),
                                delivery.integer("superseded")));
    }

    private static Run run(JsonObject r) {
        JsonObject eta = r.optionalObject("eta");
        return new Run(
                RunStatus.fromWire(r.text("status")),
                r.optionalText("phase"),
                r.number("percent"),
                eta == null ? null : eta(eta),
                r.optionalInstant("startedAt"),
                r.optionalInstant("finishedAt"));
    }

    private static Eta eta(JsonObject e) {
        JsonObject f = e.optionalObject("factors");
        EtaFactors factors = f == null
                ? null
                : new EtaFactors(
                        f.number("currentThroughput"),
                        f.number("averageThroughput"),
                        f.number("rateLimitImpact"),
                        f.number("complexityFactor"),
                        f.optionalNumber("historicalAccuracy"));
        return new Eta(
                e.integer("seconds"),
                e.integer("low"),
                e.integer("high"),
                e.number("confidence"),
                e.text("method"),
                e.optionalInstant("estimatedCompletion"),
                factors);
    }

    private Task task(JsonObject t) {
        String stage = t.optionalText("stage");
        JsonObject u = t.optionalObject("usage");
        long attempt = t.integer("attempt");
        if (attempt < 0 || attempt > Integer.MAX_VALUE) {
            throw new TrackerEventException(
                    "field '" + t.pathOf("attempt") + "' must be between 0 and " + Integer.MAX_VALUE + ", was "
                            + attempt,
                    t.pathOf("attempt"),
                    null);
        }
        return new Task(
                t.text("taskId"),
                t.text("name"),
                t.text("type"),
                t.optionalText("parentTaskId"),
                t.number("weight"),
                TaskStatus.fromWire(t.text("status")),
                t.number("percent"),
                t.optionalText("message"),
                details(t),
                t.optionalInstant("startedAt"),
                t.optionalInstant("finishedAt"),
                (int) attempt,
                stage,
                stage == null ? null : t.optionalNumber("stageProgress"),
                u == null ? null : usage(u));
    }

    private static Usage usage(JsonObject u) {
        return new Usage(
                u.integer("apiCalls"),
                u.integer("apiCallsFailed"),
                u.integer("apiLatencyMs"),
                u.integer("rateLimitHits"),
                u.integer("rateLimitDelayMs"),
                u.integer("tokensIn"),
                u.integer("tokensOut"),
                u.number("cost"),
                u.optionalText("currency"),
                u.optionalNumber("quality"));
    }

    private static Alert alert(JsonObject a) {
        return new Alert(
                a.text("alertId"),
                a.text("rule"),
                Severity.fromWire(a.text("severity")),
                a.text("message"),
                a.optionalText("taskId"));
    }

    /** Free-form: any JSON object; the producer always sends one, a trimmed event an empty one. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> details(JsonObject t) {
        JsonObject details = t.optionalObject("details");
        return details == null ? Map.of() : mapper.convertValue(details.node(), Map.class);
    }

    private static Map<String, String> attributes(JsonObject d) {
        JsonObject a = d.optionalObject("attributes");
        if (a == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        a.node().fieldNames().forEachRemaining(name -> {
            JsonNode v = a.node().get(name);
            if (!v.isTextual()) {
                throw a.wrong(name, "a string", v);
            }
            out.put(name, v.textValue());
        });
        return out;
    }
}

package dev.progresstracker.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.AlertEvent;
import dev.progresstracker.core.event.EventHeader;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.RunEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireStreamReader.Fields;
import dev.progresstracker.core.json.WireStreamReader.Nested;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.progresstracker.core.json.WireStreamReader.enumValue;
import static dev.progresstracker.core.json.WireStreamReader.instant;
import static dev.progresstracker.core.json.WireStreamReader.nested;
import static dev.progresstracker.core.json.WireStreamReader.node;
import static dev.progresstracker.core.json.WireStreamReader.number;
import static dev.progresstracker.core.json.WireStreamReader.optText;
import static dev.progresstracker.core.json.WireStreamReader.text;
import static dev.progresstracker.core.json.WireStreamReader.value;

/**
 * The objects of the wire format as collected by {@link WireStreamReader}: each {@code build()}
 * mirrors the matching tree reader of {@link WireFormat} line by line (same checks, same order).
 */
final class WireFields {

    private WireFields() {
    }

    static final class EventFields extends Fields<ProgressEvent> {
        private boolean notAnObject;
        private Object type;
        private Object eventId;
        private Object sequence;
        private Object runId;
        private Object time;
        private Object clusterName;
        private Object planId;
        private Object message;
        private Object reason;
        private Object previousPhase;
        private com.fasterxml.jackson.databind.JsonNode delivery;
        private Map<String, String> attributes = Map.of();
        private Nested<RunView> run;
        private Nested<TaskView> task;
        private Nested<Alert> alert;

        static EventFields notAnObject() {
            EventFields f = new EventFields();
            f.notAnObject = true;
            return f;
        }

        @Override
        void field(String name, JsonToken t, JsonParser p) throws IOException {
            switch (name) {
                case "type" -> type = value(t, p);
                case "eventId" -> eventId = value(t, p);
                case "sequence" -> sequence = value(t, p);
                case "runId" -> runId = value(t, p);
                case "time" -> time = value(t, p);
                case "clusterName" -> clusterName = value(t, p);
                case "planId" -> planId = value(t, p);
                case "message" -> message = value(t, p);
                case "reason" -> reason = value(t, p);
                case "previousPhase" -> previousPhase = value(t, p);
                case "delivery" -> delivery = WireStreamReader.tree(t, p);
                case "attributes" -> attributes = WireStreamReader.stringMap(t, p);
                case "run" -> run = nested(t, p, RunFields::new);
                case "task" -> task = nested(t, p, TaskFields::new);
                case "alert" -> alert = nested(t, p, AlertFields::new);
                default -> p.skipChildren();
            }
        }

        @Override
        ProgressEvent build() {
            if (notAnObject) {
                throw new IllegalArgumentException("event must be a JSON object");
            }
            EventType eventType;
            try {
                eventType = EventType.fromWireName(text(type, "type", "event"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("event field 'type': " + e.getMessage(), e);
            }
            UUID id;
            try {
                id = UUID.fromString(text(eventId, "eventId", "event"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("event field 'eventId' is not a UUID: " + node(eventId), e);
            }
            if (!isLong(sequence)) {
                throw new IllegalArgumentException("event field 'sequence' must be an integer, got " + node(sequence));
            }
            EventHeader header = new EventHeader(id, text(runId, "runId", "event"), ((Number) sequence).longValue(),
                    instant(time, "time", "event", true), optText(clusterName), optText(planId),
                    WireFormat.readDelivery(delivery));
            RunView runView = object(run, "run").get();
            switch (eventType) {
                case UPGRADE_STARTED:
                    return new RunEvent.UpgradeStarted(header, runView, attributes);
                case UPGRADE_COMPLETED:
                    return new RunEvent.UpgradeCompleted(header, runView);
                case UPGRADE_FAILED:
                    return new RunEvent.UpgradeFailed(header, runView, optText(message));
                case UPGRADE_CANCELLED:
                    return new RunEvent.UpgradeCancelled(header, runView, optText(reason));
                case PHASE_CHANGED:
                    return new RunEvent.PhaseChanged(header, runView, optText(previousPhase));
                case ALERT_RAISED:
                    return new AlertEvent.AlertRaised(header, runView, object(alert, "alert").get());
                case ALERT_CLEARED:
                    return new AlertEvent.AlertCleared(header, runView, object(alert, "alert").get());
                default:
                    return TaskEvent.of(eventType, header, runView, object(task, "task").get());
            }
        }

        private static <T> Nested<T> object(Nested<T> v, String field) {
            if (v == null || !v.isObject()) {
                throw new IllegalArgumentException("event field '" + field + "' must be an object");
            }
            return v;
        }

        /** As {@code JsonNode.isIntegralNumber() && canConvertToLong()}. */
        private static boolean isLong(Object v) {
            return v instanceof Integer || v instanceof Long || (v instanceof BigInteger b && b.bitLength() <= 63);
        }
    }

    static final class TaskFields extends Fields<TaskView> {
        private Object taskId;
        private Object name;
        private Object type;
        private Object parentTaskId;
        private Object weight;
        private Object status;
        private Object percent;
        private Object message;
        private Map<String, Object> details;
        private Object startedAt;
        private Object finishedAt;
        private Object attempt;

        @Override
        void field(String f, JsonToken t, JsonParser p) throws IOException {
            switch (f) {
                case "taskId" -> taskId = value(t, p);
                case "name" -> name = value(t, p);
                case "type" -> type = value(t, p);
                case "parentTaskId" -> parentTaskId = value(t, p);
                case "weight" -> weight = value(t, p);
                case "status" -> status = value(t, p);
                case "percent" -> percent = value(t, p);
                case "message" -> message = value(t, p);
                case "details" -> details = WireStreamReader.rawDetails(t, p);
                case "startedAt" -> startedAt = value(t, p);
                case "finishedAt" -> finishedAt = value(t, p);
                case "attempt" -> attempt = value(t, p);
                default -> p.skipChildren();
            }
        }

        @Override
        TaskView build() {
            return new TaskView(
                    text(taskId, "taskId", "task"),
                    text(name, "name", "task"),
                    taskType(text(type, "type", "task")),
                    optText(parentTaskId),
                    number(weight, "weight", "task", 1.0),
                    enumValue(TaskStatus.class, text(status, "status", "task"), "task.status"),
                    number(percent, "percent", "task", 0.0),
                    optText(message),
                    details == null ? Map.of() : JsonValues.immutableCopy(details, "details"),
                    instant(startedAt, "startedAt", "task", false),
                    instant(finishedAt, "finishedAt", "task", false),
                    (int) number(attempt, "attempt", "task", 0));
        }
    }

    /** The built-in types as written ({@code TaskType.of} would upper-case and trim each one again). */
    private static final Map<String, TaskType> BUILT_IN_TYPES = Map.of(
            TaskType.UPGRADE_PLAN.name(), TaskType.UPGRADE_PLAN, TaskType.UPGRADE_STEP.name(), TaskType.UPGRADE_STEP,
            TaskType.VALIDATION.name(), TaskType.VALIDATION, TaskType.ROLLBACK.name(), TaskType.ROLLBACK,
            TaskType.CLEANUP.name(), TaskType.CLEANUP);

    static TaskType taskType(String name) {
        TaskType t = BUILT_IN_TYPES.get(name);
        return t != null ? t : TaskType.of(name);
    }

    static final class RunFields extends Fields<RunView> {
        private Object status;
        private Object phase;
        private Object percent;
        private Nested<Eta> eta;
        private Object startedAt;
        private Object finishedAt;

        @Override
        void field(String f, JsonToken t, JsonParser p) throws IOException {
            switch (f) {
                case "status" -> status = value(t, p);
                case "phase" -> phase = value(t, p);
                case "percent" -> percent = value(t, p);
                case "eta" -> eta = nested(t, p, EtaFields::new);
                case "startedAt" -> startedAt = value(t, p);
                case "finishedAt" -> finishedAt = value(t, p);
                default -> p.skipChildren();
            }
        }

        @Override
        RunView build() {
            return new RunView(
                    enumValue(RunStatus.class, text(status, "status", "run"), "run.status"),
                    optText(phase),
                    number(percent, "percent", "run", 0.0),
                    eta(eta),
                    instant(startedAt, "startedAt", "run", false),
                    instant(finishedAt, "finishedAt", "run", false));
        }
    }

    /** A tree reader reads a non-object ETA as one whose fields are all missing. */
    static Eta eta(Nested<Eta> eta) {
        if (eta == null) {
            return null;
        }
        return eta.isObject() ? eta.get() : new EtaFields().build();
    }

    static final class EtaFields extends Fields<Eta> {
        private Object seconds;
        private Object low;
        private Object high;
        private Object confidence;
        private Object method;

        @Override
        void field(String f, JsonToken t, JsonParser p) throws IOException {
            switch (f) {
                case "seconds" -> seconds = value(t, p);
                case "low" -> low = value(t, p);
                case "high" -> high = value(t, p);
                case "confidence" -> confidence = value(t, p);
                case "method" -> method = value(t, p);
                default -> p.skipChildren();
            }
        }

        @Override
        Eta build() {
            return new Eta((long) number(seconds, "seconds", "eta", Double.NaN),
                    (long) number(low, "low", "eta", Double.NaN), (long) number(high, "high", "eta", Double.NaN),
                    number(confidence, "confidence", "eta", Double.NaN), text(method, "method", "eta"));
        }
    }

    static final class AlertFields extends Fields<Alert> {
        private Object alertId;
        private Object rule;
        private Object severity;
        private Object message;
        private Object taskId;

        @Override
        void field(String f, JsonToken t, JsonParser p) throws IOException {
            switch (f) {
                case "alertId" -> alertId = value(t, p);
                case "rule" -> rule = value(t, p);
                case "severity" -> severity = value(t, p);
                case "message" -> message = value(t, p);
                case "taskId" -> taskId = value(t, p);
                default -> p.skipChildren();
            }
        }

        @Override
        Alert build() {
            return new Alert(text(alertId, "alertId", "alert"), text(rule, "rule", "alert"),
                    enumValue(Alert.Severity.class, text(severity, "severity", "alert"), "alert.severity"),
                    optText(message), optText(taskId));
        }
    }

    static final class RunInfoFields extends Fields<RunInfo> {
        private Object runId;
        private Object planId;
        private Object clusterName;
        private Map<String, String> attributes = Map.of();
        private Object status;
        private Object phase;
        private Object percent;
        private Nested<Eta> eta;
        private Object startedAt;
        private Object finishedAt;
        private Object lastSequence;
        private Object updatedAt;

        @Override
        void field(String f, JsonToken t, JsonParser p) throws IOException {
            switch (f) {
                case "runId" -> runId = value(t, p);
                case "planId" -> planId = value(t, p);
                case "clusterName" -> clusterName = value(t, p);
                case "attributes" -> attributes = WireStreamReader.stringMap(t, p);
                case "status" -> status = value(t, p);
                case "phase" -> phase = value(t, p);
                case "percent" -> percent = value(t, p);
                case "eta" -> eta = nested(t, p, EtaFields::new);
                case "startedAt" -> startedAt = value(t, p);
                case "finishedAt" -> finishedAt = value(t, p);
                case "lastSequence" -> lastSequence = value(t, p);
                case "updatedAt" -> updatedAt = value(t, p);
                default -> p.skipChildren();
            }
        }

        @Override
        RunInfo build() {
            return new RunInfo(text(runId, "runId", "run"), optText(planId), optText(clusterName), attributes,
                    enumValue(RunStatus.class, text(status, "status", "run"), "run.status"),
                    optText(phase), number(percent, "percent", "run", 0.0), eta(eta),
                    instant(startedAt, "startedAt", "run", false), instant(finishedAt, "finishedAt", "run", false),
                    (long) number(lastSequence, "lastSequence", "run", 0), instant(updatedAt, "updatedAt", "run", false));
        }
    }

    /**
     * {@code {"run":…,"tasks":[…],"alerts":[…]}}. Tasks are built as they stream by; the first bad
     * one is kept and raised after the run info is checked, as the tree reader orders it.
     */
    static final class RunStateFields extends Fields<RunState> {
        boolean notAnObject;
        private Nested<RunInfo> run;
        private List<TaskView> tasks = new ArrayList<>();
        private RuntimeException taskError;
        private List<Alert> alerts = new ArrayList<>();
        private RuntimeException alertError;

        @Override
        void field(String f, JsonToken t, JsonParser p) throws IOException {
            switch (f) {
                case "run" -> run = nested(t, p, RunInfoFields::new);
                case "tasks" -> {
                    tasks = new ArrayList<>();
                    taskError = null;
                    if (t == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            Fields<TaskView> task = WireStreamReader.object(p, TaskFields::new);
                            if (taskError == null) {
                                try {
                                    tasks.add(task.build());
                                } catch (RuntimeException e) {
                                    taskError = e;
                                }
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "alerts" -> {
                    alerts = new ArrayList<>();
                    alertError = null;
                    if (t == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            Fields<Alert> alert = WireStreamReader.object(p, AlertFields::new);
                            if (alertError == null) {
                                try {
                                    alerts.add(alert.build());
                                } catch (RuntimeException e) {
                                    alertError = e;
                                }
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }

        @Override
        RunState build() {
            if (notAnObject) {
                throw new IllegalArgumentException("run state must be a JSON object");
            }
            if (run == null || !run.isObject()) {
                throw new IllegalArgumentException("state field 'run' must be an object");
            }
            RunInfo info = run.get();
            if (taskError != null) {
                throw taskError;
            }
            if (alertError != null) {
                throw alertError;
            }
            return new RunState(info, tasks, alerts);
        }
    }
}

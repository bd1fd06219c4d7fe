package dev.progresstracker.core.json;

import static dev.progresstracker.core.json.WireStreamReader.enumValue;
import static dev.progresstracker.core.json.WireStreamReader.instant;
import static dev.progresstracker.core.json.WireStreamReader.integer;
import static dev.progresstracker.core.json.WireStreamReader.nested;
import static dev.progresstracker.core.json.WireStreamReader.number;
import static dev.progresstracker.core.json.WireStreamReader.optText;
import static dev.progresstracker.core.json.WireStreamReader.quote;
import static dev.progresstracker.core.json.WireStreamReader.text;
import static dev.progresstracker.core.json.WireStreamReader.value;

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
import dev.progresstracker.core.event.Delivery;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The objects of the wire format as {@link WireStreamReader} collects them: {@code field} keeps each
 * known field's raw value, {@code build()} checks them in a fixed order and makes the domain value.
 * A new wire field is one line in {@code field} and one in {@code build()} (plus the writer in
 * {@link WireFormat}).
 */
final class WireFields {

    private WireFields() {}

    static final class EventFields extends Fields<ProgressEvent> {
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
        private Nested<Delivery> delivery;
        private Map<String, String> attributes = Map.of();
        private Nested<RunView> run;
        private Nested<TaskView> task;
        private Nested<Alert> alert;

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
                case "delivery" -> delivery = nested(t, p, DeliveryFields::new);
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
            String typeName = text(type, "type", "event");
            EventType eventType;
            try {
                eventType = EventType.fromWireName(typeName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("event field 'type': " + e.getMessage(), e);
            }
            String idText = text(eventId, "eventId", "event");
            UUID id;
            try {
                id = UUID.fromString(idText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("event field 'eventId' is not a UUID: " + quote(eventId), e);
            }
            long seq = integer(sequence, "sequence", "event", null, 1, Long.MAX_VALUE);
            Delivery d = delivery(delivery);
            if (d != null && d.previous() >= seq) {
                throw new IllegalArgumentException(
                        "event field 'delivery.previous' must be below the event's sequence (" + seq + "), got "
                                + d.previous());
            }
            EventHeader header = new EventHeader(
                    id,
                    text(runId, "runId", "event"),
                    seq,
                    instant(time, "time", "event", true),
                    optText(clusterName),
                    optText(planId),
                    d);
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
                    return new AlertEvent.AlertRaised(
                            header, runView, object(alert, "alert").get());
                case ALERT_CLEARED:
                    return new AlertEvent.AlertCleared(
                            header, runView, object(alert, "alert").get());
                default:
                    return TaskEvent.of(
                            eventType, header, runView, object(task, "task").get());
            }
        }

        private static <T> Nested<T> object(Nested<T> v, String field) {
            if (v == null || !v.isObject()) {
                throw new IllegalArgumentException("event field '" + field + "' must be an object");
            }
            return v;
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
        private Object stage;
        private Object stageProgress;
        private Map<String, Object> usage;

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
                case "stage" -> stage = value(t, p);
                case "stageProgress" -> stageProgress = value(t, p);
                case "usage" -> usage = WireStreamReader.rawDetails(t, p);
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
                    (int) integer(attempt, "attempt", "task", 0L, 0, Integer.MAX_VALUE),
                    optText(stage),
                    number(stageProgress, "stageProgress", "task", 0.0),
                    MeasureJson.usage(usage));
        }
    }

    /** The built-in types as written ({@code TaskType.of} would upper-case and trim each one again). */
    private static final Map<String, TaskType> BUILT_IN_TYPES = Map.of(
            TaskType.UPGRADE_PLAN.name(),
            TaskType.UPGRADE_PLAN,
            TaskType.UPGRADE_STEP.name(),
            TaskType.UPGRADE_STEP,
            TaskType.VALIDATION.name(),
            TaskType.VALIDATION,
            TaskType.ROLLBACK.name(),
            TaskType.ROLLBACK,
            TaskType.CLEANUP.name(),
            TaskType.CLEANUP);

    static TaskType taskType(String name) {
        TaskType t = BUILT_IN_TYPES.get(name);
        if (t != null) {
            return t;
        }
        try {
            return TaskType.of(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task field 'type': " + e.getMessage(), e);
        }
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
        private Object estimatedCompletion;
        private Map<String, Object> factors;

        @Override
        void field(String f, JsonToken t, JsonParser p) throws IOException {
            switch (f) {
                case "seconds" -> seconds = value(t, p);
                case "low" -> low = value(t, p);
                case "high" -> high = value(t, p);
                case "confidence" -> confidence = value(t, p);
                case "method" -> method = value(t, p);
                case "estimatedCompletion" -> estimatedCompletion = value(t, p);
                case "factors" -> factors = WireStreamReader.rawDetails(t, p);
                default -> p.skipChildren();
            }
        }

        @Override
        Eta build() {
            long s = integer(seconds, "seconds", "eta", null, 0, Long.MAX_VALUE);
            long l = integer(low, "low", "eta", null, 0, Long.MAX_VALUE);
            long h = integer(high, "high", "eta", null, 0, Long.MAX_VALUE);
            double c = number(confidence, "confidence", "eta", Double.NaN);
            String m = text(method, "method", "eta");
            Eta eta;
            try {
                eta = new Eta(s, l, h, c, m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("run field 'eta' is not a valid ETA: " + e.getMessage(), e);
            }
            return MeasureJson.withMeasures(eta, estimatedCompletion, factors);
        }
    }

    /** An event's optional {@code delivery} stamp; null when absent. */
    private static Delivery delivery(Nested<Delivery> delivery) {
        if (delivery == null) {
            return null;
        }
        if (!delivery.isObject()) {
            throw new IllegalArgumentException(
                    "event field 'delivery' must be an object, got " + quote(delivery.other));
        }
        return delivery.get();
    }

    static final class DeliveryFields extends Fields<Delivery> {
        private Object previous;
        private Object previousType;
        private Object superseded;

        @Override
        void field(String f, JsonToken t, JsonParser p) throws IOException {
            switch (f) {
                case "previous" -> previous = value(t, p);
                case "previousType" -> previousType = value(t, p);
                case "superseded" -> superseded = value(t, p);
                default -> p.skipChildren();
            }
        }

        @Override
        Delivery build() {
            long prev = integer(previous, "delivery.previous", "event", null, 0, Long.MAX_VALUE);
            long sup = integer(superseded, "delivery.superseded", "event", 0L, 0, Long.MAX_VALUE);
            EventType type = null;
            if (previousType != null) {
                try {
                    type = EventType.fromWireName(text(previousType, "delivery.previousType", "event"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("event field 'delivery.previousType': " + e.getMessage(), e);
                }
            }
            try {
                return new Delivery(prev, type, sup);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("event field 'delivery' is not valid: " + e.getMessage(), e);
            }
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
            String id = text(alertId, "alertId", "alert");
            String r = text(rule, "rule", "alert");
            Alert.Severity sev = enumValue(Alert.Severity.class, text(severity, "severity", "alert"), "alert.severity");
            try {
                return new Alert(id, r, sev, optText(message), optText(taskId));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "alert field 'alertId' or 'rule' is not valid: " + e.getMessage(), e);
            }
        }
    }

    /** The {@code run} object of a run state: the event's run fields, plus identity, attributes and bookkeeping. */
    static final class RunInfoFields extends Fields<RunInfo> {
        private final RunFields view = new RunFields();
        private Object runId;
        private Object planId;
        private Object clusterName;
        private Map<String, String> attributes = Map.of();
        private Object lastSequence;
        private Object updatedAt;

        @Override
        void field(String f, JsonToken t, JsonParser p) throws IOException {
            switch (f) {
                case "runId" -> runId = value(t, p);
                case "planId" -> planId = value(t, p);
                case "clusterName" -> clusterName = value(t, p);
                case "attributes" -> attributes = WireStreamReader.stringMap(t, p);
                case "lastSequence" -> lastSequence = value(t, p);
                case "updatedAt" -> updatedAt = value(t, p);
                default -> view.field(f, t, p);
            }
        }

        @Override
        RunInfo build() {
            String id = text(runId, "runId", "run");
            RunView r = view.build();
            return new RunInfo(
                    id,
                    optText(planId),
                    optText(clusterName),
                    attributes,
                    r.status(),
                    r.phase(),
                    r.percent(),
                    r.eta(),
                    r.startedAt(),
                    r.finishedAt(),
                    integer(lastSequence, "lastSequence", "run", 0L, 0, Long.MAX_VALUE),
                    instant(updatedAt, "updatedAt", "run", false));
        }
    }

    /**
     * {@code {"run":…,"tasks":[…],"alerts":[…]}}. Tasks are built as they stream by (no list of raw
     * fields for a million tasks); the first bad one is kept and raised after the run info is checked.
     */
    static final class RunStateFields extends Fields<RunState> {
        private Nested<RunInfo> run;
        private Built<TaskView> tasks = new Built<>();
        private Built<Alert> alerts = new Built<>();

        @Override
        void field(String f, JsonToken t, JsonParser p) throws IOException {
            switch (f) {
                case "run" -> run = nested(t, p, RunInfoFields::new);
                case "tasks" -> tasks = array(t, p, TaskFields::new);
                case "alerts" -> alerts = array(t, p, AlertFields::new);
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
            return new RunState(info, tasks.get(), alerts.get());
        }
    }

    /** The objects of an array, built as they stream by; the first failure is kept for {@link #get()}. */
    private static final class Built<T> {
        private final List<T> values = new ArrayList<>();
        private RuntimeException error;

        List<T> get() {
            if (error != null) {
                throw error;
            }
            return values;
        }
    }

    /** Reads an array of objects (a non-array reads as empty); each element is built as it streams by. */
    private static <T> Built<T> array(JsonToken t, JsonParser p, WireStreamReader.FieldsFactory<T> factory)
            throws IOException {
        Built<T> out = new Built<>();
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return out;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Fields<T> element = WireStreamReader.object(p, factory);
            if (out.error == null) {
                try {
                    out.values.add(element.build());
                } catch (RuntimeException e) {
                    out.error = e;
                }
            }
        }
        return out;
    }
}

package dev.progresstracker.core.json;

import static dev.progresstracker.core.json.WireStreamReader.enumValue;
import static dev.progresstracker.core.json.WireStreamReader.instant;
import static dev.progresstracker.core.json.WireStreamReader.integer;
import static dev.progresstracker.core.json.WireStreamReader.nested;
import static dev.progresstracker.core.json.WireStreamReader.optText;
import static dev.progresstracker.core.json.WireStreamReader.quote;
import static dev.progresstracker.core.json.WireStreamReader.text;
import static dev.progresstracker.core.json.WireStreamReader.value;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.RunView;
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
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * The event envelope as {@link WireStreamReader} collects it: the event's own fields, its
 * {@code delivery} stamp and its {@code alert}. {@code field} keeps each known field's raw value,
 * {@code build()} checks them in a fixed order and makes the domain value. A new wire field is one
 * line in {@code field} and one in {@code build()} (plus the writer in {@link WireFormat}). The
 * nested task, run and ETA objects are in {@link ViewFields}; the run state in {@link StateFields}.
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
                case "run" -> run = nested(t, p, ViewFields.RunFields::new);
                case "task" -> task = nested(t, p, ViewFields.TaskFields::new);
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
}

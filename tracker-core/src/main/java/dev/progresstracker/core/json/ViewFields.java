package dev.progresstracker.core.json;

import static dev.progresstracker.core.json.WireStreamReader.enumValue;
import static dev.progresstracker.core.json.WireStreamReader.instant;
import static dev.progresstracker.core.json.WireStreamReader.integer;
import static dev.progresstracker.core.json.WireStreamReader.nested;
import static dev.progresstracker.core.json.WireStreamReader.number;
import static dev.progresstracker.core.json.WireStreamReader.optText;
import static dev.progresstracker.core.json.WireStreamReader.text;
import static dev.progresstracker.core.json.WireStreamReader.value;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.json.WireStreamReader.Fields;
import dev.progresstracker.core.json.WireStreamReader.Nested;
import java.io.IOException;
import java.util.Map;

/**
 * The task, run and ETA objects of the wire format as {@link WireStreamReader} collects them, the
 * views an event carries; collected and built as {@link WireFields} describes.
 */
final class ViewFields {

    private ViewFields() {}

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
}

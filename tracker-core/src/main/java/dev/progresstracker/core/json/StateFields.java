package dev.progresstracker.core.json;

import static dev.progresstracker.core.json.WireStreamReader.instant;
import static dev.progresstracker.core.json.WireStreamReader.integer;
import static dev.progresstracker.core.json.WireStreamReader.nested;
import static dev.progresstracker.core.json.WireStreamReader.optText;
import static dev.progresstracker.core.json.WireStreamReader.text;
import static dev.progresstracker.core.json.WireStreamReader.value;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.json.WireStreamReader.Fields;
import dev.progresstracker.core.json.WireStreamReader.Nested;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole run state ({@code {"run":…,"tasks":[…],"alerts":[…]}}) as {@link WireStreamReader}
 * collects it; collected and built as {@link WireFields} describes.
 */
final class StateFields {

    private StateFields() {}

    /** The {@code run} object of a run state: the event's run fields, plus identity, attributes and bookkeeping. */
    static final class RunInfoFields extends Fields<RunInfo> {
        private final ViewFields.RunFields view = new ViewFields.RunFields();
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
                case "tasks" -> tasks = array(t, p, ViewFields.TaskFields::new);
                case "alerts" -> alerts = array(t, p, WireFields.AlertFields::new);
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

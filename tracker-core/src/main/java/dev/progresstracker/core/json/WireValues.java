package dev.progresstracker.core.json;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.events.DetailType;
import dev.progresstracker.events.Severity;
import java.util.EnumMap;
import java.util.Map;

/**
 * Core's enumerated values as the consumer library (tracker-events) defines them on the wire, in one
 * place: the writer takes every status, severity and detail-type name from here, so a value core adds
 * without a tracker-events counterpart fails when this class loads (and {@code WireValuesTest} fails
 * the other way round). Core keeps its own enums rather than using the library's so that the ~170
 * files that import them stay as they are, and so that the library's {@code UNKNOWN} constants (for
 * values a newer producer sends) never enter the state machine. Stateless and thread-safe.
 */
public final class WireValues {

    private static final Map<RunStatus, dev.progresstracker.events.RunStatus> RUN =
            map(RunStatus.class, dev.progresstracker.events.RunStatus.class);
    private static final Map<TaskStatus, dev.progresstracker.events.TaskStatus> TASK =
            map(TaskStatus.class, dev.progresstracker.events.TaskStatus.class);
    private static final Map<Alert.Severity, Severity> SEVERITY = map(Alert.Severity.class, Severity.class);

    private WireValues() {}

    public static DetailType of(EventType type) {
        return type.detailType();
    }

    public static dev.progresstracker.events.RunStatus of(RunStatus status) {
        return RUN.get(status);
    }

    public static dev.progresstracker.events.TaskStatus of(TaskStatus status) {
        return TASK.get(status);
    }

    public static Severity of(Alert.Severity severity) {
        return SEVERITY.get(severity);
    }

    /** The library's constant for a task type: {@code CUSTOM} for an agent's own type. */
    public static dev.progresstracker.events.TaskType of(TaskType type) {
        return dev.progresstracker.events.TaskType.fromWire(type.name());
    }

    /** Each constant of {@code from} mapped to the constant of the same name in {@code to}; fails on one missing. */
    private static <A extends Enum<A>, B extends Enum<B>> Map<A, B> map(Class<A> from, Class<B> to) {
        Map<A, B> m = new EnumMap<>(from);
        for (A a : from.getEnumConstants()) {
            try {
                m.put(a, Enum.valueOf(to, a.name()));
            } catch (IllegalArgumentException e) {
                throw new ExceptionInInitializerError(from.getName() + "." + a.name() + " has no counterpart in "
                        + to.getName() + ": add it to tracker-events first (it is the wire contract)");
            }
        }
        return m;
    }
}

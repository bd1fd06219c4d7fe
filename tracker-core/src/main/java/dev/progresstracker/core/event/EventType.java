package dev.progresstracker.core.event;

import java.util.HashMap;
import java.util.Map;

/**
 * Every event type with its wire name (the EventBridge {@code DetailType}). The first seven names
 * are those of the system this replaces and never change.
 */
public enum EventType {
    UPGRADE_STARTED("upgrade.started"),
    UPGRADE_COMPLETED("upgrade.completed"),
    UPGRADE_FAILED("upgrade.failed"),
    PHASE_CHANGED("upgrade.phase_changed"),
    TASK_STARTED("task.started"),
    TASK_COMPLETED("task.completed"),
    TASK_FAILED("task.failed"),
    TASK_ADDED("task.added"),
    TASK_PROGRESS("task.progress"),
    TASK_PAUSED("task.paused"),
    TASK_RESUMED("task.resumed"),
    TASK_CANCELLED("task.cancelled"),
    TASK_SKIPPED("task.skipped"),
    UPGRADE_CANCELLED("upgrade.cancelled"),
    ALERT_RAISED("alert.raised"),
    ALERT_CLEARED("alert.cleared"),
    /** Usage (calls, rate limits, tokens, cost, quality) recorded for a task; carries the task's totals. */
    TASK_USAGE("task.usage");

    private static final Map<String, EventType> BY_WIRE_NAME = new HashMap<>();

    static {
        for (EventType t : values()) {
            BY_WIRE_NAME.put(t.wireName, t);
        }
    }

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire, e.g. {@code task.progress}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether this is a lifecycle event: everything but {@code task.progress} and {@code task.usage}.
     * Lifecycle events are never conflated or dropped by any sink queue; the other two carry the
     * task's whole state (percent, stage, usage totals), so a newer one of either for the same task
     * replaces an older one without losing anything but the intermediate values.
     */
    public boolean isLifecycle() {
        return this != TASK_PROGRESS && this != TASK_USAGE;
    }

    /** The type with this wire name; {@link IllegalArgumentException} naming it if unknown. */
    public static EventType fromWireName(String wireName) {
        EventType t = BY_WIRE_NAME.get(wireName);
        if (t == null) {
            throw new IllegalArgumentException("unknown event type '" + wireName + "'");
        }
        return t;
    }

    @Override
    public String toString() {
        return wireName;
    }
}

package dev.progresstracker.core.event;

import dev.progresstracker.events.DetailType;
import java.util.HashMap;
import java.util.Map;

/**
 * Every event type with its wire name (the EventBridge {@code DetailType}). The first seven names
 * are those of the system this replaces and never change. Each type is one of tracker-events'
 * {@link DetailType}s, which owns the name, so the producer and the consumer library cannot drift.
 */
public enum EventType {
    UPGRADE_STARTED(DetailType.UPGRADE_STARTED),
    UPGRADE_COMPLETED(DetailType.UPGRADE_COMPLETED),
    UPGRADE_FAILED(DetailType.UPGRADE_FAILED),
    PHASE_CHANGED(DetailType.PHASE_CHANGED),
    TASK_STARTED(DetailType.TASK_STARTED),
    TASK_COMPLETED(DetailType.TASK_COMPLETED),
    TASK_FAILED(DetailType.TASK_FAILED),
    TASK_ADDED(DetailType.TASK_ADDED),
    TASK_PROGRESS(DetailType.TASK_PROGRESS),
    TASK_PAUSED(DetailType.TASK_PAUSED),
    TASK_RESUMED(DetailType.TASK_RESUMED),
    TASK_CANCELLED(DetailType.TASK_CANCELLED),
    TASK_SKIPPED(DetailType.TASK_SKIPPED),
    UPGRADE_CANCELLED(DetailType.UPGRADE_CANCELLED),
    ALERT_RAISED(DetailType.ALERT_RAISED),
    ALERT_CLEARED(DetailType.ALERT_CLEARED),
    /** Usage (calls, rate limits, tokens, cost, quality) recorded for a task; carries the task's totals. */
    TASK_USAGE(DetailType.TASK_USAGE);

    private static final Map<String, EventType> BY_WIRE_NAME = new HashMap<>();

    static {
        for (EventType t : values()) {
            BY_WIRE_NAME.put(t.wireName, t);
        }
    }

    private final DetailType detailType;
    private final String wireName;

    EventType(DetailType detailType) {
        this.detailType = detailType;
        this.wireName = detailType.wireName();
    }

    /** The consumer library's constant for this type (tracker-events). */
    public DetailType detailType() {
        return detailType;
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

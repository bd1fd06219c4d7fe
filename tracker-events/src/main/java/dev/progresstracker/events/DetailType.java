package dev.progresstracker.events;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every detail-type the tracker publishes, with its wire name (the EventBridge {@code detail-type} and
 * the detail's {@code type}). The first seven are those of the original tracker and never change; they
 * also carry the original's snake_case fields ({@link #originalFields()}) unless the producer switched
 * them off. A detail-type this version does not know is not a constant here: {@link TrackerEvents} reads
 * it as an {@link UnknownEvent}.
 */
public enum DetailType {
    UPGRADE_STARTED("upgrade.started", List.of("upgrade_id", "cluster_name", "phase")),
    UPGRADE_COMPLETED("upgrade.completed", List.of("upgrade_id", "cluster_name", "duration")),
    UPGRADE_FAILED("upgrade.failed", List.of("upgrade_id", "cluster_name", "error_message")),
    PHASE_CHANGED("upgrade.phase_changed", List.of("upgrade_id", "cluster_name", "phase")),
    TASK_STARTED("task.started", List.of("upgrade_id", "cluster_name", "task_id", "task_name")),
    TASK_COMPLETED("task.completed", List.of("upgrade_id", "cluster_name", "task_id", "task_name", "duration")),
    TASK_FAILED("task.failed", List.of("upgrade_id", "cluster_name", "task_id", "task_name", "error_message")),
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

    private static final Map<String, DetailType> BY_WIRE_NAME = new HashMap<>();

    static {
        for (DetailType t : values()) {
            BY_WIRE_NAME.put(t.wireName, t);
        }
    }

    private final String wireName;
    private final List<String> originalFields;

    DetailType(String wireName) {
        this(wireName, List.of());
    }

    DetailType(String wireName, List<String> originalFields) {
        this.wireName = wireName;
        this.originalFields = originalFields;
    }

    /** The name on the wire, e.g. {@code task.failed}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The original tracker's snake_case detail fields this type carries on EventBridge, in the original's
     * order (empty for the ten types the original did not publish). Readers ignore them: each repeats a
     * camelCase field (docs/events.md, "Migrating rules from the original tracker").
     */
    public List<String> originalFields() {
        return originalFields;
    }

    /** Whether the original tracker published this type (the first seven). */
    public boolean isOriginal() {
        return !originalFields.isEmpty();
    }

    /** The type with this wire name, or empty for one this version does not know (or null). */
    public static Optional<DetailType> find(String wireName) {
        return Optional.ofNullable(wireName == null ? null : BY_WIRE_NAME.get(wireName));
    }

    @Override
    public String toString() {
        return wireName;
    }
}

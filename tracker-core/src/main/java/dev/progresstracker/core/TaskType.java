package dev.progresstracker.core;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Kind of task. The well-known kinds of an EKS upgrade are constants; any other upper-case
 * identifier ({@code [A-Z][A-Z0-9_]{0,63}}) is accepted as a custom type via {@link #of(String)}.
 */
public record TaskType(String name) {

    private static final Pattern VALID = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    public static final TaskType UPGRADE_PLAN = new TaskType("UPGRADE_PLAN");
    public static final TaskType UPGRADE_STEP = new TaskType("UPGRADE_STEP");
    public static final TaskType VALIDATION = new TaskType("VALIDATION");
    public static final TaskType ROLLBACK = new TaskType("ROLLBACK");
    public static final TaskType CLEANUP = new TaskType("CLEANUP");

    public TaskType {
        Objects.requireNonNull(name, "task type name must not be null");
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "task type '" + name + "' is not valid: use an upper-case identifier matching " + VALID.pattern());
        }
    }

    /** Returns the type named {@code name}; lower case is accepted and upper-cased. */
    public static TaskType of(String name) {
        Objects.requireNonNull(name, "task type name must not be null");
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "UPGRADE_PLAN" -> UPGRADE_PLAN;
            case "UPGRADE_STEP" -> UPGRADE_STEP;
            case "VALIDATION" -> VALIDATION;
            case "ROLLBACK" -> ROLLBACK;
            case "CLEANUP" -> CLEANUP;
            default -> new TaskType(upper);
        };
    }

    @Override
    public String toString() {
        return name;
    }
}

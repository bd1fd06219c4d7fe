package dev.progresstracker.events;

/**
 * Kind of task ({@code task.type}): the built-in kinds of an EKS upgrade, whose wire value is the
 * constant's name, and {@link #CUSTOM} for any other type an agent declared (upper-case identifiers,
 * {@code [A-Z][A-Z0-9_]{0,63}}) or a newer producer added. The wire text is always at hand as
 * {@link Task#typeName()}.
 */
public enum TaskType {
    UPGRADE_PLAN,
    UPGRADE_STEP,
    VALIDATION,
    ROLLBACK,
    CLEANUP,
    /** Not a wire value: a type that is none of the above; see {@link Task#typeName()}. */
    CUSTOM;

    /** The constant for wire value {@code value}; {@link #CUSTOM} for any other text. */
    public static TaskType fromWire(String value) {
        return WireEnums.lookup(TaskType.class, value, CUSTOM);
    }
}

package dev.progresstracker.events;

/**
 * The input is not an event {@link TrackerEvents} can read: not JSON, not an object, a required field
 * missing or of the wrong kind. The message names what was wrong (and the field, as a dotted path such
 * as {@code detail.task.status}); {@link #field()} holds the path alone.
 */
public final class TrackerEventException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public TrackerEventException(String message, String field, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** The dotted path of the offending field, or null when the input as a whole is wrong (not JSON, empty). */
    public String field() {
        return field;
    }
}

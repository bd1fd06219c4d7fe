package dev.progresstracker.events;

import java.util.Objects;

/**
 * An event of a detail-type this version does not know (a newer producer's): its header and run are
 * read as for every type (schema 1.x gives every type them), the rest is left in {@code detailJson}.
 * A consumer that does not care ignores it; one that does reads {@code detailJson} itself.
 *
 * @param detailType the wire name, e.g. {@code task.retried}
 * @param detailJson the whole detail as JSON text
 */
public record UnknownEvent(String detailType, EventHeader header, Run run, String detailJson) implements TrackerEvent {

    public UnknownEvent {
        Objects.requireNonNull(detailType, "detailType");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(detailJson, "detailJson");
    }
}

package dev.progresstracker.events;

import java.util.Optional;

/**
 * The {@code delivery} stamp (docs/events.md, "Coalescing is not loss"): between {@code previous} and
 * the event's own sequence the delivering path skipped only {@code task.progress}/{@code task.usage}
 * events that a later one of the same task replaced.
 *
 * @param previous     sequence of the event of the same run the path delivered just before this one; 0 for its first
 * @param previousType wire name of that event's type, or null when not known (first event, resume point)
 * @param superseded   {@code task.progress}/{@code task.usage} only: earlier such events of the task this one replaces
 */
public record Delivery(long previous, String previousType, long superseded) {

    /** {@link #previousType()} as a constant; empty when absent or of a type this version does not know. */
    public Optional<DetailType> previousDetailType() {
        return DetailType.find(previousType);
    }
}

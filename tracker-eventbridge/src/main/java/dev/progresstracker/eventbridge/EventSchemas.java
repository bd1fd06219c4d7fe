package dev.progresstracker.eventbridge;

import dev.progresstracker.core.event.EventType;

/**
 * The JSON Schema (draft-04, the dialect the EventBridge Schema Registry imports) of the
 * {@code Detail} of every detail type. They ship in tracker-events (a dependency of this module), so
 * consumers get them with the event model from one jar: this class reads them from there for callers
 * that hold a core {@link EventType}; {@link dev.progresstracker.events.EventSchemas} is the same for a
 * {@link dev.progresstracker.events.DetailType}.
 */
public final class EventSchemas {

    private EventSchemas() {}

    /** Class-path resource name of the schema of {@code type} ({@code dev/progresstracker/events/schemas/<type>.json}). */
    public static String resourceName(EventType type) {
        return dev.progresstracker.events.EventSchemas.resourceName(type.detailType());
    }

    /** The schema of {@code type} as JSON text. */
    public static String schema(EventType type) {
        return dev.progresstracker.events.EventSchemas.schema(type.detailType());
    }
}

package dev.progresstracker.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema (draft-04, the dialect the EventBridge Schema Registry imports) of the detail of
 * every detail-type, shipped in this jar as {@code dev/progresstracker/events/schemas/<detail-type>.json}.
 * They allow unknown fields, like {@link TrackerEvents}. Thread-safe.
 */
public final class EventSchemas {

    private EventSchemas() {}

    /** Class-path resource name of the schema of {@code type}. */
    public static String resourceName(DetailType type) {
        return "dev/progresstracker/events/schemas/" + type.wireName() + ".json";
    }

    /** The schema of {@code type} as JSON text. */
    public static String schema(DetailType type) {
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resourceName(type))) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + resourceName(type) + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

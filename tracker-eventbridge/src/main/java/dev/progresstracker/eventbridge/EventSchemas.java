package dev.progresstracker.eventbridge;

import dev.progresstracker.core.event.EventType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema (draft-04, the dialect the EventBridge Schema Registry imports) of the
 * {@code Detail} of every detail type, shipped as {@code dev/progresstracker/eventbridge/schemas/<type>.json}.
 */
public final class EventSchemas {

    private EventSchemas() {
    }

    /** Class-path resource name of the schema of {@code type}. */
    public static String resourceName(EventType type) {
        return "dev/progresstracker/eventbridge/schemas/" + type.wireName() + ".json";
    }

    /** The schema of {@code type} as JSON text. */
    public static String schema(EventType type) {
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

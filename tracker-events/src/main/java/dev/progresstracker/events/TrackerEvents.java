package dev.progresstracker.events;

import dev.progresstracker.events.internal.EventReading;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads the events the tracker publishes on EventBridge into {@link TrackerEvent} records.
 *
 * <p>Input: an EventBridge envelope as a rule target receives it (a Lambda's event, an SQS message's
 * body; recognised by its {@code detail-type} field), or a bare detail (an input transformer's
 * {@code <detail>}; its own {@code type} names the detail-type). What is tolerated and what is not:
 * <ul>
 *   <li>unknown fields anywhere are ignored (schema 1.x minor versions only add fields);</li>
 *   <li>an unknown detail-type is read as an {@link UnknownEvent} (its header and run read as usual), not
 *       an error, so a consumer built against this version keeps working when the producer adds a type;</li>
 *   <li>an unknown enumerated value reads as {@link RunStatus#UNKNOWN}, {@link TaskStatus#UNKNOWN},
 *       {@link Severity#UNKNOWN} or {@link TaskType#CUSTOM} (whose text stays in {@link Task#typeName()});</li>
 *   <li>not JSON, trailing text, not an object, a required field missing or of the wrong kind, a
 *       detail-type that contradicts the detail's {@code type}: a {@link TrackerEventException} naming
 *       what was wrong and the field's dotted path.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe: call it from any number of threads. Streams are read to the end of the
 * JSON value and not closed.
 */
public final class TrackerEvents {

    private TrackerEvents() {}

    /** The event in an envelope or a bare detail. */
    public static TrackerEvent read(String json) {
        return EventReading.event(EventReading.parse(json), null);
    }

    /** {@link #read(String)} of UTF-8 bytes. */
    public static TrackerEvent read(byte[] json) {
        return EventReading.event(EventReading.parse(json), null);
    }

    /** {@link #read(String)} of a UTF-8 stream. */
    public static TrackerEvent read(InputStream json) {
        return EventReading.event(EventReading.parse(json), null);
    }

    /**
     * A detail whose detail-type the caller got separately (an SQS message attribute, a log line);
     * an envelope is accepted too. Fails when {@code detailType} contradicts the JSON's.
     */
    public static TrackerEvent read(String detailType, String json) {
        Objects.requireNonNull(detailType, "detailType");
        return EventReading.event(EventReading.parse(json), detailType);
    }

    /** The envelope with its detail; a bare detail is an error (it has no envelope fields). */
    public static Envelope readEnvelope(String json) {
        return EventReading.envelope(EventReading.parse(json));
    }

    /** {@link #readEnvelope(String)} of UTF-8 bytes. */
    public static Envelope readEnvelope(byte[] json) {
        return EventReading.envelope(EventReading.parse(json));
    }

    /** {@link #readEnvelope(String)} of a UTF-8 stream. */
    public static Envelope readEnvelope(InputStream json) {
        return EventReading.envelope(EventReading.parse(json));
    }
}

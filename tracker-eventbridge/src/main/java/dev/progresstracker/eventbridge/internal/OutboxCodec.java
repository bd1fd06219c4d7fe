package dev.progresstracker.eventbridge.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.json.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** The outbox record body: one JSON object per entry (the detail embedded as a string). */
final class OutboxCodec {

    private final EntryMapper mapper;

    OutboxCodec(EntryMapper mapper) {
        this.mapper = mapper;
    }

    byte[] encode(PendingEntry e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(e.detail().length() + 256);
        try (JsonGenerator g = WireFormat.writer().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("runId", e.runId);
            g.writeNumberField("sequence", e.sequence);
            g.writeStringField("eventId", e.eventId());
            g.writeStringField("detailType", e.detailType);
            g.writeStringField("time", e.time.toString());
            if (e.taskId != null) {
                g.writeStringField("taskId", e.taskId);
            }
            g.writeNumberField("arrival", e.arrivalMillis);
            if (e.truncated()) {
                g.writeBooleanField("truncated", true);
            }
            g.writeStringField("detail", e.detail());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** Decodes a record; {@link IllegalArgumentException} naming the problem if it is not one. */
    PendingEntry decode(byte[] body) {
        JsonNode n;
        try {
            n = WireFormat.reader().readTree(body);
        } catch (IOException ex) {
            throw new IllegalArgumentException("outbox record is not JSON: " + ex.getMessage(), ex);
        }
        return mapper.restore(
                text(n, "runId"),
                n.path("sequence").asLong(),
                text(n, "eventId"),
                text(n, "detailType"),
                text(n, "detail"),
                Instant.parse(text(n, "time")),
                n.hasNonNull("taskId") ? n.get("taskId").asText() : null,
                n.path("arrival").asLong(),
                n.path("truncated").asBoolean(false));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("outbox record has no text field '" + field + "'");
        }
        return v.asText();
    }
}

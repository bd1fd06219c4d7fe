package dev.progresstracker.eventbridge.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.progresstracker.core.json.WireFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entries EventBridge will not take (validation, access denied, too large, retries exhausted):
 * one JSON line each in {@code dead-letter.jsonl} with the reason, so nothing vanishes silently.
 * The publisher logs each cause once at ERROR with its remedy; this class logs each distinct error
 * code once at WARN. Not thread-safe: only the publisher's scheduler thread writes (outside its lock).
 */
final class DeadLetters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_LOGGED_CODES = 64;

    private final Path file;
    private final String eventBusName;
    private final String source;
    private final Set<String> loggedCodes = new HashSet<>();
    private FileChannel channel;
    private long count;

    DeadLetters(Path file, String eventBusName, String source) {
        this.file = file;
        this.eventBusName = eventBusName;
        this.source = source;
    }

    void write(PendingEntry e, String code, String message, long nowMillis) {
        count++;
        if (loggedCodes.size() < MAX_LOGGED_CODES && loggedCodes.add(code)) {
            LOG.warn(
                    "EventBridge entry {} dead-lettered with {} ({}); it and later ones with the same code go to {}",
                    e,
                    code,
                    message,
                    file);
        }
        StringWriter out = new StringWriter(e.detail().length() + 256);
        try (JsonGenerator g = WireFormat.writer().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("deadLetteredAt", Instant.ofEpochMilli(nowMillis).toString());
            g.writeStringField("errorCode", code);
            g.writeStringField("errorMessage", message == null ? "" : message);
            g.writeNumberField("attempts", e.attempts);
            g.writeStringField("eventBusName", eventBusName);
            g.writeStringField("source", source);
            g.writeStringField("detailType", e.detailType);
            g.writeStringField("runId", e.runId);
            g.writeNumberField("sequence", e.sequence);
            g.writeStringField("eventId", e.eventId());
            g.writeStringField("detail", e.detail());
            g.writeEndObject();
        } catch (IOException ex) {
            LOG.error("could not encode dead letter for {}", e, ex);
            return;
        }
        out.write('\n');
        try {
            if (channel == null) {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            ByteBuffer b = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(false);
        } catch (IOException ex) {
            LOG.error("could not write dead letter for {} to {}: {}", e, file, ex.toString());
        }
    }

    long count() {
        return count;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}

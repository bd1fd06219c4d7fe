package dev.progresstracker.storage.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.journal.JournalFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The run marker {@code run.json}: says that a directory is a run, and names the highest sequence the run
 * is known to have stored durably ({@code highWaterSequence}). Recovery refuses to load fewer events than
 * that unless the caller accepts the loss, which is then recorded here ({@code lossAccepted}).
 *
 * <p>Format: one JSON object {@code {"format":1,"runId":…,"highWaterSequence":N,"updatedAt":…,
 * ["lossAccepted":{"from":…,"to":…,"at":…}],"crc32c":C}} where C is the CRC32C of the same object
 * without the {@code crc32c} field (as written). Written to a temp file, fsynced, renamed atomically,
 * directory fsynced: a crash leaves the old or the new marker, never a torn one.
 */
public record RunMarker(String runId, long highWaterSequence, Instant updatedAt, LossAccepted lossAccepted) {

    public static final String FILE = "run.json";
    private static final String TEMP = FILE + ".tmp";
    private static final String CRC_FIELD = ",\"crc32c\":";
    private static final int MAX_BYTES = 64 * 1024;

    /** A loss a caller accepted: sequences {@code from..to} were evidenced but could not be restored. */
    public record LossAccepted(long from, long to, Instant at) {}

    /** Thrown when {@code run.json} exists but cannot be trusted. */
    public static final class DamagedException extends IOException {
        private static final long serialVersionUID = 1L;

        public DamagedException(String message) {
            super(message);
        }
    }

    /** The marker in {@code dir}; empty if there is none. */
    public static Optional<RunMarker> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > MAX_BYTES) {
                throw new DamagedException(
                        "run marker " + file + " is " + ch.size() + " bytes, at most " + MAX_BYTES + " expected");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read all
            }
            bytes = buf.array();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        int at = text.lastIndexOf(CRC_FIELD);
        if (at < 0 || !text.endsWith("}")) {
            throw new DamagedException(
                    "run marker " + file + " has no checksum (damaged or not written by this store)");
        }
        String body = text.substring(0, at) + "}";
        long crc;
        try {
            crc = Long.parseLong(text.substring(at + CRC_FIELD.length(), text.length() - 1));
        } catch (NumberFormatException e) {
            throw new DamagedException("run marker " + file + " has a damaged checksum");
        }
        if (crc(body) != crc) {
            throw new DamagedException("run marker " + file + " fails its CRC32C check");
        }
        try {
            JsonNode n = WireFormat.reader().readTree(body);
            long hw = n.path("highWaterSequence").asLong(-1);
            String runId = n.path("runId").asText(null);
            if (hw < 0 || runId == null) {
                throw new DamagedException("run marker " + file + " lacks runId or highWaterSequence");
            }
            LossAccepted loss = null;
            JsonNode l = n.get("lossAccepted");
            if (l != null && l.isObject()) {
                loss = new LossAccepted(
                        l.path("from").asLong(),
                        l.path("to").asLong(),
                        Instant.parse(l.path("at").asText()));
            }
            Instant updated =
                    n.hasNonNull("updatedAt") ? Instant.parse(n.get("updatedAt").asText()) : null;
            return Optional.of(new RunMarker(runId, hw, updated, loss));
        } catch (IOException | RuntimeException e) {
            if (e instanceof DamagedException d) {
                throw d;
            }
            throw new DamagedException("run marker " + file + " is not valid JSON: " + e.getMessage());
        }
    }

    /** Writes this marker durably into {@code dir} (temp file, fsync, atomic rename, directory fsync). */
    public void write(Path dir) throws IOException {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("format", 1);
        n.put("runId", runId);
        n.put("highWaterSequence", highWaterSequence);
        n.put("updatedAt", updatedAt == null ? null : updatedAt.toString());
        if (lossAccepted != null) {
            ObjectNode l = n.putObject("lossAccepted");
            l.put("from", lossAccepted.from());
            l.put("to", lossAccepted.to());
            l.put("at", lossAccepted.at().toString());
        }
        String body = WireFormat.writer().writeValueAsString(n);
        String text = body.substring(0, body.length() - 1) + CRC_FIELD + crc(body) + "}\n";
        Path temp = dir.resolve(TEMP);
        try {
            try (FileChannel ch = FileChannel.open(
                    temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // A full disk must not leave a half-written temp file beside the marker it failed to replace.
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        JournalFiles.SYSTEM.syncDirectory(dir);
    }

    /** Deletes a temp file a crash left behind. */
    public static void deleteTempFile(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(TEMP));
    }

    public RunMarker withHighWater(long sequence, Instant now) {
        return new RunMarker(runId, sequence, now, lossAccepted);
    }

    private static long crc(String body) {
        CRC32C c = new CRC32C();
        c.update(body.getBytes(StandardCharsets.UTF_8));
        return c.getValue();
    }
}

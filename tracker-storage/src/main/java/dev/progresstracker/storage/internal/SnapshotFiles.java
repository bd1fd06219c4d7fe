package dev.progresstracker.storage.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.Alert;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.journal.JournalFiles;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Snapshot files {@code snapshot-<sequence>.json}: the run state in core's wire JSON
 * ({@link WireFormat#writeRunState}), then one trailer line
 * {@code {"snapshotSequence":S,"length":L,"crc32c":C}} that covers the first L bytes, so a flipped
 * bit anywhere is noticed. Written to a temp file, fsynced, renamed atomically, directory fsynced.
 * Read by streaming, so a run with a million tasks never becomes one JSON tree.
 */
public final class SnapshotFiles {

    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".json";
    private static final String TEMP_SUFFIX = ".tmp";

    private SnapshotFiles() {}

    public static String fileName(long sequence) {
        return PREFIX + String.format("%020d", sequence) + SUFFIX;
    }

    /** Sequence in a snapshot file name, or -1. */
    public static long parseFileName(String name) {
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Snapshot files in {@code dir}, newest first. */
    public static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> parseFileName(p.getFileName().toString()) >= 0).forEach(out::add);
        }
        out.sort(Comparator.comparingLong(
                        (Path p) -> parseFileName(p.getFileName().toString()))
                .reversed());
        return out;
    }

    /** Deletes temp files a crash left behind. */
    public static void deleteTempFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(PREFIX) && n.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Writes {@code state} durably as {@code snapshot-<lastSequence>.json}; returns its path and size. */
    public static Path write(Path dir, RunState state) throws IOException {
        long seq = state.lastSequence();
        Path target = dir.resolve(fileName(seq));
        Path temp = dir.resolve(fileName(seq) + TEMP_SUFFIX);
        try {
            writeTemp(temp, state, seq);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp); // a failed write (disk full) leaves no half file behind
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        JournalFiles.SYSTEM.syncDirectory(dir);
        return target;
    }

    private static void writeTemp(Path temp, RunState state, long seq) throws IOException {
        CRC32C crc = new CRC32C();
        try (FileChannel ch = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            BufferedOutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(ch), 256 * 1024);
            CountingCrcOut body = new CountingCrcOut(buffered, crc);
            try (JsonGenerator g = WireFormat.writer().createGenerator(body)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                WireFormat.writeRunState(g, state);
            }
            String trailer = "\n{\"snapshotSequence\":" + seq + ",\"length\":" + body.count + ",\"crc32c\":"
                    + crc.getValue() + "}\n";
            buffered.write(trailer.getBytes(StandardCharsets.US_ASCII));
            buffered.flush();
            ch.force(true);
        }
    }

    /**
     * What a snapshot's trailer line says: the sequence it holds, the length and CRC32C of the state before
     * the trailer. Only a trailer that parses, covers exactly the bytes before it and agrees with the file
     * name counts; the body is not checked here (see {@link #read}).
     */
    public record Trailer(long sequence, long length, long crc32c) {}

    /**
     * Reads and checks {@code file}'s trailer (cheap: the last 256 bytes).
     *
     * @throws IOException naming the file and the reason if there is no consistent trailer
     */
    public static Trailer trailer(Path file) throws IOException {
        return trailer(file, parseFileName(file.getFileName().toString()));
    }

    /** {@link #trailer(Path)} of a file whose name is not its own (a quarantined copy of {@code nameSeq}). */
    public static Trailer trailer(Path file, long nameSeq) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return trailer(ch, file, nameSeq);
        }
    }

    private static Trailer trailer(FileChannel ch, Path file, long nameSeq) throws IOException {
        long size = ch.size();
        int tailLen = (int) Math.min(size, 256);
        ByteBuffer tail = ByteBuffer.allocate(tailLen);
        while (tail.hasRemaining() && ch.read(tail, size - tailLen + tail.position()) > 0) {
            // read the whole tail
        }
        String t = new String(tail.array(), 0, tail.position(), StandardCharsets.US_ASCII);
        if (!t.endsWith("}\n")) {
            throw new IOException("snapshot " + file + " has no trailer (file cut short or not a snapshot)");
        }
        int start = t.lastIndexOf("\n{\"snapshotSequence\"");
        if (start < 0) {
            throw new IOException("snapshot " + file + " has no trailer (not a snapshot?)");
        }
        JsonNode trailer;
        try {
            trailer = WireFormat.reader().readTree(t.substring(start + 1));
        } catch (IOException e) {
            throw new IOException("snapshot " + file + " has a damaged trailer: " + e.getMessage(), e);
        }
        long length = trailer.path("length").asLong(-1);
        long crc = trailer.path("crc32c").asLong(-1);
        long seq = trailer.path("snapshotSequence").asLong(-1);
        if (length != size - tailLen + start || seq < 0 || crc < 0) {
            throw new IOException("snapshot " + file + " trailer does not match the file (length " + length + " of "
                    + (size - tailLen + start) + ", sequence " + seq + ")");
        }
        if (seq != nameSeq) {
            throw new IOException(
                    "snapshot " + file + " is named for sequence " + nameSeq + " but its trailer says " + seq);
        }
        return new Trailer(seq, length, crc);
    }

    /**
     * Reads and checks a snapshot: trailer, CRC32C of the whole state, run id and sequence. The sequence is
     * the one in the verified content; the file name must agree with it.
     *
     * @throws IOException with the reason if the file is damaged or does not belong to {@code runId}
     */
    public static RunState read(Path file, String runId) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Trailer tr = trailer(ch, file, parseFileName(file.getFileName().toString()));
            long length = tr.length();
            long expectedCrc = tr.crc32c();
            long seq = tr.sequence();
            CRC32C crc = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
            long pos = 0;
            while (pos < length) {
                buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
                int r = ch.read(buf, pos);
                if (r < 0) {
                    throw new IOException("snapshot " + file + " ended early");
                }
                buf.flip();
                crc.update(buf);
                pos += r;
            }
            if (crc.getValue() != expectedCrc) {
                throw new IOException("snapshot " + file + " fails its CRC32C check");
            }
            RunState state;
            try (InputStream in = new Limited(Channels.newInputStream(ch.position(0)), length)) {
                state = parse(in, ch);
            } catch (RuntimeException e) {
                throw new IOException("snapshot " + file + " is not a valid run state: " + e.getMessage(), e);
            }
            if (!state.runId().equals(runId) || state.lastSequence() != seq) {
                throw new IOException("snapshot " + file + " holds run '" + state.runId() + "' at sequence "
                        + state.lastSequence() + ", expected '" + runId + "' at " + seq);
            }
            return state;
        }
    }

    /**
     * Streams {@code {"run":…,"tasks":[…],"alerts":[…]}}. This thread only tokenizes the task array to
     * find where each chunk of {@value #TASK_CHUNK} tasks lies in the file; helper threads read and
     * parse the chunks (no tree per task), and the results are joined in file order.
     */
    private static RunState parse(InputStream in, FileChannel ch) throws IOException {
        try (JsonParser p = WireFormat.reader().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("run state must be a JSON object");
            }
            RunInfo info = null;
            List<TaskView> tasks = new ArrayList<>();
            List<Alert> alerts = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("run".equals(field)) {
                    info = WireFormat.readRunInfo(p);
                } else if ("tasks".equals(field) && value == JsonToken.START_ARRAY) {
                    tasks = readTasks(p, ch);
                } else if ("alerts".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        alerts.add(WireFormat.readAlert(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (info == null) {
                throw new IllegalArgumentException("run state field 'run' is missing");
            }
            return new RunState(info, tasks, alerts);
        }
    }

    /** Tasks per chunk parsed on a helper thread (about 150 KiB of JSON at 150 B per task). */
    private static final int TASK_CHUNK = 1024;

    private static List<TaskView> readTasks(JsonParser p, FileChannel ch) throws IOException {
        List<TaskView> tasks = new ArrayList<>();
        try (ParseAhead<List<TaskView>> ahead = new ParseAhead<>()) {
            long chunkStart = -1;
            long chunkEnd = -1;
            int count = 0;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                long start = p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                long end = p.currentTokenLocation().getByteOffset() + 1;
                if (chunkStart < 0) {
                    chunkStart = start;
                }
                chunkEnd = end;
                if (++count == TASK_CHUNK) {
                    submitChunk(ahead, ch, chunkStart, chunkEnd, count);
                    chunkStart = -1;
                    count = 0;
                    while (ahead.full()) {
                        tasks.addAll(ahead.take());
                    }
                }
            }
            if (t != JsonToken.END_ARRAY) {
                throw new IllegalArgumentException("run state field 'tasks' must hold task objects, found " + t);
            }
            if (count > 0) {
                submitChunk(ahead, ch, chunkStart, chunkEnd, count);
            }
            while (!ahead.isEmpty()) {
                tasks.addAll(ahead.take());
            }
        }
        return tasks;
    }

    /** Reads bytes [start, end) — {@code count} task objects separated by commas — and parses them as one array. */
    private static void submitChunk(ParseAhead<List<TaskView>> ahead, FileChannel ch, long start, long end, int count) {
        ahead.submit(() -> {
            int len = (int) (end - start);
            byte[] buf = new byte[len + 2];
            buf[0] = '[';
            buf[len + 1] = ']';
            ByteBuffer into = ByteBuffer.wrap(buf, 1, len);
            while (into.hasRemaining()) {
                if (ch.read(into, start + into.position() - 1) < 0) {
                    throw new IOException("snapshot ended early at byte " + (start + into.position() - 1));
                }
            }
            List<TaskView> out = new ArrayList<>(count);
            try (JsonParser cp = WireFormat.reader().createParser(buf)) {
                cp.nextToken();
                while (cp.nextToken() == JsonToken.START_OBJECT) {
                    out.add(WireFormat.readTask(cp));
                }
            }
            if (out.size() != count) {
                throw new IllegalArgumentException(
                        "snapshot task chunk at byte " + start + " holds " + out.size() + " tasks, expected " + count);
            }
            return out;
        });
    }

    private static final class CountingCrcOut extends FilterOutputStream {
        final CRC32C crc;
        long count;

        CountingCrcOut(OutputStream out, CRC32C crc) {
            super(out);
            this.crc = crc;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // The trailer follows; the channel is closed by the writer.
        }
    }

    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int r = in.read(b, off, (int) Math.min(len, left));
            if (r > 0) {
                left -= r;
            }
            return r;
        }
    }
}

package dev.progresstracker.dynamodb.internal;

import static dev.progresstracker.dynamodb.internal.TableLayout.*;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns events, tasks and run facts into items and back, always through {@link WireFormat} (one
 * event mapping for the whole library). Keeps every item under the configured size by replacing
 * an oversized task's {@code details} with a marker.
 */
public final class ItemCodec {

    /** Key of the marker that replaces {@code details} too large for one item. */
    public static final String TRIMMED_MARKER = "_trimmedByDynamoDbStore";

    /**
     * Room kept for keys and the small attributes next to an event's JSON body: with a run id of
     * 128 characters they take under 300 bytes.
     */
    private static final int OVERHEAD_BYTES = 512;
    /** Room kept in a state chunk item for its keys and TTL. */
    private static final int CHUNK_OVERHEAD_BYTES = 1024;

    private final int maxItemBytes;

    public ItemCodec(int maxItemBytes) {
        this.maxItemBytes = maxItemBytes;
    }

    /** The wire JSON of {@code event}, trimmed to fit one item. */
    public String eventBody(ProgressEvent event) {
        String json = WireFormat.toJson(event);
        if (utf8Length(json) <= budget()) {
            return json;
        }
        ObjectNode tree = (ObjectNode) readTree(json);
        JsonNode task = tree.get("task");
        if (task instanceof ObjectNode t) {
            trimDetails(t, utf8Length(json));
        }
        String trimmed = tree.toString();
        if (utf8Length(trimmed) > budget()) {
            throw new IllegalArgumentException("event #" + event.sequence() + " ("
                    + event.type().wireName() + ") of run '"
                    + event.runId() + "' is " + utf8Length(trimmed) + " bytes even without task details; at most "
                    + budget() + " fit one DynamoDB item");
        }
        return trimmed;
    }

    /** The JSON of {@code task}, trimmed to fit one item. */
    public String taskJson(TaskView task) {
        String json = write(g -> WireFormat.writeTask(g, task));
        if (utf8Length(json) <= budget()) {
            return json;
        }
        ObjectNode tree = (ObjectNode) readTree(json);
        trimDetails(tree, utf8Length(json));
        String trimmed = tree.toString();
        if (utf8Length(trimmed) > budget()) {
            throw new IllegalArgumentException("task '" + task.taskId() + "' is " + utf8Length(trimmed)
                    + " bytes even without details; at most " + budget() + " fit one DynamoDB item");
        }
        return trimmed;
    }

    private static void trimDetails(ObjectNode task, int originalBytes) {
        ObjectNode marker = JsonNodeFactory.instance.objectNode();
        marker.put(TRIMMED_MARKER, true);
        marker.put("originalEventBytes", originalBytes);
        task.set("details", marker);
    }

    private int budget() {
        return maxItemBytes - OVERHEAD_BYTES;
    }

    public Map<String, AttributeValue> eventItem(ProgressEvent event, String body, String writer, Long expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(runPk(event.runId())));
        item.put(SK, s(eventSk(event.sequence(), writer)));
        item.put(WRITER, s(writer));
        item.put(SEQ, n(event.sequence()));
        item.put(EVENT_ID, s(event.eventId().toString()));
        item.put(TYPE, s(event.type().wireName()));
        item.put(BODY, s(body));
        putExpiry(item, expiresAt);
        return item;
    }

    /**
     * What one commit writes for the run: the run item, and the state chunks it points to when the
     * compressed state does not fit into the run item itself (then empty otherwise).
     *
     * @param stateBytes the compressed state's size, inline or chunked
     */
    public record RunItemPlan(
            Map<String, AttributeValue> runItem,
            List<Map<String, AttributeValue>> chunks,
            int stateBytes,
            String stateKey) {}

    /**
     * The run item: facts for listing, the head this writer reached, the writers' history, and the
     * whole state as gzipped JSON, inline when it fits, else split over chunk items keyed by
     * {@code writer} and the head's sequence (written before the run item, so a commit switches to
     * them at once).
     *
     * @throws IllegalStateException if the compressed state is larger than {@code maxStateBytes}
     */
    public RunItemPlan runItem(
            RunState state, String headEventId, String writers, Long expiresAt, String writer, int maxStateBytes) {
        RunInfo info = state.info();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(runPk(info.runId())));
        item.put(SK, s(RUN_SK));
        item.put(RUN_ID, s(info.runId()));
        item.put(RUN_STATUS, s(info.status().name()));
        if (info.clusterName() != null && !info.clusterName().isEmpty()) {
            item.put(CLUSTER, s(info.clusterName()));
        }
        item.put(LAST_SEQ, n(info.lastSequence()));
        item.put(HEAD_EVENT_ID, s(headEventId));
        item.put(WRITERS, s(writers));
        item.put(INFO, s(write(g -> WireFormat.writeRunInfo(g, info))));
        if (info.updatedAt() != null) {
            item.put(UPDATED_AT, s(info.updatedAt().toString()));
        }
        putExpiry(item, expiresAt);
        byte[] snapshot = gzip(WireFormat.toJson(state));
        int room = maxItemBytes - itemSize(item) - STATE.length() - 64;
        if (snapshot.length <= room) {
            item.put(
                    STATE,
                    AttributeValue.builder().b(SdkBytes.fromByteArray(snapshot)).build());
            return new RunItemPlan(item, List.of(), snapshot.length, null);
        }
        if (snapshot.length > maxStateBytes) {
            throw new IllegalStateException("run '" + info.runId() + "' has "
                    + state.tasks().size()
                    + " tasks: its state is " + snapshot.length + " bytes compressed, more than maxRunStateBytes "
                    + maxStateBytes + " (TRACKER_DYNAMODB_MAX_STATE_BYTES)");
        }
        String key = stateKey(writer, info.lastSequence());
        int chunkBytes = maxItemBytes - CHUNK_OVERHEAD_BYTES;
        List<Map<String, AttributeValue>> chunks = new ArrayList<>();
        for (int from = 0, i = 0; from < snapshot.length; from += chunkBytes, i++) {
            Map<String, AttributeValue> chunk = new HashMap<>();
            chunk.put(PK, s(runPk(info.runId())));
            chunk.put(SK, s(stateChunkSk(key, i)));
            chunk.put(
                    DATA,
                    AttributeValue.builder()
                            .b(SdkBytes.fromByteArray(java.util.Arrays.copyOfRange(
                                    snapshot, from, Math.min(snapshot.length, from + chunkBytes))))
                            .build());
            putExpiry(chunk, expiresAt);
            chunks.add(chunk);
        }
        item.put(STATE_KEY, s(key));
        item.put(STATE_CHUNKS, n(chunks.size()));
        item.put(STATE_BYTES, n(snapshot.length));
        return new RunItemPlan(item, List.copyOf(chunks), snapshot.length, key);
    }

    /** Largest event wire JSON (UTF-8 bytes) stored without trimming: the item limit less keys and attributes. */
    public int maxEventBytes() {
        return budget();
    }

    private static void putExpiry(Map<String, AttributeValue> item, Long expiresAt) {
        if (expiresAt != null) {
            item.put(EXPIRES_AT, n(expiresAt));
        }
    }

    // ---------------------------------------------------------------- reading

    public static ProgressEvent event(Map<String, AttributeValue> item) {
        return WireFormat.fromJson(item.get(BODY).s());
    }

    public static long seq(Map<String, AttributeValue> item, String attr) {
        AttributeValue v = item.get(attr);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    public static RunInfo runInfo(Map<String, AttributeValue> item) {
        return WireFormat.readRunInfo(readTree(item.get(INFO).s()));
    }

    /** The state held inline by a run item, or null if it is in chunks ({@link #STATE_KEY}). */
    public static RunState inlineState(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(STATE);
        return v == null ? null : WireFormat.readRunState(gunzip(v.b().asByteArray()));
    }

    /** The state from its chunks, in order. */
    public static RunState chunkedState(List<Map<String, AttributeValue>> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Map<String, AttributeValue> c : chunks) {
            all.writeBytes(c.get(DATA).b().asByteArray());
        }
        return WireFormat.readRunState(gunzip(all.toByteArray()));
    }

    private static byte[] gzip(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] bytes) {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(gz.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("stored run state is not valid gzip: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- sizes

    /**
     * The item's size as DynamoDB bills it: attribute names plus values (UTF-8 strings, numbers
     * at about one byte per two digits plus one).
     */
    public static int itemSize(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8Length(e.getKey());
            AttributeValue v = e.getValue();
            if (v.s() != null) {
                size += utf8Length(v.s());
            } else if (v.n() != null) {
                size += (v.n().replace("-", "").replace(".", "").length() + 1) / 2 + 1;
            } else if (v.b() != null) {
                size += v.b().asByteArray().length;
            } else {
                size += 1;
            }
        }
        return size;
    }

    /** Write capacity units of one write of {@code bytes}: one per started KB (doubled in a transaction). */
    public static int writeUnits(int bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    static int utf8Length(String s) {
        int ascii = s.length();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return ascii;
    }

    private static JsonNode readTree(String json) {
        try {
            return WireFormat.reader().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is not valid: " + e.getMessage(), e);
        }
    }

    private interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(JsonWriter w) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = WireFormat.writer().createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}

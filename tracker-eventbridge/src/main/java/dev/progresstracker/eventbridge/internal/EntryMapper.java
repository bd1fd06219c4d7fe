package dev.progresstracker.eventbridge.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.progresstracker.core.event.Delivery;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Maps an event to its entry exactly as the design says: {@code DetailType} = the type's wire name,
 * {@code Detail} = the core wire JSON (with the original tracker's snake_case fields unless switched off). An entry above the size limit is trimmed: first the task's
 * {@code details} are emptied, then long free-text fields are cut; the trimmed detail carries
 * {@code "truncated": true}. {@link #map} only records the event: its detail is written when the
 * entry first needs it, on the publisher's thread just before it is sent (most {@code task.progress}
 * entries are coalesced away before and never need it), so the sink's thread, which sees every
 * event, only enqueues. Thread-safe.
 */
public final class EntryMapper {

    /** Longest free-text field kept by the second trimming step, in characters. */
    static final int TRIMMED_TEXT_LENGTH = 1024;

    private final String source;
    private final String resource;
    private final int maxEntryBytes;
    private final boolean originalFields;
    private final LongAdder truncated = new LongAdder();

    /** A mapper that writes the original tracker's snake_case fields too (the default). */
    public EntryMapper(String source, String resource, int maxEntryBytes) {
        this(source, resource, maxEntryBytes, true);
    }

    /** @param originalFields whether details carry the original tracker's fields ({@code WireFormat.toJson(event, true)}) */
    public EntryMapper(String source, String resource, int maxEntryBytes, boolean originalFields) {
        this.source = source;
        this.resource = resource;
        this.maxEntryBytes = maxEntryBytes;
        this.originalFields = originalFields;
    }

    public PendingEntry map(ProgressEvent event, long arrivalMillis) {
        String taskId = !event.type().isLifecycle() ? ((TaskEvent) event).taskId() : null;
        return new PendingEntry(this, event, taskId, arrivalMillis);
    }

    /** Rebuilds an entry read back from the outbox (its detail was already trimmed when needed). */
    public PendingEntry restore(
            String runId,
            long sequence,
            String eventId,
            String detailType,
            String detail,
            java.time.Instant time,
            String taskId,
            long arrivalMillis,
            boolean truncated) {
        return new PendingEntry(
                this, runId, sequence, eventId, detailType, detail, time, taskId, arrivalMillis, truncated);
    }

    /** Writes (and if needed trims) the detail of {@code e} from {@code event}. */
    void writeDetail(PendingEntry e, ProgressEvent event) {
        // The delivery is known only when the entry leaves its lane; until then the widest one holds its place.
        String detail = WireFormat.toJson(event.withDelivery(placeholder(event)), originalFields);
        boolean trimmed = false;
        if (entrySize(e.detailType, detail) > maxEntryBytes) {
            detail = trim(detail, e.detailType);
            trimmed = true;
            truncated.increment();
        }
        e.setDetail(detail, trimmed);
    }

    /** A delivery at least as wide in JSON as any this event can be stamped with. */
    private static Delivery placeholder(ProgressEvent event) {
        long previous = event.sequence() - 1;
        return new Delivery(previous, previous == 0 ? null : EventType.PHASE_CHANGED, Long.MAX_VALUE);
    }

    int entrySize(String detailType, String detail) {
        return EntrySizes.entrySize(source, detailType, detail, resource, true);
    }

    String resource() {
        return resource;
    }

    /** Entries trimmed so far. */
    public long truncatedCount() {
        return truncated.sum();
    }

    public int maxEntryBytes() {
        return maxEntryBytes;
    }

    private String trim(String detail, String detailType) {
        ObjectNode root;
        try {
            root = (ObjectNode) WireFormat.reader().readTree(detail);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        root.put("truncated", true);
        JsonNode delivery = root.remove("delivery");
        if (delivery != null) {
            root.set("delivery", delivery); // stays last: it is stamped by replacing the detail's tail
        }
        JsonNode task = root.get("task");
        if (task instanceof ObjectNode t) {
            t.putObject("details");
        }
        String out = root.toString();
        if (fits(detailType, out)) {
            return out;
        }
        cutText(root, "message");
        cutText(root, "reason");
        cutText(root, "error_message");
        cutText(root, "task_name");
        if (task instanceof ObjectNode t) {
            cutText(t, "message");
            cutText(t, "name");
        }
        if (root.get("alert") instanceof ObjectNode a) {
            cutText(a, "message");
        }
        if (root.get("attributes") instanceof ObjectNode attrs) {
            Iterator<Map.Entry<String, JsonNode>> it = attrs.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue().isTextual() && f.getValue().asText().length() > TRIMMED_TEXT_LENGTH) {
                    f.setValue(root.textNode(cut(f.getValue().asText())));
                }
            }
        }
        // Whatever still does not fit is rejected by the publisher (dead letter), never sent.
        return root.toString();
    }

    private boolean fits(String detailType, String detail) {
        return entrySize(detailType, detail) <= maxEntryBytes;
    }

    private static void cutText(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        if (v != null && v.isTextual() && v.asText().length() > TRIMMED_TEXT_LENGTH) {
            node.put(field, cut(v.asText()));
        }
    }

    private static String cut(String s) {
        return s.substring(0, TRIMMED_TEXT_LENGTH - 1) + "…";
    }
}

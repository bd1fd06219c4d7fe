package dev.progresstracker.eventbridge.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;

import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Maps an event to its entry exactly as the design says: {@code DetailType} = the type's wire name,
 * {@code Detail} = the core wire JSON. An entry above the size limit is trimmed: first the task's
 * {@code details} are emptied, then long free-text fields are cut; the trimmed detail carries
 * {@code "truncated": true}. Stateless and thread-safe.
 */
public final class EntryMapper {

    /** Longest free-text field kept by the second trimming step, in characters. */
    static final int TRIMMED_TEXT_LENGTH = 1024;

    private final String source;
    private final String resource;
    private final int maxEntryBytes;

    public EntryMapper(String source, String resource, int maxEntryBytes) {
        this.source = source;
        this.resource = resource;
        this.maxEntryBytes = maxEntryBytes;
    }

    public PendingEntry map(ProgressEvent event, long arrivalMillis) {
        String detail = WireFormat.toJson(event);
        String detailType = event.type().wireName();
        boolean truncated = false;
        if (EntrySizes.entrySize(source, detailType, detail, resource, true) > maxEntryBytes) {
            detail = trim(detail, detailType);
            truncated = true;
        }
        String taskId = event.type() == EventType.TASK_PROGRESS ? ((TaskEvent) event).taskId() : null;
        return new PendingEntry(event.runId(), event.sequence(), event.eventId().toString(), detailType, detail,
                event.time(), taskId, resource, source, arrivalMillis, truncated);
    }

    /** Rebuilds an entry read back from the outbox (its detail was already trimmed when needed). */
    public PendingEntry restore(String runId, long sequence, String eventId, String detailType, String detail,
                                java.time.Instant time, String taskId, long arrivalMillis, boolean truncated) {
        return new PendingEntry(runId, sequence, eventId, detailType, detail, time, taskId, resource, source,
                arrivalMillis, truncated);
    }

    public int maxEntryBytes() {
        return maxEntryBytes;
    }

    private String trim(String detail, String detailType) {
        ObjectNode root;
        try {
            root = (ObjectNode) WireFormat.mapper().readTree(detail);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        root.put("truncated", true);
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
        if (task instanceof ObjectNode t) {
            cutText(t, "message");
            cutText(t, "name");
        }
        if (root.get("alert") instanceof ObjectNode a) {
            cutText(a, "message");
        }
        if (root.get("attributes") instanceof ObjectNode attrs) {
            Iterator<Map.Entry<String, JsonNode>> it = attrs.fields();
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
        return EntrySizes.entrySize(source, detailType, detail, resource, true) <= maxEntryBytes;
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

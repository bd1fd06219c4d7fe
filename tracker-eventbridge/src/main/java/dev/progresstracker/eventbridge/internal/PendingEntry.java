package dev.progresstracker.eventbridge.internal;

import dev.progresstracker.core.event.Delivery;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import java.time.Instant;
import java.util.Objects;

/**
 * One event on its way to EventBridge: the entry plus what the publisher needs to order, coalesce and
 * retry it. The {@code Detail} JSON is written only when first needed ({@link #detail()}, {@link #size()}),
 * on the publisher's thread: most progress entries are replaced by a newer one of the same task before
 * they are sent and never need it. Everything but the final fields is touched under the publisher's
 * lock (or by the one thread that owns the entry before it is queued).
 *
 * @see EntryMapper
 */
public final class PendingEntry {
    final String runId;
    final long sequence;
    final String detailType;
    final Instant time;
    /** The task of a {@code task.progress} entry (coalescing key with the run), else null. */
    final String taskId;
    /** Wall-clock time the sink received the event (publish lag is measured from it). */
    final long arrivalMillis;

    private final EntryMapper mapper;
    private ProgressEvent event;
    private String eventId;
    private String detail;
    private int size;
    private boolean truncated;
    int attempts;
    /** Progress events of the same task this entry replaces on the way to EventBridge (this sink's and upstream). */
    long superseded;
    /** Whether the detail carries this entry's final {@link Delivery} (set once, when it leaves its lane). */
    private boolean stamped;

    /** A mapped entry (read back from the outbox). */
    PendingEntry(
            EntryMapper mapper,
            String runId,
            long sequence,
            String eventId,
            String detailType,
            String detail,
            Instant time,
            String taskId,
            long arrivalMillis,
            boolean truncated) {
        this(mapper, runId, sequence, detailType, time, taskId, arrivalMillis);
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        setDetail(detail, truncated);
        this.stamped = true;
    }

    /** An entry whose detail is written from {@code event} when first needed. */
    PendingEntry(EntryMapper mapper, ProgressEvent event, String taskId, long arrivalMillis) {
        this(mapper, event.runId(), event.sequence(), event.type().wireName(), event.time(), taskId, arrivalMillis);
        this.event = event;
        this.superseded = Delivery.supersededBy(event);
    }

    private PendingEntry(
            EntryMapper mapper,
            String runId,
            long sequence,
            String detailType,
            Instant time,
            String taskId,
            long arrivalMillis) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.runId = Objects.requireNonNull(runId, "runId");
        this.sequence = sequence;
        this.detailType = Objects.requireNonNull(detailType, "detailType");
        this.time = Objects.requireNonNull(time, "time");
        this.taskId = taskId;
        this.arrivalMillis = arrivalMillis;
    }

    void setDetail(String detail, boolean truncated) {
        this.detail = Objects.requireNonNull(detail, "detail");
        this.truncated = truncated;
        this.size = mapper.entrySize(detailType, detail);
        if (event != null) {
            eventId = event.eventId().toString();
            event = null;
        }
    }

    boolean stamped() {
        return stamped;
    }

    /**
     * Writes {@code delivery} into the detail, in place of the placeholder {@link EntryMapper} wrote
     * (last field, same width: the entry's size does not change). Called once, in the run's order.
     */
    void stamp(Delivery delivery) {
        ensureMapped();
        String json;
        try (java.io.StringWriter out = new java.io.StringWriter(96);
                com.fasterxml.jackson.core.JsonGenerator g =
                        WireFormat.writer().getFactory().createGenerator(out)) {
            WireFormat.writeDelivery(g, delivery);
            g.flush();
            json = out.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int at = detail.lastIndexOf(DELIVERY_FIELD);
        if (at < 0) {
            throw new IllegalStateException("no delivery placeholder in the detail of " + this);
        }
        int width = detail.length() - 1 - (at + DELIVERY_FIELD.length());
        if (json.length() > width) {
            throw new IllegalStateException("delivery " + json + " wider than its placeholder in " + this);
        }
        detail = detail.substring(0, at + DELIVERY_FIELD.length()) + json + " ".repeat(width - json.length()) + "}";
        stamped = true;
    }

    static final String DELIVERY_FIELD = ",\"delivery\":";

    private void ensureMapped() {
        if (detail == null) {
            mapper.writeDetail(this, event);
        }
    }

    public String runId() {
        return runId;
    }

    public long sequence() {
        return sequence;
    }

    public String eventId() {
        return eventId != null ? eventId : event.eventId().toString();
    }

    public String detailType() {
        return detailType;
    }

    /** The {@code Detail} JSON (written now if it was not yet). */
    public String detail() {
        ensureMapped();
        return detail;
    }

    public Instant time() {
        return time;
    }

    /** Entry size as AWS counts it ({@link EntrySizes}); writes the detail if it was not yet. */
    public int size() {
        ensureMapped();
        return size;
    }

    /** Whether the detail was trimmed to fit; writes the detail if it was not yet. */
    public boolean truncated() {
        ensureMapped();
        return truncated;
    }

    /** The sole {@code Resources} element, or null. */
    String resource() {
        return mapper.resource();
    }

    boolean isProgress() {
        return taskId != null;
    }

    @Override
    public String toString() {
        return detailType + " #" + sequence + " of run " + runId;
    }
}

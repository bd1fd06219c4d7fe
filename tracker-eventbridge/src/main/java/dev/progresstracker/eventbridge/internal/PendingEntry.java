package dev.progresstracker.eventbridge.internal;

import java.time.Instant;
import java.util.Objects;

/**
 * One event on its way to EventBridge: the mapped entry plus what the publisher needs to order,
 * coalesce and retry it. {@link #attempts} is the only mutable field, touched under the publisher's lock.
 *
 * @param taskId       the task of a {@code task.progress} entry (coalescing key with the run), else null
 * @param resource     the sole {@code Resources} element, or null
 * @param size         entry size as AWS counts it ({@link EntrySizes})
 * @param arrivalMillis wall-clock time the sink received the event (publish lag is measured from it)
 */
public final class PendingEntry {
    final String runId;
    final long sequence;
    final String eventId;
    final String detailType;
    final String detail;
    final Instant time;
    final String taskId;
    final String resource;
    final int size;
    final long arrivalMillis;
    final boolean truncated;
    int attempts;

    PendingEntry(String runId, long sequence, String eventId, String detailType, String detail, Instant time,
                 String taskId, String resource, String source, long arrivalMillis, boolean truncated) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.sequence = sequence;
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        this.detailType = Objects.requireNonNull(detailType, "detailType");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.time = Objects.requireNonNull(time, "time");
        this.taskId = taskId;
        this.resource = resource;
        this.size = EntrySizes.entrySize(source, detailType, detail, resource, true);
        this.arrivalMillis = arrivalMillis;
        this.truncated = truncated;
    }

    public String runId() {
        return runId;
    }

    public long sequence() {
        return sequence;
    }

    public String eventId() {
        return eventId;
    }

    public String detailType() {
        return detailType;
    }

    public String detail() {
        return detail;
    }

    public Instant time() {
        return time;
    }

    public int size() {
        return size;
    }

    public boolean truncated() {
        return truncated;
    }

    boolean isProgress() {
        return taskId != null;
    }

    @Override
    public String toString() {
        return detailType + " #" + sequence + " of run " + runId;
    }
}

package dev.progresstracker.core.event;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One delivery path's memory of what it handed over, per run: stamps each event it delivers with its
 * {@link Delivery}. For sink implementers that skip superseded {@code task.progress}/{@code task.usage}
 * events (and for the library's own sinks): call {@link #stamp} on each event in the order it is
 * delivered, passing how many such events of its task the path replaced with it.
 *
 * <p>Remembers at most {@value #MAX_RUNS} runs (least recently delivered forgotten first: a run met
 * again starts over with {@code previous} 0). Not thread-safe: one path, one thread (or a lock).
 */
public final class DeliveryPath {

    static final int MAX_RUNS = 10_000;

    /** Updated in place: a path hands over every event of a run, and one allocation per event showed. */
    private static final class Last {
        long sequence;
        EventType type;

        Last(long sequence, EventType type) {
            this.sequence = sequence;
            this.type = type;
        }
    }

    private final Map<String, Last> lastByRun = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Last> eldest) {
            return size() > MAX_RUNS;
        }
    };

    /**
     * The delivery of {@code event} as the next event of its run on this path, and remembers it as
     * delivered. {@code supersededHere}: progress events of the same task this path replaced with it,
     * added to those the paths before it replaced (its own {@link Delivery#superseded}).
     */
    public Delivery next(ProgressEvent event, long supersededHere) {
        return next(event.runId(), event.sequence(), event.type(), Delivery.supersededBy(event) + supersededHere);
    }

    /** {@link #next(ProgressEvent, long)} from the event's parts; {@code superseded} is the total. */
    public Delivery next(String runId, long sequence, EventType type, long superseded) {
        if (superseded < 0) {
            throw new IllegalArgumentException("superseded must be >= 0: " + superseded);
        }
        Last last = lastByRun.get(runId);
        if (last == null) {
            lastByRun.put(runId, new Last(sequence, type));
            return new Delivery(0, null, superseded);
        }
        Delivery d = last.sequence >= sequence
                ? new Delivery(0, null, superseded)
                : new Delivery(last.sequence, last.type, superseded);
        last.sequence = sequence;
        last.type = type;
        return d;
    }

    /** {@code event} carrying {@link #next(ProgressEvent, long)}; the same instance when nothing changes. */
    public ProgressEvent stamp(ProgressEvent event, long supersededHere) {
        Delivery d = next(event, supersededHere);
        return d.equals(event.header().delivery()) ? event : event.withDelivery(d);
    }

    /**
     * The path lost {@code event} (dropped it for room, not replaced by a newer one): it is remembered as
     * if delivered, so the next event's {@code previous} names it and the consumer sees the loss.
     */
    public void lost(ProgressEvent event) {
        delivered(event.runId(), event.sequence(), event.type());
    }

    /**
     * The path handed over event {@code sequence} (of {@code type}) of {@code runId} without
     * {@link #next} (for example in a frame shared with other consumers, already stamped): the next
     * event follows it.
     */
    public void delivered(String runId, long sequence, EventType type) {
        lastByRun.put(runId, new Last(sequence, type));
    }

    /**
     * The consumer holds {@code runId} up to {@code sequence} by other means (a snapshot, a resume
     * point): the next event's {@code previous} is {@code sequence}, without a type.
     */
    public void startAfter(String runId, long sequence) {
        if (sequence <= 0) {
            lastByRun.remove(runId);
        } else {
            lastByRun.put(runId, new Last(sequence, null));
        }
    }

    /** The sequence last delivered (or started after) of {@code runId}; 0 if none. */
    public long lastSequence(String runId) {
        Last last = lastByRun.get(runId);
        return last == null ? 0 : last.sequence;
    }
}

package dev.progresstracker.core.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Fields every event carries.
 *
 * @param sequence    per run, gap-free, starting at 1
 * @param time        from the tracker's injected clock
 * @param clusterName may be null
 * @param planId      may be null
 * @param delivery    null as the tracker creates the event; set by the delivery path that hands it to
 *                    a consumer ({@link DeliveryPath})
 */
public record EventHeader(
        UUID eventId, String runId, long sequence, Instant time, String clusterName, String planId, Delivery delivery) {
    public EventHeader {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(time, "time");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1: " + sequence);
        }
        if (delivery != null && delivery.previous() >= sequence) {
            throw new IllegalArgumentException("delivery.previous (" + delivery.previous()
                    + ") must be below the event's sequence (" + sequence + ")");
        }
    }

    /** A header without delivery information (as the tracker creates it). */
    public EventHeader(UUID eventId, String runId, long sequence, Instant time, String clusterName, String planId) {
        this(eventId, runId, sequence, time, clusterName, planId, null);
    }

    /** This header with {@code delivery} instead of its own. */
    public EventHeader withDelivery(Delivery delivery) {
        return new EventHeader(eventId, runId, sequence, time, clusterName, planId, delivery);
    }
}

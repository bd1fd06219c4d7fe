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
 */
public record EventHeader(UUID eventId, String runId, long sequence, Instant time, String clusterName, String planId) {
    public EventHeader {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(time, "time");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1: " + sequence);
        }
    }
}

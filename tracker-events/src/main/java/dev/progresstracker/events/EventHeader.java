package dev.progresstracker.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The fields every detail carries.
 *
 * @param schemaVersion {@code 1.x}; minor versions only add fields
 * @param eventId       unique per event: deduplicate on it (EventBridge delivers at least once)
 * @param runId         the run (the original tracker's {@code upgrade_id})
 * @param sequence      per run, gap-free from 1 as the tracker numbers them (delivered streams have gaps, see {@link Delivery})
 * @param time          when the tracker emitted the event
 * @param clusterName   the run's cluster, or null when it has none
 * @param planId        the run's plan, or null
 * @param truncated     whether the producer trimmed the event to fit EventBridge's 256 KiB (details emptied, long texts cut)
 * @param delivery      how the path that delivered the event got it here, or null when the producer did not stamp it
 */
public record EventHeader(
        String schemaVersion,
        UUID eventId,
        String runId,
        long sequence,
        Instant time,
        String clusterName,
        String planId,
        boolean truncated,
        Delivery delivery) {

    public EventHeader {
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(time, "time");
    }
}

package dev.progresstracker.core.state;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.RunStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Run-level facts of a stored run, without its tasks: what {@code listRuns()} returns.
 *
 * @param lastSequence sequence of the newest event applied, 0 for none
 * @param updatedAt    time of the newest event, null for none
 */
public record RunInfo(
        String runId,
        String planId,
        String clusterName,
        Map<String, String> attributes,
        RunStatus status,
        String phase,
        double percent,
        Eta eta,
        Instant startedAt,
        Instant finishedAt,
        long lastSequence,
        Instant updatedAt) {

    public RunInfo {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}

package dev.progresstracker.core;

import dev.progresstracker.core.spi.StoreHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable summary of a run, as returned by {@link ProgressTracker#summary()}.
 *
 * @param taskCounts     number of tasks per status (every status present, zero when none); parents are counted
 *                       like every task, with the status derived from their children
 * @param totalTasks     every task, parents included
 * @param startedAt      null before {@code startUpgrade}
 * @param elapsed        time since start (to the finish time once finished), zero before start
 * @param lastSequence   sequence number of the newest event, 0 before any
 * @param storeHealth    what the store said about this run's writes when the summary was taken
 */
public record ProgressSummary(
        String runId,
        String planId,
        String clusterName,
        RunStatus status,
        String currentPhase,
        double percent,
        Map<TaskStatus, Integer> taskCounts,
        int totalTasks,
        Instant startedAt,
        Duration elapsed,
        Optional<Eta> eta,
        long lastSequence,
        StoreHealth storeHealth) {

    /** Number of tasks currently in {@code status}. */
    public int count(TaskStatus status) {
        return taskCounts.getOrDefault(status, 0);
    }
}

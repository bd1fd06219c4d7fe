package dev.progresstracker.core.eta;

import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.EventType;
import java.time.Instant;

/**
 * One observation for an {@link EtaEstimator}: the change that just happened.
 *
 * @param runPercent       run percent after the change, 0..100
 * @param task             the task after the change, null for run-level changes
 * @param remainingWeight  summed weight of top-level work not finished yet (for per-type estimates)
 */
public record EtaSample(Instant time, EventType type, double runPercent, TaskView task, double remainingWeight) {}

package dev.progresstracker.core;

import java.time.Instant;
import java.util.Objects;

/**
 * Immutable view of a run's progress at one moment: the {@code run} block of every event.
 *
 * @param phase      current phase, null before the first one is set
 * @param percent    0..100, weighted mean of the top-level tasks (100 once completed)
 * @param eta        null when not known or not tracked (tracking mode below ENHANCED)
 * @param startedAt  null before {@code startUpgrade}
 * @param finishedAt null until the run completes, fails or is cancelled
 */
public record RunView(RunStatus status, String phase, double percent, Eta eta, Instant startedAt, Instant finishedAt) {
    public RunView {
        Objects.requireNonNull(status, "status");
    }
}

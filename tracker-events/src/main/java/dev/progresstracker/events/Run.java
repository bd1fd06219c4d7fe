package dev.progresstracker.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The run as it is after the event ({@code run}).
 *
 * @param status     {@link RunStatus#UNKNOWN} for a value this version does not know
 * @param phase      free text the agent set, or null before any
 * @param percent    0..100, weighted over the tasks
 * @param eta        the estimate, or null while there is none
 * @param startedAt  null before the run started
 * @param finishedAt null until it ended
 */
public record Run(RunStatus status, String phase, double percent, Eta eta, Instant startedAt, Instant finishedAt) {

    public Run {
        Objects.requireNonNull(status, "status");
    }
}

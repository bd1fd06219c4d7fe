package dev.progresstracker.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The run's estimated time to completion ({@code run.eta}).
 *
 * @param seconds             the estimate, seconds from the event's time
 * @param low                 lower bound, seconds
 * @param high                upper bound, seconds
 * @param confidence          0..1
 * @param method              the estimator ({@code linear}, {@code adaptive}, …; free text)
 * @param estimatedCompletion the producer's clock at the estimate plus {@code seconds}, or null when not sent
 * @param factors             what the producer measured around the estimate, or null when not sent
 */
public record Eta(
        long seconds,
        long low,
        long high,
        double confidence,
        String method,
        Instant estimatedCompletion,
        EtaFactors factors) {

    public Eta {
        Objects.requireNonNull(method, "method");
    }
}

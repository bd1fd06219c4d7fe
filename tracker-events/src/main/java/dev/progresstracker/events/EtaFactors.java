package dev.progresstracker.events;

/**
 * What the producer measured around an estimate ({@code run.eta.factors}; docs/events.md).
 *
 * @param currentThroughput  run percent per minute over the last 300 s
 * @param averageThroughput  run percent per minute since the run started
 * @param rateLimitImpact    0..1: summed rate-limit delay over elapsed time
 * @param complexityFactor   weight per unfinished task over weight per task
 * @param historicalAccuracy 0..1, or null until there is a measure
 */
public record EtaFactors(
        double currentThroughput,
        double averageThroughput,
        double rateLimitImpact,
        double complexityFactor,
        Double historicalAccuracy) {}

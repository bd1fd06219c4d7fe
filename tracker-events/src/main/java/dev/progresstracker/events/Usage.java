package dev.progresstracker.events;

/**
 * A task's usage totals so far ({@code task.usage}): not the increment of one call.
 *
 * @param apiCalls         external API calls made by the task
 * @param apiCallsFailed   the failed ones among them
 * @param apiLatencyMs     summed latency of those calls, milliseconds
 * @param rateLimitHits    times the task was throttled
 * @param rateLimitDelayMs time it waited because of that, milliseconds
 * @param tokensIn         model input tokens
 * @param tokensOut        model output tokens
 * @param cost             estimated cost of the tokens at the producer's prices
 * @param currency         ISO code of {@code cost}, or null while nothing was priced
 * @param quality          0..1 as last set, or null when never set
 */
public record Usage(
        long apiCalls,
        long apiCallsFailed,
        long apiLatencyMs,
        long rateLimitHits,
        long rateLimitDelayMs,
        long tokensIn,
        long tokensOut,
        double cost,
        String currency,
        Double quality) {}

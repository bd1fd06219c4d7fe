package dev.progresstracker.eventbridge.internal;

/**
 * A {@link Publisher}'s counters at one moment; {@code EventBridgeSink.Stats} shows them to users.
 *
 * @param published   entries EventBridge accepted
 * @param failed      entries dead-lettered
 * @param retried     entries sent again
 * @param conflated   progress entries replaced by a newer one of their task
 * @param truncated   entries whose detail was cut to fit
 * @param requests    {@code PutEvents} calls started
 * @param buffered    entries in memory (waiting or in calls in flight)
 * @param outboxDepth entries in the outbox, or queued for it
 * @param mode        the spill mode ({@code DIRECT}, {@code SPILLING}, …)
 */
public record PublisherCounters(
        long published,
        long failed,
        long retried,
        long conflated,
        long truncated,
        long requests,
        long buffered,
        long outboxDepth,
        String mode) {}

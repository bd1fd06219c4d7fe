package dev.progresstracker.callbacks;

/**
 * Counters of one listener at one moment (the same figures the Micrometer meters show).
 *
 * @param name        unique within its manager (a repeated name gets a {@code #2}, {@code #3}… suffix)
 * @param invocations invocations that finished (successfully, by failing, or by timing out)
 * @param failures    invocations that threw or whose stage completed exceptionally
 * @param timeouts    invocations abandoned after the listener's timeout
 * @param dropped     events never handed to the listener: its queue overflowed, or the manager closed first
 * @param pending     events waiting for the listener now
 * @param disabled    true once switched off after too many consecutive failures
 */
public record ListenerStats(
        String name, long invocations, long failures, long timeouts, long dropped, long pending, boolean disabled) {}

package dev.progresstracker.core;

/** How one external API call made by a task ended, for {@link ProgressTracker#recordApiCall}. */
public enum CallOutcome {
    /** The call returned a usable answer. */
    SUCCEEDED,
    /** The call failed (an error answer or no answer); a throttled call is also {@link ProgressTracker#recordRateLimit}. */
    FAILED
}

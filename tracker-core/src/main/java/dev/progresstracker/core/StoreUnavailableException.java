package dev.progresstracker.core;

import dev.progresstracker.core.spi.StoreHealth;
import java.util.Objects;

/**
 * A mutating call was refused because the store takes no more events of the run right now
 * ({@link StoreHealth.State#REFUSING}: its backlog is full, the run reached the store's size limit,
 * or another writer took the run over). Thrown before a sequence is assigned: nothing changed, and
 * the same call may succeed once {@link ProgressTracker#storeHealth()} no longer says REFUSING.
 */
public final class StoreUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String runId;
    private final transient StoreHealth health;

    public StoreUnavailableException(String runId, StoreHealth health) {
        super("run '" + runId + "': the store refuses new events"
                + (health.since() != null ? " since " + health.since() : "")
                + ": " + health.problem() + " (backlog " + health.backlogEvents() + " event(s), "
                + health.backlogBytes()
                + " bytes); the call changed nothing");
        this.runId = runId;
        this.health = Objects.requireNonNull(health, "health");
    }

    public String runId() {
        return runId;
    }

    /** What the store said when it refused. */
    public StoreHealth health() {
        return health;
    }
}

package dev.progresstracker.core.internal;

import dev.progresstracker.core.StoreUnavailableException;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.spi.StoreHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses calls while the store refuses the run's events, and logs once per episode when the
 * store stops writing normally and when it writes again. Guarded by the tracker's lock.
 */
final class StoreGate {

    private static final Logger LOG = LoggerFactory.getLogger(StoreGate.class);

    private final ProgressStore store;
    private final String runId;
    private StoreHealth.State lastSeen = StoreHealth.State.WRITING;

    StoreGate(ProgressStore store, String runId) {
        this.store = store;
        this.runId = runId;
    }

    /** Throws {@link StoreUnavailableException} while the store refuses; call before any change. */
    void check() {
        StoreHealth h = store.health(runId);
        if (h.state() != lastSeen) {
            changed(h);
        }
        if (h.state() == StoreHealth.State.REFUSING) {
            throw new StoreUnavailableException(runId, h);
        }
    }

    private void changed(StoreHealth h) {
        if (h.isWriting()) {
            LOG.info("run '{}': the store writes again (it was {})", runId, lastSeen);
        } else {
            LOG.warn(
                    "run '{}': the store is {} since {}: {} ({} event(s) waiting); acknowledgements wait until "
                            + "it writes again",
                    runId,
                    h.state(),
                    h.since(),
                    h.problem(),
                    h.backlogEvents());
        }
        lastSeen = h.state();
    }
}

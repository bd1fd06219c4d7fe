package dev.progresstracker.websocket.internal;

import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server's reads of the tracker's store: a failing store is logged and read as "nothing there". */
final class StoreReads {

    private static final Logger LOG = LoggerFactory.getLogger(StoreReads.class);

    private final ProgressStore store;

    StoreReads(ProgressStore store) {
        this.store = store;
    }

    List<RunInfo> listRuns() {
        try {
            return store.listRuns();
        } catch (RuntimeException e) {
            LOG.warn("store failed to list runs: {}", e.toString());
            return List.of();
        }
    }

    RunState load(String runId) {
        try {
            return store.loadRun(RunIds.requireValidRunId(runId)).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("store failed to load run '{}': {}", runId, e.toString());
            return null;
        }
    }

    Optional<List<ProgressEvent>> eventsSince(String runId, long since, int max) {
        try {
            return store.eventsSince(runId, since, max);
        } catch (RuntimeException e) {
            LOG.warn("store failed to read events of run '{}' after {}: {}", runId, since, e.toString());
            return Optional.empty();
        }
    }
}

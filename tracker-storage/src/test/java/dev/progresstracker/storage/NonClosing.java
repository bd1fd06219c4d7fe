package dev.progresstracker.storage;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Hands a store to a tracker that must not close it. */
final class NonClosing implements ProgressStore {
    private final ProgressStore delegate;

    NonClosing(ProgressStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletionStage<Void> append(ProgressEvent event) {
        return delegate.append(event);
    }

    @Override
    public Optional<RunState> loadRun(String runId) {
        return delegate.loadRun(runId);
    }

    @Override
    public List<RunInfo> listRuns() {
        return delegate.listRuns();
    }

    @Override
    public Optional<List<ProgressEvent>> eventsSince(String runId, long afterSequence, int maxEvents) {
        return delegate.eventsSince(runId, afterSequence, maxEvents);
    }

    @Override
    public boolean deleteRun(String runId) {
        return delegate.deleteRun(runId);
    }

    @Override
    public void close() {
    }
}

package dev.progresstracker.test;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;

import java.util.List;
import java.util.Optional;

/** Hands a store to a tracker (which owns and closes what it is given) without letting it close the store. */
public final class NonClosingStore implements ProgressStore {
    private final ProgressStore delegate;

    public NonClosingStore(ProgressStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> append(ProgressEvent event) {
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
    public int maxEventBytes() {
        return delegate.maxEventBytes();
    }

    @Override
    public dev.progresstracker.core.spi.StoreHealth health(String runId) {
        return delegate.health(runId);
    }

    @Override
    public boolean deleteRun(String runId) {
        return delegate.deleteRun(runId);
    }

    @Override
    public void close() {
        // owned by the test
    }
}

package dev.progresstracker.test;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Passes every call but {@link #close()} to a delegate store; subclasses override what they change. */
abstract class ForwardingStore implements ProgressStore {

    protected final ProgressStore delegate;

    ForwardingStore(ProgressStore delegate) {
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
    public int maxEventBytes() {
        return delegate.maxEventBytes();
    }

    @Override
    public StoreHealth health(String runId) {
        return delegate.health(runId);
    }

    @Override
    public boolean deleteRun(String runId) {
        return delegate.deleteRun(runId);
    }
}

package dev.progresstracker.core.spi;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where runs are kept so that a crashed agent resumes where it was. Implementations pass
 * {@code ProgressStoreContract} from {@code tracker-test}.
 *
 * <p>Threading: {@link #append} is called from the tracker's single store thread, in sequence
 * order per run; the read methods may be called from any thread at any time and must be safe.
 */
public interface ProgressStore extends AutoCloseable {

    /**
     * Records one event. The stage completes once the event is as durable as the store promises
     * (see its durability mode), or exceptionally if it could not be stored. Must not block for
     * long: group commit happens behind the stage.
     *
     * @throws IllegalArgumentException if the event does not continue its run's sequence
     */
    CompletionStage<Void> append(ProgressEvent event);

    /** The run's state after every appended event, or empty if the store has never seen it. */
    Optional<RunState> loadRun(String runId);

    /** Facts about every stored run, newest update first. */
    List<RunInfo> listRuns();

    /**
     * Events of {@code runId} with a sequence above {@code afterSequence}, in order, at most
     * {@code maxEvents} of them. Empty if the store no longer holds all of them (compacted or
     * trimmed): the caller should then use {@link #loadRun} instead. An unknown run gives an empty
     * list (nothing was missed).
     */
    Optional<List<ProgressEvent>> eventsSince(String runId, long afterSequence, int maxEvents);

    /**
     * The largest event this store accepts, as UTF-8 bytes of its wire JSON. The tracker's
     * call-site limits keep every event it accepts at or under this, and building a tracker whose
     * limits allow larger events fails with a message naming both. Default: no limit of its own.
     */
    default int maxEventBytes() {
        return Integer.MAX_VALUE;
    }

    /**
     * Whether the store is writing the events of {@code runId} now (see {@link StoreHealth}). The
     * tracker calls this under its lock before every change and refuses the call while the answer
     * is {@link StoreHealth.State#REFUSING}, so it must be cheap and never block (a volatile read
     * of a value the writer keeps up to date). Default: always {@link StoreHealth#WRITING}.
     */
    default StoreHealth health(String runId) {
        return StoreHealth.WRITING;
    }

    /** Deletes a run and its events; false if there was none. */
    boolean deleteRun(String runId);

    /** Makes everything appended so far durable, then releases resources. Idempotent. */
    @Override
    void close();
}

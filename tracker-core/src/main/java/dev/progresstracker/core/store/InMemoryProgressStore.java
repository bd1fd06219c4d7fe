package dev.progresstracker.core.store;

import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps runs in memory: the default store when storage is switched off. Nothing survives the
 * process. Keeps the last {@code retainedEvents} events per run (default {@value #DEFAULT_RETAINED_EVENTS})
 * for {@link #eventsSince}. Thread-safe.
 */
public final class InMemoryProgressStore implements ProgressStore {

    public static final int DEFAULT_RETAINED_EVENTS = 10_000;

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final int retainedEvents;
    private final ConcurrentHashMap<String, Run> runs = new ConcurrentHashMap<>();

    private static final class Run {
        final RunProjection projection;
        final ArrayDeque<ProgressEvent> recent = new ArrayDeque<>();

        Run(String runId) {
            projection = new RunProjection(runId, RunProjection.Mode.CONTIGUOUS);
        }
    }

    public InMemoryProgressStore() {
        this(DEFAULT_RETAINED_EVENTS);
    }

    /** @param retainedEvents events kept per run for {@link #eventsSince}; at least 0 */
    public InMemoryProgressStore(int retainedEvents) {
        if (retainedEvents < 0) {
            throw new IllegalArgumentException("retainedEvents must not be negative, got " + retainedEvents);
        }
        this.retainedEvents = retainedEvents;
    }

    @Override
    public CompletionStage<Void> append(ProgressEvent event) {
        Run run = runs.get(event.runId());
        if (run == null) { // ids are checked once, when a run is first seen: the map holds valid ids only
            run = runs.computeIfAbsent(RunIds.requireValidRunId(event.runId()), Run::new);
        }
        synchronized (run) {
            if (!run.projection.apply(event)) {
                throw new IllegalArgumentException(
                        "run '" + event.runId() + "' already has sequence " + event.sequence());
            }
            if (retainedEvents > 0) {
                if (run.recent.size() == retainedEvents) {
                    run.recent.pollFirst();
                }
                run.recent.addLast(event);
            }
        }
        return DONE;
    }

    @Override
    public Optional<RunState> loadRun(String runId) {
        Run run = runs.get(RunIds.requireValidRunId(runId));
        if (run == null) {
            return Optional.empty();
        }
        synchronized (run) {
            return Optional.of(run.projection.snapshot());
        }
    }

    @Override
    public List<RunInfo> listRuns() {
        List<RunInfo> out = new ArrayList<>();
        for (Run run : runs.values()) {
            synchronized (run) {
                out.add(run.projection.info());
            }
        }
        out.sort(Comparator.comparing(RunInfo::updatedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    @Override
    public Optional<List<ProgressEvent>> eventsSince(String runId, long afterSequence, int maxEvents) {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must not be negative, got " + maxEvents);
        }
        Run run = runs.get(RunIds.requireValidRunId(runId));
        if (run == null) {
            return Optional.of(List.of());
        }
        synchronized (run) {
            long last = run.projection.lastSequence();
            if (afterSequence >= last) {
                return Optional.of(List.of());
            }
            ProgressEvent first = run.recent.peekFirst();
            if (first == null || first.sequence() > afterSequence + 1) {
                return Optional.empty();
            }
            List<ProgressEvent> out = new ArrayList<>();
            for (ProgressEvent e : run.recent) {
                if (e.sequence() > afterSequence) {
                    if (out.size() == maxEvents) {
                        break;
                    }
                    out.add(e);
                }
            }
            return Optional.of(out);
        }
    }

    @Override
    public boolean deleteRun(String runId) {
        return runs.remove(RunIds.requireValidRunId(runId)) != null;
    }

    @Override
    public void close() {}
}

package dev.progresstracker.benchmarks.eta;

import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.storage.FileProgressStore;
import dev.progresstracker.storage.FileStoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a run the demo stored into a trace: the demo ({@code scripts/demo}) journals every event
 * it emits in its file store, so the store is the recording and the demo needs no extra option.
 * The run must have completed (a trace needs its true end) and its journal must still hold every
 * event from sequence 1 (a demo run has a few hundred; the store keeps 10,000 by default).
 *
 * <p>Record the suite's {@code demo-recorded} trace (≈ 5 minutes of wall-clock time at speed 0.1):
 * <pre>
 * scripts/demo --plain --no-websocket --speed 0.1 --data-dir target/demo-trace --run-id demo-recorded
 * java -cp tracker-benchmarks/target/benchmarks.jar dev.progresstracker.benchmarks.eta.DemoTraceRecorder \
 *      target/demo-trace demo-recorded tracker-benchmarks/src/main/resources/eta-traces/demo-recorded.csv
 * </pre>
 */
public final class DemoTraceRecorder {

    private DemoTraceRecorder() {}

    /**
     * The trace of completed run {@code runId} in the file store under {@code dataDir}.
     *
     * @throws IllegalArgumentException if the run is not stored, not completed, or no longer complete in the journal
     */
    public static Trace read(Path dataDir, String runId) {
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("no store directory " + dataDir.toAbsolutePath());
        }
        FileStoreConfig config = FileStoreConfig.builder()
                .directory(dataDir)
                .snapshotOnClose(false)
                .build();
        try (FileProgressStore store =
                FileProgressStore.builder().config(config).build()) {
            RunState run = store.loadRun(runId)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "no run '" + runId + "' is stored under " + dataDir.toAbsolutePath()));
            if (run.info().status() != RunStatus.COMPLETED) {
                throw new IllegalArgumentException("run '" + runId + "' is "
                        + run.info().status() + ", not COMPLETED: a trace needs the run's true end");
            }
            long last = run.lastSequence();
            List<ProgressEvent> events = store.eventsSince(runId, 0, (int) Math.min(Integer.MAX_VALUE, last))
                    .filter(e -> e.size() == last)
                    .orElseThrow(
                            () -> new IllegalArgumentException("the journal of run '" + runId + "' no longer holds all "
                                    + last + " events (raise TRACKER_STORAGE_RETAINED_EVENTS before recording)"));
            return Trace.fromEvents(runId, events);
        }
    }

    /** {@code DemoTraceRecorder <data-dir> <run-id> <out.csv>}: writes the run's trace as CSV. */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: DemoTraceRecorder <data-dir> <run-id> <out.csv>");
            System.exit(2);
        }
        Trace trace = read(Path.of(args[0]), args[1]);
        Path out = Path.of(args[2]);
        TraceCsv.write(
                trace,
                out,
                List.of("recorded from the demo (scripts/demo) run '" + args[1]
                        + "' by DemoTraceRecorder; see its Javadoc for the command"));
        System.out.println("wrote " + trace.rows().size() + " rows to " + out.toAbsolutePath());
    }
}

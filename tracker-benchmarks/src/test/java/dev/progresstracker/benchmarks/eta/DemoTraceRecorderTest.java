package dev.progresstracker.benchmarks.eta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.storage.FileProgressStore;
import dev.progresstracker.storage.FileStoreConfig;
import dev.progresstracker.test.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder reads what a tracker journalled in a real file store, as the demo's store holds it. */
class DemoTraceRecorderTest {

    @TempDir
    Path dir;

    private void run(FileStoreConfig config, String runId, boolean complete) {
        run(config, runId, complete, false);
    }

    /** @param compact snapshot (and so compact the journal) after each step */
    private void run(FileStoreConfig config, String runId, boolean complete, boolean compact) {
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        try (FileProgressStore store =
                        FileProgressStore.builder().config(config).clock(clock).build();
                ProgressTracker t = ProgressTracker.builder()
                        .runId(runId)
                        .clock(clock)
                        .store(store)
                        .build()) {
            t.addTasks(List.of(
                    TaskSpec.of("a", "A", TaskType.VALIDATION),
                    TaskSpec.of("b", "B", TaskType.UPGRADE_STEP).withWeight(2)));
            t.startUpgrade(null);
            t.startTask("a");
            clock.advance(Duration.ofSeconds(5));
            t.updateTaskProgress("a", 50);
            clock.advance(Duration.ofSeconds(5));
            t.completeTask("a");
            if (compact) {
                t.flush(Duration.ofSeconds(10));
                store.snapshotAll();
            }
            t.startTask("b");
            t.pauseTask("b", "PDB");
            if (compact) {
                t.flush(Duration.ofSeconds(10));
                store.snapshotAll();
            }
            clock.advance(Duration.ofSeconds(30));
            t.resumeTask("b");
            if (complete) {
                clock.advance(Duration.ofSeconds(20));
                t.completeTask("b");
                t.completeUpgrade();
            }
            t.flush(Duration.ofSeconds(10));
        }
    }

    @Test
    void aCompletedRunBecomesATraceThatReplays() {
        run(FileStoreConfig.builder().directory(dir).build(), "demo-run", true);
        Trace trace = DemoTraceRecorder.read(dir, "demo-run");
        assertThat(trace.name()).isEqualTo("demo-run");
        assertThat(trace.rows())
                .extracting(TraceRow::action)
                .containsExactly(
                        TraceRow.Action.ADDED,
                        TraceRow.Action.ADDED,
                        TraceRow.Action.RUN_STARTED,
                        TraceRow.Action.STARTED,
                        TraceRow.Action.PROGRESS,
                        TraceRow.Action.COMPLETED,
                        TraceRow.Action.STARTED,
                        TraceRow.Action.PAUSED,
                        TraceRow.Action.RESUMED,
                        TraceRow.Action.COMPLETED,
                        TraceRow.Action.RUN_COMPLETED);
        assertThat(trace.rows().get(1).weight()).isEqualTo(2.0);
        assertThat(trace.rows().get(1).type()).isEqualTo("UPGRADE_STEP");
        // Written and read back as CSV (with the provenance comment), it replays through every estimator.
        Path csv = dir.resolve("demo-run.csv");
        TraceCsv.write(trace, csv, List.of("recorded in a test"));
        Trace back = TraceCsv.read("demo-run", in(csv));
        assertThat(back.rows()).isEqualTo(trace.rows());
        EtaReport report = EtaHarness.run(List.of(back), EtaHarness.estimators());
        assertThat(report.replays()).allSatisfy(r -> assertThat(r.points()).hasSize(EtaHarness.CHECKPOINTS.length));
    }

    @Test
    void badInputsAreNamed() {
        run(FileStoreConfig.builder().directory(dir).build(), "unfinished", false);
        assertThatThrownBy(() -> DemoTraceRecorder.read(dir, "unfinished"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("run 'unfinished' is IN_PROGRESS, not COMPLETED: a trace needs the run's true end");
        assertThatThrownBy(() -> DemoTraceRecorder.read(dir, "nope"))
                .hasMessageStartingWith("no run 'nope' is stored under ");
        assertThatThrownBy(() -> DemoTraceRecorder.read(dir.resolve("missing"), "demo-run"))
                .hasMessageStartingWith("no store directory ");
    }

    @Test
    void aJournalThatNoLongerHoldsEveryEventIsRefused() {
        run(
                FileStoreConfig.builder()
                        .directory(dir)
                        .segmentBytes(4096)
                        .retainedEvents(0)
                        .build(),
                "compacted",
                true,
                true);
        assertThatThrownBy(() -> DemoTraceRecorder.read(dir, "compacted"))
                .hasMessageContaining("no longer holds all")
                .hasMessageContaining("TRACKER_STORAGE_RETAINED_EVENTS");
    }

    private static java.io.InputStream in(Path p) {
        try {
            return java.nio.file.Files.newInputStream(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

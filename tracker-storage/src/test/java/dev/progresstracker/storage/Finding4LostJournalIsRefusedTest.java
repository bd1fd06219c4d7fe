package dev.progresstracker.storage;

import static dev.progresstracker.storage.IntegrityRuns.appendAll;
import static dev.progresstracker.storage.IntegrityRuns.assertHoldsExactly;
import static dev.progresstracker.storage.IntegrityRuns.files;
import static dev.progresstracker.storage.IntegrityRuns.runDir;
import static dev.progresstracker.storage.IntegrityRuns.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.NonClosingStore;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finding 4 of issue 16: a run without a snapshot yet (its first 10,000 events) whose journal was deleted or
 * emptied loaded as NOT_STARTED with lastSequence 0 and the next append got sequence 1. Now the run marker,
 * written when the run's first event became durable, says the run had events, and the open is refused (every
 * time) until the loss is accepted.
 */
class Finding4LostJournalIsRefusedTest {

    private static final String RUN = "finding-4";

    @TempDir
    Path root;

    private List<ProgressEvent> runWithoutSnapshot(int n) {
        List<ProgressEvent> events = IntegrityRuns.events(RUN, n);
        try (FileProgressStore s =
                store(root, b -> b.snapshotMinEvents(1_000_000).snapshotOnClose(false))) {
            appendAll(s, events);
        }
        return events;
    }

    private void loseJournal(boolean delete) throws Exception {
        List<Path> journal = files(runDir(root, RUN), "journal-0");
        assertThat(journal).hasSize(1);
        if (delete) {
            Files.delete(journal.get(0));
        } else {
            new RandomAccessFile(journal.get(0).toFile(), "rw").setLength(0);
        }
        assertThat(files(runDir(root, RUN), "snapshot-")).isEmpty();
    }

    @ParameterizedTest(name = "journal deleted: {0}")
    @ValueSource(booleans = {true, false})
    void finding4_aLostJournalIsRefusedOnEveryOpenUntilTheLossIsAccepted(boolean delete) throws Exception {
        runWithoutSnapshot(50);
        loseJournal(delete);
        for (int open = 1; open <= 2; open++) {
            try (FileProgressStore s = store(root, b -> b)) {
                assertThatThrownBy(() -> s.loadRun(RUN))
                        .as("open %d", open)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(RUN)
                        .hasMessageContaining("only 0 can be restored")
                        .hasMessageContaining("deleted or emptied");
                assertThat(s.listRuns()).isEmpty();
            }
        }
        try (IntegrityRuns.Logs logs = new IntegrityRuns.Logs();
                FileProgressStore s = store(root, b -> b.acceptLoss(true))) {
            assertThat(s.loadRun(RUN).orElseThrow().lastSequence()).isZero();
            assertThat(logs.warnings()).anyMatch(w -> w.contains("LOSS ACCEPTED") && w.contains(RUN));
            try (ProgressTracker t = ProgressTracker.builder()
                    .runId(RUN)
                    .store(new NonClosingStore(s))
                    .build()) {
                assertThat(t.addTask("again", "Again", TaskType.CLEANUP, null)
                                .toCompletableFuture()
                                .join())
                        .isEqualTo(1);
            }
        }
        try (FileProgressStore s = store(root, b -> b)) {
            assertThat(s.loadRun(RUN).orElseThrow().lastSequence())
                    .as("accepted once, not refused again")
                    .isEqualTo(1);
        }
    }

    @Test
    void finding4_aLostJournalAfterACrashIsRefusedToo() throws Exception {
        try (ChildJvm child = ChildJvm.start("part1", root.toString(), RUN)) {
            assertThat(child.waitForExit()).isZero(); // halts without close: no final snapshot, no marker update
            assertThat(child.acks()).isNotEmpty();
        }
        assertThat(files(runDir(root, RUN), "snapshot-")).isEmpty();
        Files.delete(files(runDir(root, RUN), "journal-0").get(0));
        for (int open = 1; open <= 2; open++) {
            try (FileProgressStore s = store(root, b -> b)) {
                assertThatThrownBy(() -> s.loadRun(RUN))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("deleted or emptied");
            }
        }
    }

    @Test
    void finding4_aRunWhoseJournalIsIntactOrThatIsNewOpensNormally() {
        List<ProgressEvent> events = runWithoutSnapshot(50);
        try (FileProgressStore s = store(root, b -> b)) {
            assertHoldsExactly(s, events, 50);
            assertThat(s.loadRun("brand-new")).isEmpty();
            List<ProgressEvent> fresh = IntegrityRuns.events("brand-new", 5);
            appendAll(s, fresh);
            assertHoldsExactly(s, fresh, 5);
        }
        try (FileProgressStore s = store(root, b -> b)) {
            assertHoldsExactly(s, events, 50);
            assertThat(s.listRuns()).hasSize(2);
        }
    }

    @Test
    void finding4_aRunWithASnapshotAndNoJournalLoadsFromTheSnapshot() throws Exception {
        List<ProgressEvent> events = IntegrityRuns.events(RUN, 30);
        try (FileProgressStore s = store(root, b -> b)) {
            appendAll(s, events);
        } // final snapshot at 30
        for (Path p : files(runDir(root, RUN), "journal-0")) {
            Files.delete(p);
        }
        try (FileProgressStore s = store(root, b -> b)) {
            assertThat(s.loadRun(RUN).orElseThrow()).isEqualTo(IntegrityRuns.fold(events, 30));
        }
    }
}

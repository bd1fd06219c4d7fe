package dev.progresstracker.storage;

import static dev.progresstracker.storage.IntegrityRuns.appendAll;
import static dev.progresstracker.storage.IntegrityRuns.assertHoldsExactly;
import static dev.progresstracker.storage.IntegrityRuns.runDir;
import static dev.progresstracker.storage.IntegrityRuns.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 6 of issue 16 (listing): a directory under {@code runs/} holding a garbage journal was listed as a
 * run, and a second store on a directory another store holds open listed {@code []} silently while
 * {@code loadRun} threw. Now only real runs (a run marker, or data that checks out) are listed, others are
 * skipped with one WARN, and a run another writer holds is listed as read from disk with a WARN.
 */
class Finding6ListRunsTest {

    @TempDir
    Path root;

    @Test
    void finding6_aDirectoryThatIsNoRunIsSkippedWithOneWarn() throws Exception {
        List<ProgressEvent> events = IntegrityRuns.events("real", 12);
        Path garbage = Files.createDirectories(root.resolve("runs").resolve("garbage"));
        Files.write(
                garbage.resolve("journal-00000000000000000001.log"),
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Files.createDirectories(root.resolve("runs").resolve("empty-dir"));
        byte[] before = Files.readAllBytes(garbage.resolve("journal-00000000000000000001.log"));
        try (IntegrityRuns.Logs logs = new IntegrityRuns.Logs();
                FileProgressStore s = store(root, b -> b)) {
            appendAll(s, events);
            for (int i = 0; i < 3; i++) {
                assertThat(s.listRuns()).extracting(RunInfo::runId).containsExactly("real");
            }
            assertThat(s.loadRun("garbage")).isEmpty();
            assertThat(s.storageInfo().runs()).isEqualTo(1);
            assertThat(logs.warnings().stream().filter(w -> w.contains("garbage")))
                    .as("one WARN per directory")
                    .hasSize(1)
                    .allMatch(w -> w.contains("not a run"));
            assertThat(logs.warnings().stream().filter(w -> w.contains("empty-dir")))
                    .hasSize(1);
        }
        assertThat(Files.readAllBytes(garbage.resolve("journal-00000000000000000001.log")))
                .as("left alone")
                .isEqualTo(before);
        assertThat(garbage.resolve("run.json")).doesNotExist();
    }

    @Test
    void finding6_aRunWrittenBeforeMarkersExistedIsStillListedAndGetsItsMarker() throws Exception {
        List<ProgressEvent> events = IntegrityRuns.events("legacy", 30);
        try (FileProgressStore s =
                store(root, b -> b.snapshotMinEvents(1_000_000).snapshotOnClose(false))) {
            appendAll(s, events);
        }
        Files.delete(runDir(root, "legacy").resolve("run.json"));
        try (FileProgressStore s = store(root, b -> b)) {
            assertThat(s.listRuns()).extracting(RunInfo::runId).containsExactly("legacy");
            assertHoldsExactly(s, events, 30);
        }
        assertThat(Files.readString(runDir(root, "legacy").resolve("run.json"))).contains("\"highWaterSequence\":30");
    }

    @Test
    void finding6_aSecondStoreListsARunTheFirstHoldsOpenFromDiskAndSaysSo() {
        List<ProgressEvent> events = IntegrityRuns.events("owned", 25);
        try (IntegrityRuns.Logs logs = new IntegrityRuns.Logs();
                FileProgressStore first = store(root, b -> b);
                FileProgressStore second = store(root, b -> b)) {
            appendAll(first, events);
            for (int i = 0; i < 2; i++) {
                assertThat(second.listRuns()).singleElement().satisfies(info -> {
                    assertThat(info.runId()).isEqualTo("owned");
                    assertThat(info.lastSequence()).isEqualTo(25);
                });
            }
            assertThat(logs.warnings().stream().filter(w -> w.contains("open in another store or process")))
                    .hasSize(1);
            assertThatThrownBy(() -> second.loadRun("owned"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("owned")
                    .hasMessageContaining("already open")
                    .hasMessageContaining("FileProgressStore.readOnly");
            appendAll(first, IntegrityRuns.events("owned", 26).subList(25, 26));
            assertThat(second.listRuns())
                    .singleElement()
                    .satisfies(info -> assertThat(info.lastSequence()).isEqualTo(26));
        }
    }
}

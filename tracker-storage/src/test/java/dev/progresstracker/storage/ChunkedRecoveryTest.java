package dev.progresstracker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.journal.Durability;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.NonClosingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery of a run big enough that the journal replay and the snapshot load both span many chunks
 * parsed on helper threads: the restored state must equal the one the store held before, task for
 * task and in order.
 */
class ChunkedRecoveryTest {

    private static final int TASKS = 5_000;

    @TempDir
    Path dir;

    @Test
    void replayAndSnapshotLoadAcrossManyChunksRestoreTheExactState() throws Exception {
        FileStoreConfig cfg = FileStoreConfig.builder()
                .directory(dir)
                .durability(Durability.NONE)
                .snapshotMinEvents(1_000_000)
                .snapshotOnClose(false)
                .build();
        RunState expected;
        try (FileProgressStore store = FileProgressStore.builder().config(cfg).build();
                ProgressTracker t = ProgressTracker.builder()
                        .runId("big")
                        .store(new NonClosingStore(store))
                        .clock(MutableClock.at("2026-11-23T10:00:00Z"))
                        .build()) {
            List<TaskSpec> specs = new ArrayList<>();
            specs.add(TaskSpec.of("root", "Root", TaskType.UPGRADE_PLAN));
            for (int i = 0; i < TASKS; i++) {
                specs.add(TaskSpec.child(
                        "root", "t-" + i, "Task " + i, i % 3 == 0 ? TaskType.VALIDATION : TaskType.of("custom")));
            }
            t.addTasks(specs);
            t.startUpgrade("one");
            for (int i = 0; i < TASKS; i += 7) {
                t.startTask("t-" + i);
                t.updateTaskProgress("t-" + i, 33.3, "a third", Map.of("i", i, "list", List.of(1.5, "x", true)));
                if (i % 2 == 0) {
                    t.completeTask("t-" + i);
                }
            }
            t.flush(Duration.ofSeconds(30));
            // The live projection is the oracle (a parent's rolled-up percent travels in no event of its own).
            expected = store.loadRun("big").orElseThrow();
        }
        assertThat(Files.list(dir.resolve("runs/big")))
                .noneMatch(p -> p.getFileName().toString().startsWith("snapshot-"));

        // Crash-like: nothing but the journal (thousands of records, many replay chunks).
        try (FileProgressStore store = FileProgressStore.builder()
                .config(cfg.toBuilder().snapshotOnClose(true).build())
                .build()) {
            assertSameState(store.loadRun("big").orElseThrow(), expected);
        } // clean close: a final snapshot with every task
        assertThat(Files.list(dir.resolve("runs/big")))
                .anyMatch(p -> p.getFileName().toString().startsWith("snapshot-"));

        // Snapshot only (many task chunks), nothing to replay.
        try (FileProgressStore store = FileProgressStore.builder().config(cfg).build()) {
            assertSameState(store.loadRun("big").orElseThrow(), expected);
        }
        assertThat(dir.resolve("runs/big/quarantine")).doesNotExist();
    }

    private static void assertSameState(RunState actual, RunState expected) {
        assertThat(actual.tasks()).hasSize(TASKS + 1);
        assertThat(actual.tasks()).containsExactlyElementsOf(expected.tasks());
        assertThat(actual.info().lastSequence()).isEqualTo(expected.info().lastSequence());
        assertThat(WireFormat.toJson(actual)).isEqualTo(WireFormat.toJson(expected));
    }
}

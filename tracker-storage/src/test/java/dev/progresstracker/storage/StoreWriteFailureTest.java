package dev.progresstracker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.journal.Durability;
import dev.progresstracker.journal.FaultyJournalFiles;
import dev.progresstracker.journal.Journal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 2 of issue 16 with injected faults (EIO, ENOSPC) under a real {@link ProgressTracker} in SYNC
 * mode: nothing wedges, every acknowledged event is stored exactly once and in order, no snapshot runs
 * ahead of the journal, a close while failing ends every stage, and the next opens load exactly the
 * acknowledged events and go on.
 */
class StoreWriteFailureTest {

    private static final String RUN = "write-failure-run";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final FaultyJournalFiles faults = new FaultyJournalFiles();

    private FileStoreConfig config() {
        // Small snapshot cadence so snapshots are due while writes fail.
        return FileStoreConfig.builder()
                .directory(dir)
                .durability(Durability.SYNC)
                .snapshotMinEvents(5)
                .segmentBytes(8192)
                .build();
    }

    private ProgressTracker tracker(FileProgressStore store) {
        return ProgressTracker.builder()
                .runId(RUN)
                .clusterName("fault-test")
                .store(store)
                .config(TrackerConfig.builder()
                        .closeTimeout(Duration.ofSeconds(2))
                        .build())
                .build();
    }

    private static List<CompletableFuture<Long>> progress(ProgressTracker t, int calls, double from) {
        List<CompletableFuture<Long>> out = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            out.add(t.updateTaskProgress("task-" + (i % 3), Math.min(99.0, from + i * 0.1), "step " + i, null)
                    .toCompletableFuture());
        }
        return out;
    }

    private static long joinAll(List<CompletableFuture<Long>> stages, long expectedFirst) {
        long expected = expectedFirst;
        for (CompletableFuture<Long> s : stages) {
            assertThat(s.join()).isEqualTo(expected++);
        }
        return expected - 1;
    }

    private static long start(ProgressTracker t) {
        List<CompletableFuture<Long>> s = new ArrayList<>();
        s.add(t.startUpgrade("upgrade").toCompletableFuture());
        for (int i = 0; i < 3; i++) {
            s.add(t.addTask("task-" + i, "Task " + i, TaskType.UPGRADE_STEP, null)
                    .toCompletableFuture());
            s.add(t.startTask("task-" + i).toCompletableFuture());
        }
        return joinAll(s, 1);
    }

    /** Opens the run in a fresh store: exactly {@code acknowledged} events, gap-free, state equal to their fold. */
    private void assertStoredExactly(long acknowledged) {
        try (FileProgressStore store =
                FileProgressStore.builder().config(config()).build()) {
            IntegrityRuns.assertStoredExactly(store, RUN, acknowledged);
        }
    }

    private List<Long> snapshotSequences() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("runs").resolve(RUN))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("snapshot-") && n.endsWith(".json"))
                    .map(n -> Long.parseLong(n.substring("snapshot-".length(), n.length() - ".json".length())))
                    .toList();
        }
    }

    private void assertNothingQuarantined() throws IOException {
        Path q = dir.resolve("runs").resolve(RUN).resolve(Journal.QUARANTINE_DIR);
        if (Files.isDirectory(q)) {
            try (Stream<Path> s = Files.list(q)) {
                assertThat(s.toList()).isEmpty();
            }
        }
    }

    @Test
    void eioWhileTheTrackerRunsHoldsEveryEventInOrderAndTheRunContinuesAfterHealing() throws IOException {
        FileProgressStore store =
                FileProgressStore.builder().config(config()).files(faults).build();
        ProgressTracker tracker = tracker(store);
        long acked = start(tracker);
        acked = joinAll(progress(tracker, 40, 1.0), acked + 1);

        faults.failWritesAfter(0, FaultyJournalFiles.EIO);
        List<CompletableFuture<Long>> held = progress(tracker, 60, 10.0);
        await().atMost(WAIT).until(() -> store.health(RUN).backlogEvents() == 60);
        StoreHealth h = store.health(RUN);
        assertThat(h.state()).isEqualTo(StoreHealth.State.RETRYING);
        assertThat(h.problem()).contains(FaultyJournalFiles.EIO);
        assertThat(held).noneMatch(CompletableFuture::isDone);
        assertThat(snapshotSequences()).allMatch(seq -> seq <= 47, "no snapshot past the durable end");

        faults.heal();
        acked = joinAll(held, acked + 1);
        await().atMost(WAIT).until(() -> store.health(RUN).isWriting());
        acked = joinAll(progress(tracker, 10, 20.0), acked + 1);
        assertThat(tracker.flush(WAIT)).isTrue();
        tracker.close();

        assertThat(acked).isEqualTo(7 + 40 + 60 + 10);
        assertStoredExactly(acked);
        assertNothingQuarantined();
        try (ProgressTracker again =
                tracker(FileProgressStore.builder().config(config()).build())) {
            assertThat(again.updateTaskProgress("task-0", 50.0)
                            .toCompletableFuture()
                            .join())
                    .isEqualTo(acked + 1);
        }
        assertStoredExactly(acked + 1);
    }

    @Test
    void closeWhileTheDiskIsFullFailsThePendingStagesAndTheNextOpenLoadsExactlyTheAcknowledged() throws IOException {
        FileProgressStore store =
                FileProgressStore.builder().config(config()).files(faults).build();
        ProgressTracker tracker = tracker(store);
        long acked = start(tracker);
        acked = joinAll(progress(tracker, 20, 1.0), acked + 1);

        faults.failWritesAfter(40, FaultyJournalFiles.ENOSPC); // the first failing write tears a record
        List<CompletableFuture<Long>> pending = progress(tracker, 15, 10.0);
        await().atMost(WAIT).until(() -> store.health(RUN).backlogEvents() == 15);

        tracker.close(); // closes the store: one more try, then the stages fail

        assertThat(pending).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThatThrownBy(pending.get(0)::join)
                .isInstanceOf(CompletionException.class)
                .hasMessageContaining(FaultyJournalFiles.ENOSPC);
        long lastAcked = acked;
        assertThat(snapshotSequences())
                .as("no snapshot holds an unacknowledged event")
                .allMatch(seq -> seq <= lastAcked);

        assertStoredExactly(acked); // the space is back: a healthy store opens it
        assertNothingQuarantined();
        try (ProgressTracker again =
                tracker(FileProgressStore.builder().config(config()).build())) {
            assertThat(again.snapshot().lastSequence()).isEqualTo(acked);
            assertThat(again.updateTaskProgress("task-1", 60.0)
                            .toCompletableFuture()
                            .join())
                    .isEqualTo(acked + 1);
        }
        assertStoredExactly(acked + 1);
    }

    @Test
    void healthAndMaxEventBytesComeFromTheStore() {
        FileStoreConfig cfg = config().toBuilder().maxEventBytes(65_536).build();
        try (FileProgressStore store = FileProgressStore.builder().config(cfg).build()) {
            assertThat(store.maxEventBytes()).isEqualTo(65_536);
            assertThat(store.health("never-opened")).isEqualTo(StoreHealth.WRITING);
        }
    }
}

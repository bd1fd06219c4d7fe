package dev.progresstracker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.test.NonClosingStore;
import dev.progresstracker.test.SampleRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged journals and snapshots under a whole store: what recovery keeps, and that it never starts empty. */
class StoreCorruptionTest {

    @TempDir
    Path dir;

    private static final String RUN = "damaged";

    private FileProgressStore store(long snapshotMinEvents) {
        return FileProgressStore.builder()
                .config(FileStoreConfig.builder()
                        .directory(dir)
                        .snapshotMinEvents(snapshotMinEvents)
                        .snapshotOnClose(false)
                        .build())
                .build();
    }

    private Path runDir() {
        return dir.resolve("runs").resolve(RUN);
    }

    private List<Path> files(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(runDir())) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && !p.getFileName().toString().endsWith(".tmp"))
                    .sorted()
                    .toList();
        }
    }

    private static RunState stateAfter(List<ProgressEvent> events, int count) {
        RunProjection p = new RunProjection(RUN, RunProjection.Mode.CONTIGUOUS);
        events.subList(0, count).forEach(p::apply);
        return p.snapshot();
    }

    private List<ProgressEvent> write(long snapshotMinEvents) {
        List<ProgressEvent> events = SampleRuns.upgrade(RUN);
        try (FileProgressStore s = store(snapshotMinEvents)) {
            for (ProgressEvent e : events) {
                s.append(e).toCompletableFuture().join();
            }
        }
        return events;
    }

    /**
     * Writes the sample run with a snapshot taken after half of its events and one after all of them
     * (two on disk, deterministically: no background snapshot).
     */
    private List<ProgressEvent> writeWithTwoSnapshots() {
        List<ProgressEvent> events = SampleRuns.upgrade(RUN);
        try (FileProgressStore s = store(1_000_000)) {
            for (int i = 0; i < events.size(); i++) {
                s.append(events.get(i)).toCompletableFuture().join();
                if (i == events.size() / 2 || i == events.size() - 1) {
                    s.snapshotAll();
                }
            }
        }
        return events;
    }

    @Test
    void truncatingTheLastRecordAtEveryByteLosesOnlyThatRecordAndTheTrackerGoesOn() throws Exception {
        List<ProgressEvent> events = write(1_000_000);
        Path journal = files("journal-").get(0);
        byte[] original = Files.readAllBytes(journal);
        int lastLen = Frames.frameOf(events.get(events.size() - 1));
        int lastStart = original.length - lastLen;
        for (int cut = lastStart; cut < original.length; cut++) {
            Files.write(journal, Arrays.copyOf(original, cut));
            try (FileProgressStore s = store(1_000_000)) {
                RunState state = s.loadRun(RUN).orElseThrow();
                assertThat(state).as("cut at %d", cut).isEqualTo(stateAfter(events, events.size() - 1));
                try (ProgressTracker t = ProgressTracker.builder()
                        .runId(RUN)
                        .store(new NonClosingStore(s))
                        .build()) {
                    assertThat(t.addTask("after-" + cut, "After", TaskType.CLEANUP, null)
                                    .toCompletableFuture()
                                    .join())
                            .isEqualTo(events.size());
                }
            }
            s_deleteQuarantine();
        }
    }

    private void s_deleteQuarantine() throws IOException {
        Path q = runDir().resolve("quarantine");
        if (Files.isDirectory(q)) {
            try (Stream<Path> s = Files.list(q)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void flippedBitsAndZeroFilledTailsCutTheJournalAndKeepTheBytes() throws Exception {
        List<ProgressEvent> events = write(1_000_000);
        Path journal = files("journal-").get(0);
        byte[] original = Files.readAllBytes(journal);
        int lastStart = original.length - Frames.frameOf(events.get(events.size() - 1));
        byte[] flipped = original.clone();
        flipped[lastStart + 40] ^= 0x10;
        Files.write(journal, flipped);
        try (FileProgressStore s = store(1_000_000)) {
            assertThat(s.loadRun(RUN).orElseThrow()).isEqualTo(stateAfter(events, events.size() - 1));
        }
        assertThat(runDir().resolve("quarantine").resolve(journal.getFileName() + "." + lastStart + ".bad"))
                .exists();

        Files.write(journal, new byte[8192], StandardOpenOption.APPEND);
        try (FileProgressStore s = store(1_000_000)) {
            assertThat(s.loadRun(RUN).orElseThrow().lastSequence()).isEqualTo(events.size() - 1);
        }
        assertThat(Files.size(journal)).isEqualTo(lastStart);
    }

    @Test
    void aDeletedOrCorruptSnapshotFallsBackToThePreviousOneOrTheJournal() throws Exception {
        List<ProgressEvent> events = writeWithTwoSnapshots();
        RunState full = stateAfter(events, events.size());
        List<Path> snaps = files("snapshot-");
        assertThat(snaps).hasSize(2);
        Files.delete(snaps.get(1));
        try (FileProgressStore s = store(1_000_000)) {
            assertThat(s.loadRun(RUN).orElseThrow()).isEqualTo(full);
        }
        byte[] older = Files.readAllBytes(snaps.get(0));
        older[older.length / 2] ^= 0x01;
        Files.write(snaps.get(0), older);
        try (FileProgressStore s = store(1_000_000)) {
            assertThat(s.loadRun(RUN).orElseThrow()).isEqualTo(full);
        }
        assertThat(runDir().resolve("quarantine").resolve(snaps.get(0).getFileName() + ".bad"))
                .exists();
    }

    @Test
    void whenNothingCanRestoreTheRunReadsFailInsteadOfStartingEmpty() throws Exception {
        List<ProgressEvent> events = SampleRuns.upgrade(RUN);
        FileStoreConfig cfg = FileStoreConfig.builder()
                .directory(dir)
                .snapshotMinEvents(4)
                .retainedEvents(0)
                .segmentBytes(4096)
                .snapshotOnClose(true)
                .build();
        try (FileProgressStore s = FileProgressStore.builder().config(cfg).build()) {
            for (ProgressEvent e : events) {
                s.append(e).toCompletableFuture().join();
            }
            s.snapshotAll();
        }
        assertThat(files("journal-").get(0).getFileName().toString()).isNotEqualTo("journal-00000000000000000001.log");
        for (Path p : files("snapshot-")) {
            Files.write(p, "{\"run\":".getBytes());
        }
        try (FileProgressStore s = store(1_000_000)) {
            assertThatThrownBy(() -> s.loadRun(RUN))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(RUN)
                    .hasMessageContaining("cannot be recovered");
            assertThat(s.listRuns()).isEmpty();
        }
    }

    /** Frame size of an event's journal record. */
    private static final class Frames {
        static int frameOf(ProgressEvent e) {
            return dev.progresstracker.journal.FrameReader.frameBytes(dev.progresstracker.core.json.WireFormat.toJson(e)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    .length);
        }
    }
}

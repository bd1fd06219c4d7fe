package dev.progresstracker.storage;

import static dev.progresstracker.storage.IntegrityRuns.appendAll;
import static dev.progresstracker.storage.IntegrityRuns.assertHoldsExactly;
import static dev.progresstracker.storage.IntegrityRuns.files;
import static dev.progresstracker.storage.IntegrityRuns.runDir;
import static dev.progresstracker.storage.IntegrityRuns.store;
import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.event.ProgressEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 5 of issue 16: a garbage file named {@code snapshot-999999.json} in a healthy run made the run
 * unreadable, because the sequence was taken from the name. Now a snapshot's sequence comes from its verified
 * content; a bad file is set aside once (never twice for the same bytes) and the run recovers from the rest.
 */
class Finding5GarbageSnapshotTest {

    private static final String RUN = "finding-5";
    private static final int EVENTS = 60;

    @TempDir
    Path root;

    private List<ProgressEvent> healthyRun() {
        List<ProgressEvent> events = IntegrityRuns.events(RUN, EVENTS);
        try (FileProgressStore s = store(root, b -> b.snapshotMinEvents(20))) {
            appendAll(s, events);
        }
        return events;
    }

    private Path quarantine() {
        return runDir(root, RUN).resolve("quarantine");
    }

    @Test
    void finding5_aGarbageSnapshotNamedForAHighSequenceIsSetAsideAndTheRunOpensWithAllEvents() throws Exception {
        List<ProgressEvent> events = healthyRun();
        Path dir = runDir(root, RUN);
        byte[] garbage = "garbage, not a snapshot\n".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("snapshot-999999.json"), garbage);
        Files.write(
                dir.resolve("snapshot-00000000000000999998.json"), "{\"run\":{}}\n".getBytes(StandardCharsets.UTF_8));
        for (int open = 1; open <= 2; open++) {
            try (FileProgressStore s = store(root, b -> b)) {
                assertHoldsExactly(s, events, EVENTS);
                assertThat(s.listRuns())
                        .singleElement()
                        .satisfies(i -> assertThat(i.lastSequence()).isEqualTo(EVENTS));
            }
        }
        assertThat(files(quarantine(), ""))
                .extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("snapshot-999999.json.bad", "snapshot-00000000000000999998.json.bad");

        // The same bytes again: not kept a second time. Different bytes under the same name: kept.
        Files.write(dir.resolve("snapshot-999999.json"), garbage);
        try (FileProgressStore s = store(root, b -> b)) {
            assertHoldsExactly(s, events, EVENTS);
        }
        assertThat(files(quarantine(), "snapshot-999999")).hasSize(1);
        Files.write(dir.resolve("snapshot-999999.json"), "other garbage".getBytes(StandardCharsets.UTF_8));
        try (FileProgressStore s = store(root, b -> b)) {
            assertHoldsExactly(s, events, EVENTS);
            StorageInfo info = s.storageInfo();
            long kept = 0;
            for (Path p : files(quarantine(), "")) {
                kept += Files.size(p);
            }
            assertThat(info.quarantineFiles()).isEqualTo(3);
            assertThat(info.quarantineBytes()).isEqualTo(kept);
        }
        assertThat(files(quarantine(), "snapshot-999999")).hasSize(2);
    }

    @Test
    void finding5_aValidSnapshotUnderAnotherSequencesNameIsNotBelieved() throws Exception {
        List<ProgressEvent> events = healthyRun();
        Path dir = runDir(root, RUN);
        Path newest = files(dir, "snapshot-").get(files(dir, "snapshot-").size() - 1);
        Files.copy(newest, dir.resolve("snapshot-00000000000000000500.json"));
        try (FileProgressStore s = store(root, b -> b)) {
            assertHoldsExactly(s, events, EVENTS);
            s.append(IntegrityRuns.events(RUN, EVENTS + 1).get(EVENTS))
                    .toCompletableFuture()
                    .join();
            assertThat(s.loadRun(RUN).orElseThrow().lastSequence()).isEqualTo(EVENTS + 1);
        }
        assertThat(files(quarantine(), "snapshot-00000000000000000500.json.bad"))
                .hasSize(1);
    }

    @Test
    void theSameTornTailIsKeptOnceHoweverOftenItIsCut() throws Exception {
        List<ProgressEvent> events = IntegrityRuns.events(RUN, 20);
        try (FileProgressStore s =
                store(root, b -> b.snapshotMinEvents(1_000_000).snapshotOnClose(false))) {
            appendAll(s, events);
        }
        Path journal = files(runDir(root, RUN), "journal-0").get(0);
        long end = Files.size(journal);
        byte[] torn = {0, 0, 0, 50, 1, 2, 3, 4, '{', '"'};
        for (int round = 1; round <= 3; round++) {
            Files.write(journal, torn, StandardOpenOption.APPEND);
            try (FileProgressStore s =
                    store(root, b -> b.snapshotMinEvents(1_000_000).snapshotOnClose(false))) {
                assertHoldsExactly(s, events, 20);
            }
            assertThat(Files.size(journal)).isEqualTo(end);
            assertThat(files(quarantine(), "")).as("round %d", round).hasSize(1);
        }
        assertThat(Files.readAllBytes(files(quarantine(), "").get(0))).isEqualTo(torn);
    }
}

package dev.progresstracker.storage;

import static dev.progresstracker.storage.IntegrityRuns.appendAll;
import static dev.progresstracker.storage.IntegrityRuns.assertHoldsExactly;
import static dev.progresstracker.storage.IntegrityRuns.files;
import static dev.progresstracker.storage.IntegrityRuns.offsetAfter;
import static dev.progresstracker.storage.IntegrityRuns.runDir;
import static dev.progresstracker.storage.IntegrityRuns.sequences;
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
 * Finding 3 of issue 16: a cleanly closed run of 401 events with a damaged snapshot and a journal cut after
 * event 200. The first open refused it but had already moved the snapshot away, so the second open loaded 200
 * of 401 silently and the next append reused 201. Now every open, in this JVM and in another, refuses the same
 * way until the caller accepts the loss; then the run holds exactly events 1..200 and continues at 201.
 */
class Finding3RefusedOpenStaysRefusedTest {

    private static final String RUN = "finding-3";
    private static final int STORED = 401;
    private static final int LEFT = 200;

    @TempDir
    Path root;

    private List<ProgressEvent> damagedRun(boolean cutSnapshotShort) throws Exception {
        List<ProgressEvent> events = IntegrityRuns.events(RUN, STORED);
        try (FileProgressStore s = store(root, b -> b.snapshotMinEvents(1_000_000))) {
            appendAll(s, events);
        } // close: final snapshot at 401, journal rolls to a new segment
        Path dir = runDir(root, RUN);
        List<Path> snaps = files(dir, "snapshot-");
        assertThat(snaps).hasSize(1);
        try (RandomAccessFile f = new RandomAccessFile(snaps.get(0).toFile(), "rw")) {
            if (cutSnapshotShort) {
                f.setLength(f.length() / 2); // trailer gone: the file itself proves nothing any more
            } else {
                f.seek(f.length() / 2);
                int b = f.read();
                f.seek(f.length() / 2);
                f.write(b ^ 0x20); // body fails its CRC, trailer intact
            }
        }
        Path journal = files(dir, "journal-0").get(0);
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
            f.setLength(offsetAfter(events, LEFT));
        }
        return events;
    }

    @ParameterizedTest(name = "snapshot cut short: {0}")
    @ValueSource(booleans = {false, true})
    void finding3_everyOpenRefusesTheSameWayInThisJvmAndInAnother(boolean cutSnapshotShort) throws Exception {
        damagedRun(cutSnapshotShort);
        String first = refusal();
        assertThat(first)
                .contains(RUN)
                .contains("cannot be recovered")
                .contains("sequence " + STORED)
                .contains("only " + LEFT)
                .contains("acceptLoss");
        List<Path> quarantined = files(runDir(root, RUN).resolve("quarantine"), "");

        assertThat(refusal()).as("second open in this JVM").isEqualTo(first);
        try (ChildJvm child = ChildJvm.start("load", root.toString(), RUN)) {
            assertThat(child.waitForExit()).isZero();
            assertThat(child.line("REFUSED "))
                    .as("open in another JVM")
                    .contains("sequence " + STORED)
                    .contains("only " + LEFT);
        }
        assertThat(refusal()).as("third open").isEqualTo(first);
        assertThat(files(runDir(root, RUN).resolve("quarantine"), ""))
                .as("nothing set aside twice")
                .isEqualTo(quarantined);
        try (FileProgressStore s = store(root, b -> b)) {
            assertThat(s.listRuns())
                    .as("a refused run is not listed as if it were short")
                    .isEmpty();
        }
    }

    private String refusal() {
        try (FileProgressStore s = store(root, b -> b)) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> s.loadRun(RUN));
            assertThat(t).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(
                            () -> s.append(IntegrityRuns.events(RUN, LEFT + 1).get(LEFT)))
                    .as("no append onto a refused run")
                    .isInstanceOf(IllegalStateException.class);
            return t.getMessage();
        }
    }

    @Test
    void finding3_acceptLossLoadsWhatIsLeftWithAWarnAndTheRunContinuesGapFree() throws Exception {
        List<ProgressEvent> events = damagedRun(false);
        try (IntegrityRuns.Logs logs = new IntegrityRuns.Logs();
                FileProgressStore s = store(root, b -> b.acceptLoss(true))) {
            assertHoldsExactly(s, events, LEFT);
            assertThat(logs.warnings())
                    .anyMatch(w -> w.contains("LOSS ACCEPTED")
                            && w.contains("sequence " + STORED)
                            && w.contains("only " + LEFT)
                            && w.contains(RUN));
            try (ProgressTracker t = ProgressTracker.builder()
                    .runId(RUN)
                    .store(new NonClosingStore(s))
                    .build()) {
                assertThat(t.addTask("after", "After", TaskType.CLEANUP, null)
                                .toCompletableFuture()
                                .join())
                        .as("next sequence after what was loaded")
                        .isEqualTo(LEFT + 1);
            }
        }
        // Accepted once: later opens (default settings, other JVMs) load 201 without refusing again.
        try (FileProgressStore s = store(root, b -> b)) {
            assertThat(s.loadRun(RUN).orElseThrow().lastSequence()).isEqualTo(LEFT + 1);
            List<ProgressEvent> stored =
                    s.eventsSince(RUN, 0, Integer.MAX_VALUE).orElseThrow();
            assertThat(stored).extracting(ProgressEvent::sequence).containsExactlyElementsOf(sequences(1, LEFT + 1));
            assertThat(stored.subList(0, LEFT)).isEqualTo(events.subList(0, LEFT));
        }
        try (ChildJvm child = ChildJvm.start("load", root.toString(), RUN)) {
            assertThat(child.waitForExit()).isZero();
            assertThat(child.line("LOADED ")).isEqualTo(String.valueOf(LEFT + 1));
        }
        assertThat(Files.readString(runDir(root, RUN).resolve("run.json")))
                .contains("\"lossAccepted\"")
                .contains("\"from\":" + (LEFT + 1))
                .contains("\"to\":" + STORED);
    }

    @Test
    void finding3_theLossCanBeAcceptedForOneRunByOneCall() throws Exception {
        List<ProgressEvent> events = damagedRun(true);
        try (FileProgressStore s = store(root, b -> b)) {
            assertThatThrownBy(() -> s.loadRun(RUN)).isInstanceOf(IllegalStateException.class);
            assertThat(s.loadRunAcceptingLoss(RUN).orElseThrow().lastSequence()).isEqualTo(LEFT);
            assertHoldsExactly(s, events, LEFT);
            s.append(events.get(LEFT)).toCompletableFuture().join();
        }
        try (FileProgressStore s = store(root, b -> b)) {
            assertHoldsExactly(s, events, LEFT + 1);
        }
    }
}

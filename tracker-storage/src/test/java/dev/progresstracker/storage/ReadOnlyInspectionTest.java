package dev.progresstracker.storage;

import static dev.progresstracker.storage.IntegrityRuns.appendAll;
import static dev.progresstracker.storage.IntegrityRuns.assertHoldsExactly;
import static dev.progresstracker.storage.IntegrityRuns.files;
import static dev.progresstracker.storage.IntegrityRuns.runDir;
import static dev.progresstracker.storage.IntegrityRuns.sequences;
import static dev.progresstracker.storage.IntegrityRuns.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 6 of issue 16 (reading): on a read-only file system nothing could be read ("journal.lock: Read-only
 * file system"), and a run an agent holds open could not be inspected. {@link FileProgressStore#readOnly}
 * reads runs without the lock and without changing a byte: next to a writer in this JVM or another, with a
 * torn tail at the end, and on a read-only mount.
 */
class ReadOnlyInspectionTest {

    private static final String RUN = "inspected";

    @TempDir
    Path root;

    @RegisterExtension
    final TmpfsMount tmpfs = new TmpfsMount();

    @Test
    void finding6_aReadOnlyStoreReadsARunTheWriterHoldsOpenAndFollowsIt() {
        List<ProgressEvent> events = IntegrityRuns.events(RUN, 300);
        try (FileProgressStore writer = store(
                        root, b -> b.snapshotMinEvents(100).retainedEvents(50).segmentBytes(8192));
                FileProgressStore reader = FileProgressStore.readOnly(root)) {
            assertThat(reader.isReadOnly()).isTrue();
            appendAll(writer, events.subList(0, 120));
            assertThat(reader.listRuns()).extracting(RunInfo::lastSequence).containsExactly(120L);
            assertThat(reader.loadRun(RUN).orElseThrow()).isEqualTo(IntegrityRuns.fold(events, 120));
            appendAll(writer, events.subList(120, 300));
            writer.snapshotAll();
            assertThat(reader.loadRun(RUN).orElseThrow())
                    .as("follows appends, snapshots and compaction")
                    .isEqualTo(IntegrityRuns.fold(events, 300));
            List<ProgressEvent> tail = reader.eventsSince(RUN, 260, 1000).orElseThrow();
            assertThat(tail).extracting(ProgressEvent::sequence).containsExactlyElementsOf(sequences(261, 300));
            assertThat(tail).isEqualTo(events.subList(260, 300));
            assertThat(reader.eventsSince(RUN, 0, 10)).as("compacted away").isEmpty();
            assertThat(reader.loadRun("missing")).isEmpty();

            assertThatThrownBy(() -> reader.append(events.get(0)))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("append")
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> reader.deleteRun(RUN))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(reader::applyRetention).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(reader::snapshotAll).isInstanceOf(UnsupportedOperationException.class);
            assertHoldsExactly(writer, events, 300);
        }
    }

    @Test
    void finding6_aTornTailIsReadAroundAndNothingOnDiskChanges() throws Exception {
        List<ProgressEvent> events = IntegrityRuns.events(RUN, 40);
        try (FileProgressStore s =
                store(root, b -> b.snapshotMinEvents(1_000_000).snapshotOnClose(false))) {
            appendAll(s, events);
        }
        Path journal = files(runDir(root, RUN), "journal-0").get(0);
        Files.write(journal, new byte[] {0, 0, 0, 90, 7, 7, 7, 7, '{'}, StandardOpenOption.APPEND);
        Files.write(runDir(root, RUN).resolve("snapshot-999.json"), "garbage".getBytes());
        Map<String, String> before = contents(root);
        try (FileProgressStore reader = FileProgressStore.readOnly(root)) {
            assertThat(reader.loadRun(RUN).orElseThrow()).isEqualTo(IntegrityRuns.fold(events, 40));
            assertThat(reader.eventsSince(RUN, 0, 1000).orElseThrow()).isEqualTo(events);
            assertThat(reader.listRuns()).extracting(RunInfo::lastSequence).containsExactly(40L);
            assertThat(reader.storageInfo().runs()).isEqualTo(1);
        }
        assertThat(contents(root)).as("not a byte changed, nothing created").isEqualTo(before);
    }

    @Test
    void finding6_aReadOnlyStoreRefusesADamagedRunLikeAWritableOneAndChangesNothing() throws Exception {
        List<ProgressEvent> events = IntegrityRuns.events(RUN, 50);
        try (FileProgressStore s =
                store(root, b -> b.snapshotMinEvents(1_000_000).snapshotOnClose(false))) {
            appendAll(s, events);
        }
        Files.delete(files(runDir(root, RUN), "journal-0").get(0));
        Map<String, String> before = contents(root);
        try (FileProgressStore reader = FileProgressStore.readOnly(root)) {
            assertThatThrownBy(() -> reader.loadRun(RUN))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot be recovered")
                    .hasMessageContaining("nothing was changed");
            assertThat(reader.loadRunAcceptingLoss(RUN).orElseThrow().lastSequence())
                    .isZero();
        }
        assertThat(contents(root)).isEqualTo(before);
    }

    @Test
    void finding6_aReadOnlyStoreFollowsAWriterInAnotherProcess() throws Exception {
        try (ChildJvm child = ChildJvm.start("drive", root.toString(), RUN, "2");
                FileProgressStore reader = FileProgressStore.readOnly(root)) {
            assertThat(child.ready.await(60, TimeUnit.SECONDS))
                    .as("child ready; output %s", child.lines)
                    .isTrue();
            long previous = 0;
            for (int read = 0; read < 30 || previous < 300; read++) {
                List<Long> acked = child.acks();
                long ackedMax = acked.stream().mapToLong(Long::longValue).max().orElse(0);
                RunState state = reader.loadRun(RUN).orElse(null);
                long last = state == null ? 0 : state.lastSequence();
                assertThat(last)
                        .as("read %d: every event acknowledged before the read is there", read)
                        .isGreaterThanOrEqualTo(ackedMax)
                        .isGreaterThanOrEqualTo(previous);
                long from = Math.max(1, last - 29);
                reader.eventsSince(RUN, from - 1, 100_000).ifPresent(tail -> {
                    // The writer goes on meanwhile: the tail reaches at least as far as the state did, without a gap.
                    List<Long> seqs = tail.stream().map(ProgressEvent::sequence).toList();
                    assertThat(seqs).containsExactlyElementsOf(sequences(from, from + seqs.size() - 1));
                    assertThat(from + seqs.size() - 1).isGreaterThanOrEqualTo(last);
                });
                previous = last;
                assertThat(read).as("the child keeps writing").isLessThan(100_000);
            }
            child.kill();
            long ackedMax =
                    child.acks().stream().mapToLong(Long::longValue).max().orElse(0);
            RunState seen = reader.loadRun(RUN).orElseThrow();
            assertThat(seen.lastSequence()).isGreaterThanOrEqualTo(ackedMax);
            try (FileProgressStore writable = store(root, b -> b)) {
                assertThat(writable.loadRun(RUN).orElseThrow())
                        .as("the reader saw what recovery restores")
                        .isEqualTo(seen);
            }
        }
    }

    @Test
    void finding6_aReadOnlyStoreReadsARunOnAReadOnlyFileSystem() throws Exception {
        Path mount = tmpfs.mount(root.resolve("mnt"), "16m");
        List<ProgressEvent> events = IntegrityRuns.events(RUN, 80);
        try (FileProgressStore s = store(mount, b -> b.snapshotMinEvents(30).retainedEvents(10))) {
            appendAll(s, events.subList(0, 70));
        }
        try (FileProgressStore s =
                store(mount, b -> b.snapshotMinEvents(1_000_000).snapshotOnClose(false))) {
            appendAll(s, events.subList(70, 80)); // the last ten only in the journal, after the snapshot
        }
        assertThat(TmpfsMount.run("mount", "-o", "remount,ro", mount.toString()))
                .as("remount read-only")
                .isTrue();
        assertThatThrownBy(() -> Files.createFile(mount.resolve("probe"))).isInstanceOf(IOException.class);
        try (FileProgressStore reader = FileProgressStore.readOnly(mount)) {
            assertThat(reader.listRuns())
                    .extracting(RunInfo::runId, RunInfo::lastSequence)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(RUN, 80L));
            assertThat(reader.loadRun(RUN).orElseThrow()).isEqualTo(IntegrityRuns.fold(events, 80));
            assertThat(reader.eventsSince(RUN, 70, 100).orElseThrow()).isEqualTo(events.subList(70, 80));
        }
    }

    /** Every file under {@code dir} (relative path → size and CRC), to prove nothing changed. */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            String key = dir.relativize(p).toString();
            if (Files.isDirectory(p)) {
                out.put(key + "/", "dir");
            } else {
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(Files.readAllBytes(p));
                out.put(key, Files.size(p) + ":" + crc.getValue() + ":" + Files.getLastModifiedTime(p));
            }
        }
        return out;
    }
}

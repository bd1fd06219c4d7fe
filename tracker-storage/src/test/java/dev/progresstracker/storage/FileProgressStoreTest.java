package dev.progresstracker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.journal.Durability;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.SampleRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileProgressStoreTest {

    @TempDir
    Path dir;

    private static void appendAll(FileProgressStore s, List<ProgressEvent> events) {
        for (ProgressEvent e : events) {
            s.append(e).toCompletableFuture().join();
        }
    }

    private static List<ProgressEvent> unfinished(String runId) {
        return SampleRuns.record(runId, (t, c) -> {
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.startUpgrade("one");
        });
    }

    @Test
    void aCleanReopenQuarantinesNothing() {
        try (FileProgressStore s = FileProgressStore.builder().directory(dir).build()) {
            appendAll(s, SampleRuns.upgrade("clean"));
        }
        try (FileProgressStore s = FileProgressStore.builder().directory(dir).build()) {
            assertThat(s.loadRun("clean")).isPresent();
        }
        assertThat(dir.resolve("runs/clean/quarantine")).doesNotExist();
        assertThat(dir.resolve("runs/clean").toFile().list())
                .anyMatch(n -> n.startsWith("snapshot-"))
                .anyMatch(n -> n.startsWith("journal-"))
                .contains("journal.lock");
    }

    @Test
    void aSecondStoreCannotWriteARunTheFirstHoldsOpen() {
        try (FileProgressStore first =
                        FileProgressStore.builder().directory(dir).build();
                FileProgressStore second =
                        FileProgressStore.builder().directory(dir).build()) {
            appendAll(first, SampleRuns.upgrade("owned"));
            assertThatThrownBy(() -> second.loadRun("owned"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("owned")
                    .hasMessageContaining("already open");
        }
    }

    @Test
    void invalidRunIdsAreRejectedNamingTheRule() {
        try (FileProgressStore s = FileProgressStore.builder().directory(dir).build()) {
            assertThatThrownBy(() -> s.loadRun("a".repeat(129)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("129 characters");
            assertThatThrownBy(() -> s.loadRun("bad\u0001id"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("control");
            assertThatThrownBy(() -> s.loadRun("a\\b")).hasMessageContaining("path separators");
            assertThatThrownBy(() -> s.deleteRun("x..y")).hasMessageContaining("..");
            assertThatThrownBy(() -> s.eventsSince("ok", 0, -1)).hasMessageContaining("maxEvents");
        }
        assertThat(dir.resolve("runs").toFile().list()).isEmpty();
    }

    @Test
    void eventsSinceReportsEventsThatCompactionRemoved() {
        FileStoreConfig cfg = FileStoreConfig.builder()
                .directory(dir)
                .snapshotMinEvents(5)
                .retainedEvents(3)
                .segmentBytes(4096)
                .build();
        List<ProgressEvent> events = SampleRuns.upgrade("compacted");
        try (FileProgressStore s = FileProgressStore.builder().config(cfg).build()) {
            appendAll(s, events);
            s.snapshotAll();
            assertThat(s.eventsSince("compacted", 0, 100)).isEmpty();
            assertThat(s.eventsSince("compacted", events.size() - 3, 100).orElseThrow())
                    .extracting(ProgressEvent::sequence)
                    .containsExactly((long) events.size() - 2, (long) events.size() - 1, (long) events.size());
        }
    }

    @Test
    void retentionDeletesOldAndSurplusFinishedRunsButNeverRunningOnes() {
        MutableClock clock = MutableClock.at("2026-11-23T12:00:00Z");
        FileStoreConfig cfg = FileStoreConfig.builder()
                .directory(dir)
                .retentionMaxAge(Duration.ofDays(30))
                .build();
        try (FileProgressStore s =
                FileProgressStore.builder().config(cfg).clock(clock).build()) {
            appendAll(s, SampleRuns.upgrade("done-1"));
            appendAll(s, SampleRuns.failure("done-2"));
            appendAll(s, unfinished("running"));
            assertThat(s.applyRetention()).isEmpty();
            clock.advance(Duration.ofDays(31));
            assertThat(s.applyRetention()).containsExactlyInAnyOrder("done-1", "done-2");
            assertThat(s.listRuns()).extracting(RunInfo::runId).containsExactly("running");
        }
        assertThat(dir.resolve("runs").toFile().list()).containsExactly("running");

        FileStoreConfig keepOne =
                cfg.toBuilder().retentionMaxAge(null).retentionKeepLast(1).build();
        try (FileProgressStore s = FileProgressStore.builder().config(keepOne).build()) {
            appendAll(s, SampleRuns.upgrade("k1"));
            appendAll(s, SampleRuns.failure("k2"));
            List<String> deleted = s.applyRetention();
            assertThat(deleted).hasSize(1);
            assertThat(s.listRuns())
                    .extracting(RunInfo::runId)
                    .contains("running")
                    .hasSize(2);
        }
    }

    @Test
    void storageInfoCountsRunsBytesAndTheOldest() {
        try (FileProgressStore s = FileProgressStore.builder().directory(dir).build()) {
            assertThat(s.storageInfo()).isEqualTo(new StorageInfo(0, 0, null, null));
            appendAll(s, SampleRuns.upgrade("one"));
            appendAll(s, unfinished("two"));
            StorageInfo info = s.storageInfo();
            assertThat(info.runs()).isEqualTo(2);
            assertThat(info.bytes()).isGreaterThan(1000);
            assertThat(info.oldestRunId()).isIn("one", "two");
            assertThat(info.oldestUpdate()).isNotNull();
        }
    }

    @Test
    void deletedRunsAreGoneAfterReopening() {
        try (FileProgressStore s = FileProgressStore.builder().directory(dir).build()) {
            appendAll(s, SampleRuns.upgrade("gone"));
            assertThat(s.deleteRun("gone")).isTrue();
            appendAll(s, SampleRuns.upgrade("gone"));
            assertThat(s.loadRun("gone").orElseThrow().lastSequence())
                    .isEqualTo(SampleRuns.upgrade("gone").size());
        }
        try (FileProgressStore s = FileProgressStore.builder().directory(dir).build()) {
            assertThat(s.deleteRun("gone")).isTrue();
        }
        try (FileProgressStore s = FileProgressStore.builder().directory(dir).build()) {
            assertThat(s.loadRun("gone")).isEmpty();
            assertThat(s.listRuns()).isEmpty();
        }
    }

    @Test
    void configDefaultsValidationAndEnvironment() {
        FileStoreConfig d = FileStoreConfig.defaults();
        assertThat(d.enabled()).isTrue();
        assertThat(d.durability()).isEqualTo(Durability.SYNC);
        assertThat(d.batchInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(d.directory()).isEqualTo(FileStoreConfig.DIRECTORY.defaultValue());
        assertThatThrownBy(() -> FileStoreConfig.builder().snapshotMinEvents(0).build())
                .hasMessageContaining("snapshotMinEvents");
        assertThatThrownBy(() -> FileStoreConfig.builder().retentionKeepLast(-1).build())
                .hasMessageContaining("retentionKeepLast");
        assertThatThrownBy(() -> FileStoreConfig.builder().maxEventBytes(1).build())
                .hasMessageContaining("maxRecordBytes"); // the journal's name of what the store calls maxEventBytes
        assertThatThrownBy(() -> FileStoreConfig.builder().directory(null).build())
                .hasMessageContaining("directory");
        assertThatThrownBy(() ->
                        FileStoreConfig.builder().retentionMaxAge(Duration.ZERO).build())
                .hasMessageContaining("retentionMaxAge");

        FileStoreConfig env = FileStoreConfig.fromEnvironment(Map.of(
                "TRACKER_STORAGE_DIR", "/var/lib/tracker",
                "TRACKER_STORAGE_DURABILITY", "batched",
                "TRACKER_STORAGE_BATCH_INTERVAL", "20",
                "TRACKER_STORAGE_RETENTION_MAX_AGE", "off",
                "TRACKER_STORAGE_RETENTION_KEEP_LAST", "5",
                "TRACKER_STORAGE_ENABLED", "false"));
        assertThat(env.directory()).isEqualTo(Path.of("/var/lib/tracker"));
        assertThat(env.durability()).isEqualTo(Durability.BATCHED);
        assertThat(env.batchInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(env.retentionMaxAge()).isNull();
        assertThat(env.retentionKeepLast()).isEqualTo(5);
        assertThat(env.enabled()).isFalse();
        assertThatThrownBy(() -> FileStoreConfig.fromEnvironment(Map.of("TRACKER_STORAGE_DURABILITY", "maybe")))
                .hasMessageContaining("TRACKER_STORAGE_DURABILITY");
        assertThatThrownBy(() -> FileStoreConfig.fromEnvironment(Map.of("TRACKER_STORAGE_SNAPSHOT_MIN_EVENTS", "x")))
                .hasMessageContaining("TRACKER_STORAGE_SNAPSHOT_MIN_EVENTS");
    }

    @Test
    void appendsAfterCloseFailClearly() throws Exception {
        FileProgressStore s = FileProgressStore.builder().directory(dir).build();
        List<ProgressEvent> events = SampleRuns.upgrade("late");
        s.close();
        assertThatThrownBy(() -> s.append(events.get(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(Files.exists(dir.resolve("runs/late"))).isFalse();
    }
}

package dev.progresstracker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.SampleRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Periodic snapshots come after max(snapshotMinEvents, snapshotEventsPerTask × tasks of the last one) events. */
class SnapshotCadenceTest {

    @TempDir
    Path dir;

    /** 100 tasks added and started, then 100 progress updates of the first. */
    private static List<ProgressEvent> run() {
        return SampleRuns.record("cadence", (t, clock) -> {
            t.addTasks(IntStream.range(0, 100)
                    .mapToObj(i -> TaskSpec.of("t" + i, "T" + i, TaskType.UPGRADE_STEP))
                    .toList());
            t.startUpgrade("one");
            t.startTask("t0");
            for (int p = 1; p <= 100; p++) {
                t.updateTaskProgress("t0", p * 0.5, null, null);
            }
        });
    }

    private static long newestSnapshot(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("runs/cadence"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("snapshot-"))
                    .mapToLong(n -> Long.parseLong(n.substring("snapshot-".length(), n.indexOf('.'))))
                    .max()
                    .orElse(0);
        }
    }

    /** Appends events[from..to) one by one, each acknowledged before the next. */
    private static void append(FileProgressStore s, List<ProgressEvent> events, int from, int to) {
        for (int i = from; i < to; i++) {
            s.append(events.get(i)).toCompletableFuture().join();
        }
    }

    private long snapshotAfter(double eventsPerTask, int extraEvents) throws IOException {
        List<ProgressEvent> events = run();
        int baseline = (int) events.stream()
                .filter(e -> e.type().wireName().equals("task.started"))
                .findFirst()
                .orElseThrow()
                .sequence();
        Path root = dir.resolve(eventsPerTask + "-" + extraEvents);
        FileStoreConfig cfg = FileStoreConfig.builder()
                .directory(root)
                .snapshotMinEvents(1_000_000)
                .snapshotEventsPerTask(eventsPerTask)
                .snapshotOnClose(false)
                .build();
        try (FileProgressStore s = FileProgressStore.builder().config(cfg).build()) {
            append(s, events, 0, baseline);
            s.snapshotAll();
            assertThat(newestSnapshot(root)).isEqualTo(baseline);
        }
        // Reopen with a small minimum so only the per-task factor decides.
        FileStoreConfig small = cfg.toBuilder().snapshotMinEvents(1).build();
        try (FileProgressStore s = FileProgressStore.builder().config(small).build()) {
            append(s, events, baseline, baseline + extraEvents);
        } // close() waits for a snapshot in progress (and writes none of its own here)
        return newestSnapshot(root) - baseline;
    }

    @Test
    void aQuarterOfTheTasksInEventsTriggersTheNextSnapshot() throws IOException {
        assertThat(snapshotAfter(0.25, 24)).isZero();
        assertThat(snapshotAfter(0.25, 25)).isEqualTo(25);
    }

    @Test
    void theFactorIsConfigurable() throws IOException {
        assertThat(snapshotAfter(0.5, 49)).isZero();
        assertThat(snapshotAfter(0.5, 50)).isEqualTo(50);
    }

    @Test
    void factorIsValidatedAndReadFromTheEnvironment() {
        assertThat(FileStoreConfig.defaults().snapshotEventsPerTask())
                .isEqualTo(FileStoreConfig.SNAPSHOT_EVENTS_PER_TASK.defaultValue());
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() ->
                            FileStoreConfig.builder().snapshotEventsPerTask(bad).build())
                    .hasMessageContaining("snapshotEventsPerTask")
                    .hasMessageContaining(String.valueOf(bad));
        }
        assertThat(FileStoreConfig.fromEnvironment(Map.of("TRACKER_STORAGE_SNAPSHOT_EVENTS_PER_TASK", "0.5"))
                        .snapshotEventsPerTask())
                .isEqualTo(0.5);
        assertThatThrownBy(() ->
                        FileStoreConfig.fromEnvironment(Map.of("TRACKER_STORAGE_SNAPSHOT_EVENTS_PER_TASK", "a lot")))
                .hasMessageContaining("TRACKER_STORAGE_SNAPSHOT_EVENTS_PER_TASK")
                .hasMessageContaining("a lot");
    }
}

package dev.progresstracker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.journal.FrameReader;
import dev.progresstracker.test.SampleRuns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/** Test fixtures of the storage-integrity tests: event streams, stores, byte offsets, counting checks, logs. */
final class IntegrityRuns {

    private IntegrityRuns() {}

    /** The first {@code n} events of a run of {@code runId} (tasks added, started, advanced, completed). */
    static List<ProgressEvent> events(String runId, int n) {
        List<ProgressEvent> all = SampleRuns.record(runId, (t, c) -> {
            for (int task = 0; t.snapshot().lastSequence() < n; task++) {
                String id = "task-" + task;
                t.addTask(id, "Task " + task, TaskType.UPGRADE_STEP, null);
                t.startTask(id);
                for (int p = 10; p < 100; p += 10) {
                    t.updateTaskProgress(id, p, "at " + p, null);
                }
                t.completeTask(id);
            }
        });
        return List.copyOf(all.subList(0, n));
    }

    static FileProgressStore store(Path root, UnaryOperator<FileStoreConfig.Builder> settings) {
        return FileProgressStore.builder()
                .config(settings.apply(FileStoreConfig.builder().directory(root))
                        .build())
                .build();
    }

    static void appendAll(FileProgressStore store, List<ProgressEvent> events) {
        for (ProgressEvent e : events) {
            store.append(e).toCompletableFuture().join();
        }
    }

    /** State after the first {@code count} events: what a store must return after storing exactly those. */
    static RunState fold(List<ProgressEvent> events, int count) {
        RunProjection p = new RunProjection(events.get(0).runId(), RunProjection.Mode.CONTIGUOUS);
        events.subList(0, count).forEach(p::apply);
        return p.snapshot();
    }

    /** Byte offset at which record {@code k + 1} starts in a segment that begins with record 1. */
    static long offsetAfter(List<ProgressEvent> events, int k) {
        long off = 0;
        for (int i = 0; i < k; i++) {
            off += FrameReader.frameBytes(WireFormat.toJson(events.get(i)).getBytes(StandardCharsets.UTF_8).length);
        }
        return off;
    }

    static Path runDir(Path root, String runId) {
        return root.resolve("runs").resolve(runId);
    }

    static List<Path> files(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Asserts by counting that {@code store} holds exactly the first {@code count} events of {@code events}:
     * the state equals their fold, {@code eventsSince(0)} returns sequences 1..count without a gap or a repeat
     * (when the journal still holds them all), and each equals the event appended.
     */
    static void assertHoldsExactly(FileProgressStore store, List<ProgressEvent> events, int count) {
        String runId = events.get(0).runId();
        RunState state = store.loadRun(runId).orElseThrow();
        assertThat(state.lastSequence()).as("last sequence").isEqualTo(count);
        assertThat(state).as("state = fold of the stored events").isEqualTo(fold(events, count));
        store.eventsSince(runId, 0, Integer.MAX_VALUE).ifPresent(stored -> {
            assertThat(stored)
                    .extracting(ProgressEvent::sequence)
                    .as("no sequence skipped or repeated")
                    .containsExactlyElementsOf(sequences(1, count));
            assertThat(stored).isEqualTo(events.subList(0, count));
        });
    }

    /**
     * Asserts by counting that {@code store} holds exactly {@code acknowledged} events of {@code runId}:
     * sequences 1..acknowledged without a gap or a repeat, and a state equal to their fold.
     */
    static void assertStoredExactly(FileProgressStore store, String runId, long acknowledged) {
        RunState loaded = store.loadRun(runId).orElseThrow();
        assertThat(loaded.lastSequence()).isEqualTo(acknowledged);
        List<ProgressEvent> events =
                store.eventsSince(runId, 0, Integer.MAX_VALUE).orElseThrow();
        assertThat(events).hasSize((int) acknowledged);
        RunProjection fold = new RunProjection(runId, RunProjection.Mode.CONTIGUOUS);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).sequence()).isEqualTo(i + 1L);
            fold.apply(events.get(i));
        }
        assertThat(loaded).isEqualTo(fold.snapshot());
    }

    static List<Long> sequences(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            out.add(s);
        }
        return out;
    }

    /** Captures the log events of the storage package while open. */
    static final class Logs implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger("dev.progresstracker.storage");
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        Logs() {
            appender.start();
            logger.addAppender(appender);
        }

        List<String> warnings() {
            return appender.list.stream()
                    .filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }
}

package dev.progresstracker.storage;

import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.journal.Quarantine;
import dev.progresstracker.storage.internal.ReadOnlyRun;
import dev.progresstracker.storage.internal.RunEvidence;
import dev.progresstracker.storage.internal.RunMarker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run directories of a {@link FileProgressStore} as found on disk, and the lock-free readers of
 * read-only mode (also used by a writable store to list runs another writer holds). Which directories
 * are runs: those with a run marker, or with data that checks out (runs written before markers existed);
 * every other directory is skipped with one WARN.
 *
 * <p>Thread-safe.
 */
final class ReadOnlyRuns {

    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyRuns.class);

    private final Path runsDir;
    private final FileStoreConfig config;
    private final boolean readOnly;
    private final ConcurrentHashMap<String, ReadOnlyRun> readers = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    ReadOnlyRuns(Path runsDir, FileStoreConfig config, boolean readOnly) {
        this.runsDir = runsDir;
        this.config = config;
        this.readOnly = readOnly;
    }

    boolean readOnly() {
        return readOnly;
    }

    void requireWritable(String operation) {
        if (readOnly) {
            throw new UnsupportedOperationException(operation + " is not supported: the store on " + config.directory()
                    + " was opened read-only (FileProgressStore.readOnly)");
        }
    }

    /** Names of the directories under {@code runs/} that are valid run ids (not the trash of deletions). */
    List<String> runIds() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(runsDir)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(runsDir)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (name.startsWith(".") || !Files.isDirectory(d)) {
                    continue;
                }
                try {
                    out.add(RunIds.requireValidRunId(name));
                } catch (IllegalArgumentException e) {
                    warnOnce(name, "skipping directory {} under runs/: not a valid run id ({})", d, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + runsDir + " failed", e);
        }
        out.sort(null);
        return out;
    }

    /** True if {@code runs/<runId>} is a run; a directory that is not gets one WARN. */
    boolean isRun(String runId) {
        Path dir = runsDir.resolve(runId);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try {
            if (RunEvidence.isRun(dir, config.maxEventBytes())) {
                return true;
            }
        } catch (IOException e) {
            warnOnce(runId, "skipping directory {}: cannot be read ({})", dir, e.toString());
            return false;
        }
        warnOnce(
                runId,
                "skipping directory {}: not a run (no {} and no journal record or snapshot that checks out)",
                dir,
                RunMarker.FILE);
        return false;
    }

    Optional<RunState> state(String runId, boolean acceptLoss) {
        if (!isRun(runId)) {
            return Optional.empty();
        }
        ReadOnlyRun r = acceptLoss && !config.acceptLoss()
                ? new ReadOnlyRun(runId, runsDir.resolve(runId), config.maxEventBytes(), true)
                : reader(runId);
        try {
            return Optional.of(r.state());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    List<RunInfo> infos() {
        List<RunInfo> out = new ArrayList<>();
        for (String runId : runIds()) {
            if (!isRun(runId)) {
                continue;
            }
            try {
                out.add(reader(runId).info());
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping run directory {}: {}", runsDir.resolve(runId), e.getMessage());
            }
        }
        return out;
    }

    Optional<List<ProgressEvent>> eventsSince(String runId, long afterSequence, int maxEvents) {
        if (!isRun(runId)) {
            return Optional.of(List.of());
        }
        try {
            return reader(runId).eventsSince(afterSequence, maxEvents);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Info of a run another store or process holds, read from disk (one WARN per run); empty if unreadable. */
    Optional<RunInfo> infoHeldElsewhere(String runId, RuntimeException why) {
        warnOnce(
                "held:" + runId,
                "run '{}' is open in another store or process ({}); listed as read from disk "
                        + "without its lock (may lag behind that writer)",
                runId,
                why.getMessage());
        try {
            return Optional.of(reader(runId).info());
        } catch (IOException | RuntimeException e) {
            LOG.warn("skipping run directory {}: {}", runsDir.resolve(runId), e.getMessage());
            return Optional.empty();
        }
    }

    StorageInfo storageInfo() {
        StorageTally tally = new StorageTally();
        for (String runId : runIds()) {
            if (!isRun(runId)) {
                continue;
            }
            ReadOnlyRun r = reader(runId);
            try {
                Instant updated = r.info().updatedAt(); // a run whose marker cannot be read is not counted
                tally.add(runId, r.diskBytes(), updated);
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping run directory {}: {}", runsDir.resolve(runId), e.getMessage());
            }
        }
        return tally.info(quarantineUsage());
    }

    /** {@code [bytes, files]} in the {@code quarantine/} folders of every run directory. */
    long[] quarantineUsage() {
        long bytes = 0;
        long files = 0;
        for (String runId : runIds()) {
            long[] u = Quarantine.usage(runsDir.resolve(runId));
            bytes += u[0];
            files += u[1];
        }
        return new long[] {bytes, files};
    }

    private ReadOnlyRun reader(String runId) {
        return readers.computeIfAbsent(
                runId, id -> new ReadOnlyRun(id, runsDir.resolve(id), config.maxEventBytes(), config.acceptLoss()));
    }

    private void warnOnce(String key, String format, Object... args) {
        if (warned.add(key)) {
            LOG.warn(format, args);
        }
    }
}

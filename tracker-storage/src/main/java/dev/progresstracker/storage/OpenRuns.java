package dev.progresstracker.storage;

import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.journal.GroupCommitter;
import dev.progresstracker.journal.JournalFiles;
import dev.progresstracker.storage.internal.RunLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs a writable {@link FileProgressStore} holds open: each recovered on first use (and locked
 * against other processes), then kept until it is deleted or the store closes.
 *
 * <p>Thread-safe: lookups are lock-free; opening, deleting and closing take one lock, so a run is
 * opened once and nothing opens after {@link #close()}.
 */
final class OpenRuns {

    private static final Logger LOG = LoggerFactory.getLogger(OpenRuns.class);

    private final FileStoreConfig config;
    private final Path runsDir;
    private final GroupCommitter committer;
    private final JournalFiles files;
    private final ReadOnlyRuns readers;
    private final ConcurrentHashMap<String, RunLog> runs = new ConcurrentHashMap<>();
    private final Object openLock = new Object();
    private boolean closed;

    OpenRuns(FileStoreConfig config, Path runsDir, GroupCommitter committer, JournalFiles files, ReadOnlyRuns readers) {
        this.config = config;
        this.runsDir = runsDir;
        this.committer = committer;
        this.files = files;
        this.readers = readers;
    }

    /** The run if it is open; never opens it. */
    RunLog get(String runId) {
        return runs.get(runId);
    }

    /** The runs open now. */
    Collection<RunLog> all() {
        return new ArrayList<>(runs.values());
    }

    /** The run, opened (recovered) if needed with the store's {@code acceptLoss}; null if absent and not {@code create}. */
    RunLog open(String runId, boolean create) {
        return open(runId, create, config.acceptLoss());
    }

    RunLog open(String runId, boolean create, boolean acceptLoss) {
        RunLog run = runs.get(runId);
        if (run != null) {
            return run;
        }
        synchronized (openLock) {
            if (closed) {
                throw new IllegalStateException("store " + config.directory() + " is closed");
            }
            run = runs.get(runId);
            if (run != null) {
                return run;
            }
            Path dir = runsDir.resolve(runId);
            if (!create && !readers.isRun(runId)) {
                return null;
            }
            try {
                run = RunLog.open(runId, dir, config.journalConfig(), committer, files, acceptLoss);
            } catch (IOException e) {
                String why = String.valueOf(e.getMessage());
                throw new IllegalStateException(
                        why.startsWith("run '" + runId + "'")
                                ? why
                                : "run '" + runId + "' in " + dir + " cannot be opened: " + why
                                        + (e instanceof java.nio.file.FileSystemException
                                                ? " (to read it without writing, use FileProgressStore.readOnly)"
                                                : ""),
                        e);
            }
            runs.put(runId, run);
            return run;
        }
    }

    /**
     * Opens every run under {@code runs/}. A run another store or process holds is added to {@code heldElsewhere}
     * as read from disk (or skipped, if that is null); a run that cannot be opened is skipped with a WARN.
     */
    List<RunLog> openAll(List<RunInfo> heldElsewhere) {
        List<RunLog> out = new ArrayList<>();
        for (String runId : readers.runIds()) {
            try {
                RunLog run = open(runId, false);
                if (run != null) {
                    out.add(run);
                }
            } catch (RunLog.RunLockedException e) {
                if (heldElsewhere != null) {
                    readers.infoHeldElsewhere(runId, e).ifPresent(heldElsewhere::add);
                }
            } catch (RuntimeException e) {
                LOG.warn("skipping run directory {}: {}", runsDir.resolve(runId), e.getMessage());
            }
        }
        return out;
    }

    /** Closes the run if open and removes its directory; false if there was none. */
    boolean delete(String runId) {
        synchronized (openLock) {
            RunLog run = runs.remove(runId);
            if (run != null) {
                run.close();
            }
            Path dir = runsDir.resolve(runId);
            if (!Files.isDirectory(dir)) {
                return false;
            }
            try {
                // Rename first so a crash halfway never leaves a half-deleted run that looks valid.
                Path trash = runsDir.resolve(".deleted-" + runId + "-" + System.nanoTime());
                Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(trash);
            } catch (IOException e) {
                throw new UncheckedIOException("deleting run '" + runId + "' failed", e);
            }
            return true;
        }
    }

    /** Stops opening runs; true the first time (then the caller closes what {@link #all()} holds). */
    boolean close() {
        synchronized (openLock) {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    /** After {@link #close()}: closes every run (fsync, lock released) and forgets it. */
    void closeEach() {
        for (RunLog run : runs.values()) {
            run.close();
        }
        runs.clear();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package dev.progresstracker.storage;

import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.storage.internal.JournalFiles;
import dev.progresstracker.storage.internal.RunLog;
import dev.progresstracker.storage.journal.GroupCommitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link ProgressStore} on the local file system: per run a directory {@code <root>/runs/<runId>/}
 * with an append-only journal of the events' wire JSON ({@code journal-<n>.log}, CRC32C-framed) and
 * periodic snapshots ({@code snapshot-<seq>.json}). Durability per {@link FileStoreConfig#durability()};
 * one writer thread per store commits every run's records with one fsync per run and round (group commit).
 *
 * <p>Runs are opened (recovered) on first use and then kept in memory as a projection, so
 * {@link #loadRun} and {@link #listRuns} never read the disk again. Recovery = newest valid snapshot +
 * journal replay; damaged bytes are cut and kept in the run's {@code quarantine/}. A run whose data cannot
 * be restored in full makes its reads throw {@link IllegalStateException}; it never comes back empty.
 * A run directory is locked while open, so a second process cannot write it.
 *
 * <p>Thread-safe. Snapshots, compaction and retention run on one background thread.
 */
public final class FileProgressStore implements ProgressStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileProgressStore.class);
    private static final String RUNS_DIR = "runs";

    private final FileStoreConfig config;
    private final Clock clock;
    private final Path runsDir;
    private final GroupCommitter committer;
    private final ScheduledExecutorService maintenance;
    private final ConcurrentHashMap<String, RunLog> runs = new ConcurrentHashMap<>();
    private final Object openLock = new Object();
    private volatile boolean closed;
    /** How journals open their files: the real file system, or a fault-injecting one in tests. */
    private final JournalFiles files;

    private FileProgressStore(FileStoreConfig config, Clock clock, JournalFiles files) {
        this.config = config;
        this.clock = clock;
        this.files = files;
        this.runsDir = config.directory().resolve(RUNS_DIR);
        try {
            Files.createDirectories(runsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create store directory " + runsDir, e);
        }
        this.committer = new GroupCommitter("tracker-storage-writer", config.maxQueuedBytes());
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tracker-storage-maintenance");
            t.setDaemon(true);
            return t;
        });
        long every = config.retentionInterval().toMillis();
        maintenance.scheduleWithFixedDelay(this::retentionQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** A builder; defaults from {@link FileStoreConfig#defaults()} and the UTC system clock. */
    public static Builder builder() {
        return new Builder();
    }

    public FileStoreConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ ProgressStore

    @Override
    public CompletionStage<Void> append(ProgressEvent event) {
        Objects.requireNonNull(event, "event must not be null");
        RunLog run = open(RunIds.requireValidRunId(event.runId()), true);
        CompletableFuture<Long> done = run.append(event);
        if (run.claimSnapshot(config.snapshotMinEvents(), config.snapshotEventsPerTask())) {
            maintenance.execute(() -> snapshotQuietly(run));
        }
        return done.thenApply(index -> null);
    }

    /** @throws IllegalStateException if the run exists but cannot be recovered (or another process holds it) */
    @Override
    public Optional<RunState> loadRun(String runId) {
        RunLog run = open(RunIds.requireValidRunId(runId), false);
        return run == null ? Optional.empty() : Optional.of(run.state());
    }

    /** The configured {@link FileStoreConfig#maxEventBytes()}: the largest event JSON a journal record holds. */
    @Override
    public int maxEventBytes() {
        return config.maxEventBytes();
    }

    /**
     * WRITING, or RETRYING while the run's journal writes fail (events held in memory in order, retried
     * with capped backoff), or REFUSING once that backlog passes {@link FileStoreConfig#maxQueuedBytes()}.
     * Never opens the run; a volatile read. Any thread.
     */
    @Override
    public StoreHealth health(String runId) {
        RunLog run = runs.get(runId);
        return run == null ? StoreHealth.WRITING : run.health();
    }

    /** Every run that can be opened; one that cannot (damaged, locked elsewhere) is skipped with a WARN. */
    @Override
    public List<RunInfo> listRuns() {
        List<RunInfo> out = new ArrayList<>();
        for (RunLog run : openAll()) {
            out.add(run.info());
        }
        out.sort(Comparator.comparing(RunInfo::updatedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    /** Events from the journal; empty once compaction removed the first of them. */
    @Override
    public Optional<List<ProgressEvent>> eventsSince(String runId, long afterSequence, int maxEvents) {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must not be negative, got " + maxEvents);
        }
        RunLog run = open(RunIds.requireValidRunId(runId), false);
        return run == null ? Optional.of(List.of()) : run.eventsSince(afterSequence, maxEvents);
    }

    @Override
    public boolean deleteRun(String runId) {
        RunIds.requireValidRunId(runId);
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

    // ------------------------------------------------------------------ beyond the SPI

    /** Runs, bytes on disk and the run updated longest ago. Opens every run. */
    public StorageInfo storageInfo() {
        int count = 0;
        long bytes = 0;
        Instant oldest = null;
        String oldestId = null;
        for (RunLog run : openAll()) {
            count++;
            bytes += run.diskBytes();
            Instant updated = run.info().updatedAt();
            if (updated != null && (oldest == null || updated.isBefore(oldest))) {
                oldest = updated;
                oldestId = run.runId();
            }
        }
        return new StorageInfo(count, bytes, oldest, oldestId);
    }

    /**
     * Deletes finished runs (COMPLETED, FAILED, CANCELLED) that finished more than
     * {@link FileStoreConfig#retentionMaxAge()} ago, and beyond the newest {@link FileStoreConfig#retentionKeepLast()}.
     * Runs still going are never deleted. Also runs every {@link FileStoreConfig#retentionInterval()}.
     *
     * @return ids of the deleted runs
     */
    public List<String> applyRetention() {
        List<RunInfo> finished = new ArrayList<>();
        for (RunLog run : openAll()) {
            RunInfo info = run.info();
            if (info.finishedAt() != null && info.status() != RunStatus.IN_PROGRESS
                    && info.status() != RunStatus.NOT_STARTED) {
                finished.add(info);
            }
        }
        finished.sort(Comparator.comparing(RunInfo::finishedAt).reversed());
        Instant cutoff = config.retentionMaxAge() == null ? null : clock.instant().minus(config.retentionMaxAge());
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < finished.size(); i++) {
            RunInfo r = finished.get(i);
            boolean tooOld = cutoff != null && r.finishedAt().isBefore(cutoff);
            boolean beyondK = config.retentionKeepLast() > 0 && i >= config.retentionKeepLast();
            if ((tooOld || beyondK) && deleteRun(r.runId())) {
                deleted.add(r.runId());
            }
        }
        if (!deleted.isEmpty()) {
            LOG.info("retention deleted {} finished run(s): {}", deleted.size(), deleted);
        }
        return deleted;
    }

    /** Writes a snapshot of every open run that changed since its last one, and compacts its journal. */
    public void snapshotAll() {
        for (RunLog run : new ArrayList<>(runs.values())) {
            snapshotQuietly(run);
        }
    }

    /**
     * Writes the final snapshots (if {@link FileStoreConfig#snapshotOnClose()}), fsyncs and closes every
     * journal and releases the run locks. Idempotent.
     */
    @Override
    public void close() {
        synchronized (openLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        maintenance.shutdown();
        try {
            if (!maintenance.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("background snapshot work did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (RunLog run : runs.values()) {
            if (config.snapshotOnClose()) {
                snapshotQuietly(run);
            }
            run.close();
        }
        runs.clear();
        committer.close();
    }

    // ------------------------------------------------------------------ internals

    private RunLog open(String runId, boolean create) {
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
            if (!create && !Files.isDirectory(dir)) {
                return null;
            }
            try {
                run = RunLog.open(runId, dir, config.journalConfig(), committer, files);
            } catch (IOException e) {
                throw new IllegalStateException("run '" + runId + "' in " + dir + " cannot be opened: "
                        + e.getMessage(), e);
            }
            runs.put(runId, run);
            return run;
        }
    }

    private List<RunLog> openAll() {
        List<RunLog> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(runsDir)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (name.startsWith(".") || !Files.isDirectory(d)) {
                    continue;
                }
                try {
                    RunLog run = open(RunIds.requireValidRunId(name), false);
                    if (run != null) {
                        out.add(run);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("skipping run directory {}: {}", d, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + runsDir + " failed", e);
        }
        return out;
    }

    private void snapshotQuietly(RunLog run) {
        try {
            run.snapshot(config.retainedEvents());
        } catch (IOException | RuntimeException e) {
            LOG.warn("snapshot of run '{}' failed (the journal still holds everything): {}", run.runId(),
                    e.toString(), e);
        }
    }

    private void retentionQuietly() {
        try {
            applyRetention();
        } catch (RuntimeException e) {
            LOG.warn("retention failed: {}", e.toString(), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Builds a {@link FileProgressStore}; defaults from {@link FileStoreConfig#defaults()}. */
    public static final class Builder {
        private FileStoreConfig config = FileStoreConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private JournalFiles files = JournalFiles.SYSTEM;

        private Builder() {
        }

        public Builder config(FileStoreConfig config) {
            this.config = Objects.requireNonNull(config, "config must not be null");
            return this;
        }

        /** Shortcut for {@code config(config.toBuilder().directory(directory).build())}. */
        public Builder directory(Path directory) {
            this.config = config.toBuilder().directory(directory).build();
            return this;
        }

        /** Clock for retention ages; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /** Journal file access for fault tests; package-private (the seam is internal). */
        Builder files(JournalFiles files) {
            this.files = Objects.requireNonNull(files, "files must not be null");
            return this;
        }

        /** Opens the store (creating its directory); runs are recovered lazily on first use. */
        public FileProgressStore build() {
            return new FileProgressStore(config, clock, files);
        }
    }
}

package dev.progresstracker.storage;

import dev.progresstracker.core.RunIds;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.journal.GroupCommitter;
import dev.progresstracker.journal.JournalFiles;
import dev.progresstracker.storage.internal.RunLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>{@link #readOnly(Path)} opens a store that only reads what is on disk (no lock, nothing written), for
 * inspection next to a running agent or on a read-only file system.
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
    /** Null in read-only mode. */
    private final OpenRuns runs;

    private volatile boolean closed;
    /** How journals open their files: the real file system, or a fault-injecting one in tests. */
    private final JournalFiles files;
    /** Non-null in read-only mode; also used to list runs another writer holds. */
    private final ReadOnlyRuns readers;

    private FileProgressStore(FileStoreConfig config, Clock clock, JournalFiles files, boolean readOnly) {
        this.config = config;
        this.clock = clock;
        this.files = files;
        this.runsDir = config.directory().resolve(RUNS_DIR);
        this.readers = new ReadOnlyRuns(runsDir, config, readOnly);
        if (readOnly) {
            this.committer = null;
            this.maintenance = null;
            this.runs = null;
            return;
        }
        try {
            Files.createDirectories(runsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create store directory " + runsDir, e);
        }
        this.committer = new GroupCommitter("tracker-storage-writer", config.maxQueuedBytes());
        this.runs = new OpenRuns(config, runsDir, committer, files, readers);
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

    /**
     * A store that only reads the runs under {@code directory} as they are on disk: no lock is taken and
     * nothing is created, cut, moved or written, so it works next to an agent that has the runs open and on a
     * read-only file system. Every read catches up with what the writer added since (a torn record at the end
     * is not read yet). {@code append}, {@code deleteRun}, {@code applyRetention} and {@code snapshotAll}
     * throw {@link UnsupportedOperationException}. A run that cannot be restored up to its evidence throws
     * like in a writable store (nothing is changed).
     */
    public static FileProgressStore readOnly(Path directory) {
        return builder().directory(directory).readOnly(true).build();
    }

    /** True if this store was opened with {@link #readOnly(Path)}. */
    public boolean isReadOnly() {
        return readers.readOnly();
    }

    public FileStoreConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ ProgressStore

    @Override
    public CompletionStage<Void> append(ProgressEvent event) {
        Objects.requireNonNull(event, "event must not be null");
        readers.requireWritable("append");
        RunLog run = runs.open(RunIds.requireValidRunId(event.runId()), true);
        CompletableFuture<Long> done = run.append(event);
        if (run.claimSnapshot(config.snapshotMinEvents(), config.snapshotEventsPerTask())) {
            maintenance.execute(() -> snapshotQuietly(run));
        }
        return done.thenApply(run::durable);
    }

    /** @throws IllegalStateException if the run exists but cannot be recovered (or another process holds it) */
    @Override
    public Optional<RunState> loadRun(String runId) {
        if (readers.readOnly()) {
            return readers.state(RunIds.requireValidRunId(runId), false);
        }
        RunLog run = runs.open(RunIds.requireValidRunId(runId), false);
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
        RunLog run = runs == null ? null : runs.get(runId);
        return run == null ? StoreHealth.WRITING : run.health();
    }

    /**
     * Every run: directories under {@code runs/} without a run marker or checked data are skipped (one WARN
     * each), a run that cannot be recovered is skipped with a WARN, and a run another store or process holds
     * open is read from disk without its lock (as {@link #readOnly(Path)} does; one WARN per run).
     */
    @Override
    public List<RunInfo> listRuns() {
        List<RunInfo> out = new ArrayList<>();
        if (readers.readOnly()) {
            out.addAll(readers.infos());
        } else {
            for (RunLog run : runs.openAll(out)) {
                out.add(run.info());
            }
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
        if (readers.readOnly()) {
            return readers.eventsSince(RunIds.requireValidRunId(runId), afterSequence, maxEvents);
        }
        RunLog run = runs.open(RunIds.requireValidRunId(runId), false);
        return run == null ? Optional.of(List.of()) : run.eventsSince(afterSequence, maxEvents);
    }

    @Override
    public boolean deleteRun(String runId) {
        RunIds.requireValidRunId(runId);
        readers.requireWritable("deleteRun");
        return runs.delete(runId);
    }

    // ------------------------------------------------------------------ beyond the SPI

    /** Runs, bytes on disk, quarantine and the run updated longest ago. Opens every run. */
    public StorageInfo storageInfo() {
        if (readers.readOnly()) {
            return readers.storageInfo();
        }
        StorageTally tally = new StorageTally();
        for (RunLog run : runs.openAll(null)) {
            tally.add(run.runId(), run.diskBytes(), run.info().updatedAt());
        }
        return tally.info(readers.quarantineUsage());
    }

    /**
     * Loads a run that cannot be restored up to the highest sequence its files evidence, accepting the loss:
     * what is left is loaded, the loss is logged at WARN with both numbers and recorded in the run marker
     * ({@code run.json}), and the run continues after what was loaded. Use after {@link #loadRun} refused the
     * run and a human looked at it. For a run already open (nothing lost) this is {@link #loadRun}.
     */
    public Optional<RunState> loadRunAcceptingLoss(String runId) {
        RunIds.requireValidRunId(runId);
        if (readers.readOnly()) {
            return readers.state(runId, true);
        }
        RunLog run = runs.get(runId);
        if (run == null) {
            run = runs.open(runId, false, true);
        }
        return run == null ? Optional.empty() : Optional.of(run.state());
    }

    /**
     * Deletes finished runs (COMPLETED, FAILED, CANCELLED) that finished more than
     * {@link FileStoreConfig#retentionMaxAge()} ago, and beyond the newest {@link FileStoreConfig#retentionKeepLast()}.
     * Runs still going are never deleted. Also runs every {@link FileStoreConfig#retentionInterval()}.
     *
     * @return ids of the deleted runs
     */
    public List<String> applyRetention() {
        readers.requireWritable("applyRetention");
        List<RunInfo> infos = new ArrayList<>();
        for (RunLog run : runs.openAll(null)) {
            infos.add(run.info());
        }
        List<String> deleted = new ArrayList<>();
        for (String runId :
                Retention.due(infos, config.retentionMaxAge(), config.retentionKeepLast(), clock.instant())) {
            if (deleteRun(runId)) {
                deleted.add(runId);
            }
        }
        if (!deleted.isEmpty()) {
            LOG.info("retention deleted {} finished run(s): {}", deleted.size(), deleted);
        }
        return deleted;
    }

    /**
     * Writes a snapshot of every open run that changed since its last one, and compacts its journal;
     * returns when done. Runs on the maintenance thread after any background snapshot already under way
     * (which would otherwise make this one a no-op that misses the newest events).
     */
    public void snapshotAll() {
        readers.requireWritable("snapshotAll");
        if (closed) {
            throw new IllegalStateException("the store on " + config.directory() + " is closed");
        }
        Future<?> done = maintenance.submit(() -> {
            for (RunLog run : runs.all()) {
                snapshotQuietly(run);
            }
        });
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("snapshotAll failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Writes the final snapshots (if {@link FileStoreConfig#snapshotOnClose()}), fsyncs and closes every
     * journal and releases the run locks. Idempotent.
     */
    @Override
    public void close() {
        if (closed || runs != null && !runs.close()) {
            return;
        }
        closed = true;
        if (readers.readOnly()) {
            return;
        }
        maintenance.shutdown();
        try {
            if (!maintenance.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("background snapshot work did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (config.snapshotOnClose()) {
            runs.all().forEach(this::snapshotQuietly);
        }
        runs.closeEach();
        committer.close();
    }

    // ------------------------------------------------------------------ internals

    private void snapshotQuietly(RunLog run) {
        try {
            run.snapshot(config.retainedEvents());
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "snapshot of run '{}' failed (the journal still holds everything): {}",
                    run.runId(),
                    e.toString(),
                    e);
        }
    }

    private void retentionQuietly() {
        try {
            applyRetention();
        } catch (RuntimeException e) {
            LOG.warn("retention failed: {}", e.toString(), e);
        }
    }

    /** Builds a {@link FileProgressStore}; defaults from {@link FileStoreConfig#defaults()}. */
    public static final class Builder {
        private FileStoreConfig config = FileStoreConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private JournalFiles files = JournalFiles.SYSTEM;
        private boolean readOnly;

        private Builder() {}

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

        /**
         * Read-only mode (see {@link FileProgressStore#readOnly(Path)}); default false. Settings that only
         * concern writing are ignored then.
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /** Opens the store (creating its directory unless read-only); runs are recovered lazily on first use. */
        public FileProgressStore build() {
            return new FileProgressStore(config, clock, files, readOnly);
        }
    }
}

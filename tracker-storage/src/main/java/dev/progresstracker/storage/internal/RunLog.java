package dev.progresstracker.storage.internal;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.journal.GroupCommitter;
import dev.progresstracker.journal.Journal;
import dev.progresstracker.journal.JournalConfig;
import dev.progresstracker.journal.JournalFiles;
import dev.progresstracker.journal.JournalHealth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stored run: its directory, its journal (record index = event sequence), its snapshots, its run
 * marker ({@link RunMarker}) and an in-memory projection so reads never touch the disk for state.
 * Recovery on open: first the highest sequence the directory evidences ({@link RunEvidence}) is written to
 * the marker, then newest snapshot whose content checks out + journal replay; a damaged snapshot is
 * quarantined and the previous one (or the journal from the start) is used; if what is left cannot reach
 * the evidenced sequence, opening fails instead of starting short (every time, since the marker keeps the
 * evidence) unless the caller accepts the loss. The marker follows the run at its first durable event,
 * at every snapshot and at every open.
 *
 * <p>Thread-safe: state changes happen under this object's monitor; snapshot writing runs on the
 * caller's (maintenance) thread from an immutable copy.
 */
public final class RunLog {

    private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);

    /** Pause after a failed snapshot write before the next attempt. */
    static final long SNAPSHOT_RETRY_SECONDS = 5;

    /** Snapshots kept: the newest and one fallback. */
    private static final int SNAPSHOTS_KEPT = 2;

    private final String runId;
    private final Path dir;
    private final Journal journal;
    private final RunProjection projection;
    private final List<Long> snapshotSeqs = new ArrayList<>();
    private long eventsSinceSnapshot;
    /** Tasks in the newest snapshot: the next one waits for as many events, so snapshots cost O(1) per event. */
    private long snapshotTasks;

    private boolean snapshotting;
    private boolean snapshotClaimed;
    /** After a failed snapshot write, the next waits until then (System.nanoTime), not for the next append. */
    private long snapshotNotBeforeNanos;

    private boolean closed;
    /** The run marker as last written; guarded by {@link #markerLock}. */
    private RunMarker marker;

    private final Object markerLock = new Object();
    /** False while {@link #marker} could not be written yet (a full disk at open). */
    private boolean markerOnDisk = true;

    private volatile long markedHighWater;
    /** Set after a failed marker write: the writer thread stops trying per event (snapshots still try). */
    private volatile boolean markerFailed;
    /** The last failing journal health and its store-health form; any thread (a racy cache, both forms immutable). */
    private volatile Translated translated;

    RunLog(String runId, Path dir, Journal journal, RunProjection projection, List<Long> snapshotSeqs, long baseTasks) {
        this.runId = runId;
        this.dir = dir;
        this.journal = journal;
        this.projection = projection;
        this.snapshotSeqs.addAll(snapshotSeqs);
        long base = snapshotSeqs.isEmpty() ? 0 : snapshotSeqs.get(0);
        this.eventsSinceSnapshot = projection.lastSequence() - base;
        this.snapshotTasks = baseTasks;
    }

    /** Opens (creating if needed) and recovers the run in {@code dir}; refuses to load a run short. */
    public static RunLog open(String runId, Path dir, JournalConfig config, GroupCommitter committer)
            throws IOException {
        return open(runId, dir, config, committer, JournalFiles.SYSTEM, false);
    }

    /**
     * Opens (creating if needed) and recovers the run in {@code dir}. First records in the run marker the
     * highest sequence the directory evidences (before recovery cuts or moves anything), then recovers; if
     * fewer events can be restored than that, throws unless {@code acceptLoss}, which loads what is left,
     * logs the loss at WARN and records it in the marker. The journal writes through {@code files} (the
     * real file system, or a fault-injecting one in tests).
     *
     * @throws RunLockedException if another store or process has the run open
     */
    public static RunLog open(
            String runId,
            Path dir,
            JournalConfig config,
            GroupCommitter committer,
            JournalFiles files,
            boolean acceptLoss)
            throws IOException {
        return RunRecovery.open(runId, dir, config, committer, files, acceptLoss);
    }

    /** A run directory another store or process holds open. */
    public static final class RunLockedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public RunLockedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public String runId() {
        return runId;
    }

    /**
     * Called when the append of {@code sequence} completed. The first durable event of a run whose marker
     * says 0 is written to the marker before the caller's stage completes (once per run, on the writer
     * thread), so a journal deleted or emptied later is noticed; afterwards the marker follows at every
     * snapshot and open. Returns null.
     */
    public Void durable(Long sequence) {
        if (markedHighWater == 0 && !markerFailed) {
            recordHighWater(sequence);
        }
        return null;
    }

    /** The marker recovery left ({@code onDisk} false if it could not be written yet). */
    void adoptMarker(RunMarker m, boolean onDisk) {
        synchronized (markerLock) {
            marker = m;
            markerOnDisk = onDisk;
            markedHighWater = m.highWaterSequence();
        }
    }

    /** Raises the run marker to {@code sequence} (durably) if it is below; a failure is logged once. */
    void recordHighWater(long sequence) {
        synchronized (markerLock) {
            if (marker != null && marker.highWaterSequence() >= sequence && markerOnDisk) {
                markedHighWater = marker.highWaterSequence();
                return;
            }
            RunMarker next = marker == null
                    ? new RunMarker(runId, sequence, Instant.now(), null)
                    : marker.withHighWater(Math.max(sequence, marker.highWaterSequence()), Instant.now());
            try {
                next.write(dir);
                marker = next;
                markerOnDisk = true;
                markedHighWater = sequence;
            } catch (IOException e) {
                if (!markerFailed) {
                    markerFailed = true;
                    LOG.warn(
                            "run '{}': cannot update the run marker {} to sequence {} ({}); recovery still checks "
                                    + "snapshots and journal",
                            runId,
                            dir.resolve(RunMarker.FILE),
                            sequence,
                            e.toString());
                }
            }
        }
    }

    public Path directory() {
        return dir;
    }

    /** Appends {@code event}, which must carry the next sequence; {@link IllegalArgumentException} otherwise. */
    public synchronized CompletableFuture<Long> append(ProgressEvent event) {
        if (closed) {
            throw new IllegalStateException("run '" + runId + "' is closed or deleted");
        }
        long expected = projection.lastSequence() + 1;
        if (event.sequence() != expected) {
            throw new IllegalArgumentException(
                    "run '" + runId + "': expected sequence " + expected + " but got " + event.sequence());
        }
        CompletableFuture<Long> done = journal.append(WireFormat.toJson(event).getBytes(StandardCharsets.UTF_8));
        projection.apply(event);
        eventsSinceSnapshot++;
        return done;
    }

    public synchronized RunState state() {
        return projection.snapshot();
    }

    public synchronized RunInfo info() {
        return projection.info();
    }

    public synchronized long lastSequence() {
        return projection.lastSequence();
    }

    public synchronized int taskCount() {
        return projection.taskCount();
    }

    /**
     * Events after {@code afterSequence}, at most {@code max}, as far as written; empty if the journal
     * no longer holds the first of them.
     */
    public Optional<List<ProgressEvent>> eventsSince(long afterSequence, int max) {
        long last = lastSequence();
        long from = Math.max(afterSequence, 0) + 1;
        if (from > last || max == 0) {
            return Optional.of(List.of());
        }
        List<ProgressEvent> out = new ArrayList<>();
        boolean retained;
        try {
            retained = journal.read(from, (index, payload) -> {
                if (index > last || out.size() >= max) {
                    return false;
                }
                out.add(WireFormat.fromJson(payload));
                return out.size() < max;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("reading the journal of run '" + runId + "' failed", e);
        }
        return retained ? Optional.of(List.copyOf(out)) : Optional.empty();
    }

    /**
     * True (once, until {@link #snapshot} runs) when a snapshot is due: at least {@code minEvents} events, and
     * at least {@code eventsPerTask} per task of the last snapshot, arrived since it (the replay after a crash
     * stays proportional to the run; a run that only grows snapshots at sizes growing by that factor).
     */
    public synchronized boolean claimSnapshot(long minEvents, double eventsPerTask) {
        if (closed
                || snapshotting
                || snapshotClaimed
                || eventsSinceSnapshot < Math.max(minEvents, (long) Math.ceil(snapshotTasks * eventsPerTask))
                || !journal.health().isWriting()
                || (snapshotNotBeforeNanos != 0 && System.nanoTime() - snapshotNotBeforeNanos < 0)) {
            return false;
        }
        snapshotClaimed = true;
        return true;
    }

    /**
     * Whether the run's journal writes succeed now: the journal's health in the store's terms. A volatile
     * read; while the journal writes normally (the per-call case) nothing is allocated, and a failing
     * journal's health is translated once per change.
     */
    public StoreHealth health() {
        JournalHealth h = journal.health();
        if (h.isWriting()) {
            return StoreHealth.WRITING;
        }
        Translated last = translated;
        if (last == null || last.from != h) {
            last = new Translated(
                    h,
                    new StoreHealth(
                            StoreHealth.State.valueOf(h.state().name()),
                            h.problem(),
                            h.since(),
                            h.heldRecords(),
                            h.heldBytes()));
            translated = last;
        }
        return last.to;
    }

    private record Translated(JournalHealth from, StoreHealth to) {}

    /**
     * Writes a snapshot of the current state (if anything changed since the last), then drops old
     * snapshots and the journal segments nobody needs: the journal keeps everything after the older
     * kept snapshot and at least {@code retainedEvents} events.
     *
     * <p>The state is taken at sequence S and written only once the journal holds every record up to S
     * durably, so a snapshot never runs ahead of the journal (an event whose write failed never reaches
     * one). While the journal's writes fail, no snapshot is written (false is returned; a later one covers
     * it). A snapshot that cannot be written (disk full) leaves no file, changes nothing, and is tried
     * again {@value #SNAPSHOT_RETRY_SECONDS} s later at the earliest.
     *
     * @return true if a snapshot was written
     */
    public boolean snapshot(long retainedEvents) throws IOException {
        RunState state;
        CompletableFuture<Void> durable;
        synchronized (this) {
            snapshotClaimed = false;
            if (closed || snapshotting || eventsSinceSnapshot == 0) {
                return false;
            }
            try {
                durable = journal.flush(); // queued after the record of state.lastSequence()
            } catch (IllegalStateException e) {
                return false; // closed
            }
            snapshotting = true;
            state = projection.snapshot();
        }
        long written = -1;
        try {
            try {
                durable.join();
            } catch (CompletionException | CancellationException e) {
                LOG.debug(
                        "run '{}': no snapshot at sequence {} now, its journal is not durable there: {}",
                        runId,
                        state.lastSequence(),
                        e.getCause() == null ? e.toString() : e.getCause().toString());
                return false;
            }
            try {
                SnapshotFiles.write(dir, state);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    snapshotNotBeforeNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(SNAPSHOT_RETRY_SECONDS);
                }
                throw e;
            }
            long seq = state.lastSequence();
            written = seq;
            List<Long> drop;
            synchronized (this) {
                eventsSinceSnapshot = projection.lastSequence() - seq;
                snapshotTasks = state.tasks().size();
                snapshotSeqs.add(0, seq);
                drop = new ArrayList<>(
                        snapshotSeqs.subList(Math.min(SNAPSHOTS_KEPT, snapshotSeqs.size()), snapshotSeqs.size()));
                snapshotSeqs.removeAll(drop);
            }
            for (long s : drop) {
                Files.deleteIfExists(dir.resolve(SnapshotFiles.fileName(s)));
            }
            long oldestKept;
            synchronized (this) {
                oldestKept = snapshotSeqs.get(snapshotSeqs.size() - 1);
            }
            try {
                journal.rotate().join();
            } catch (IllegalStateException | CompletionException e) {
                return true; // closed or failing meanwhile: the snapshot stands, compaction waits for the next one
            }
            journal.deleteBefore(Math.min(oldestKept + 1, seq + 1 - retainedEvents));
            return true;
        } finally {
            synchronized (this) {
                snapshotting = false;
            }
            if (written >= 0) {
                recordHighWater(written); // the snapshot's own trailer is evidence until then
            }
        }
    }

    /** Bytes of journal and snapshots. */
    public long diskBytes() {
        long bytes = journal.sizeBytes();
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (SnapshotFiles.parseFileName(p.getFileName().toString()) >= 0) {
                    bytes += Files.size(p);
                }
            }
        } catch (IOException e) {
            // A snapshot deleted meanwhile: the journal figure still stands.
        }
        return bytes;
    }

    /** Flushes and closes the journal (and releases the directory lock). Idempotent. */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        journal.close();
    }
}

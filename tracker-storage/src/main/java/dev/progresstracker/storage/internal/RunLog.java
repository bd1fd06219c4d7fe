package dev.progresstracker.storage.internal;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.storage.journal.GroupCommitter;
import dev.progresstracker.storage.journal.Journal;
import dev.progresstracker.storage.journal.JournalConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One stored run: its directory, its journal (record index = event sequence), its snapshots and
 * an in-memory projection so reads never touch the disk for state. Recovery on open: newest valid
 * snapshot + journal replay; a damaged snapshot is quarantined and the previous one (or the
 * journal from the start) is used; if what is left cannot reach the newest sequence a snapshot
 * promised, opening fails instead of starting short.
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

    private RunLog(String runId, Path dir, Journal journal, RunProjection projection, List<Long> snapshotSeqs,
                   long baseTasks) {
        this.runId = runId;
        this.dir = dir;
        this.journal = journal;
        this.projection = projection;
        this.snapshotSeqs.addAll(snapshotSeqs);
        long base = snapshotSeqs.isEmpty() ? 0 : snapshotSeqs.get(0);
        this.eventsSinceSnapshot = projection.lastSequence() - base;
        this.snapshotTasks = baseTasks;
    }

    /** Opens (creating if needed) and recovers the run in {@code dir}. */
    public static RunLog open(String runId, Path dir, JournalConfig config, GroupCommitter committer) throws IOException {
        return open(runId, dir, config, committer, JournalFiles.SYSTEM);
    }

    /** As above, the journal writing through {@code files} (the fault-test seam). */
    public static RunLog open(String runId, Path dir, JournalConfig config, GroupCommitter committer,
                              JournalFiles files) throws IOException {
        Files.createDirectories(dir);
        Journal journal = Journal.open(dir, config, committer, files);
        try {
            return recover(runId, dir, journal);
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    private static RunLog recover(String runId, Path dir, Journal journal) throws IOException {
        SnapshotFiles.deleteTempFiles(dir);
        RunState base = null;
        long promised = 0;
        List<Long> valid = new ArrayList<>();
        for (Path p : SnapshotFiles.list(dir)) {
            long seq = SnapshotFiles.parseFileName(p.getFileName().toString());
            promised = Math.max(promised, seq);
            if (base != null) {
                valid.add(seq);
                continue;
            }
            try {
                base = SnapshotFiles.read(p, runId);
                valid.add(seq);
            } catch (IOException e) {
                Path q = Files.createDirectories(dir.resolve(Journal.QUARANTINE_DIR)).resolve(p.getFileName() + ".bad");
                Files.move(p, q, StandardCopyOption.REPLACE_EXISTING);
                LOG.warn("run '{}': {}; moved it to {} and fall back to an older snapshot or the journal", runId,
                        e.getMessage(), q);
            }
        }
        long baseSeq = base == null ? 0 : base.lastSequence();
        RunProjection projection = base == null ? new RunProjection(runId, RunProjection.Mode.CONTIGUOUS)
                : RunProjection.of(base, RunProjection.Mode.CONTIGUOUS);
        if (journal.nextIndex() <= baseSeq + 1) {
            if (journal.nextIndex() < baseSeq + 1) {
                // The snapshot is ahead of the journal (its tail was cut): continue numbering after it.
                journal.restartAt(baseSeq + 1);
            }
        } else if (journal.firstIndex() > baseSeq + 1) {
            throw new IOException("run '" + runId + "' in " + dir + " cannot be recovered: the journal starts at "
                    + "sequence " + journal.firstIndex() + " but the newest usable snapshot ends at " + baseSeq
                    + " (see quarantine/)");
        } else {
            replay(journal, projection, baseSeq + 1);
        }
        if (projection.lastSequence() < promised) {
            throw new IOException("run '" + runId + "' in " + dir + " cannot be recovered: a snapshot at sequence "
                    + promised + " existed but only " + projection.lastSequence() + " could be restored (see quarantine/)");
        }
        if (!journal.recovery().clean() || (base != null && baseSeq < promised)) {
            LOG.warn("run '{}' recovered up to sequence {} after cutting damaged data (kept in {})", runId,
                    projection.lastSequence(), dir.resolve(Journal.QUARANTINE_DIR));
        }
        return new RunLog(runId, dir, journal, projection, valid, base == null ? 0 : base.tasks().size());
    }

    /** Records parsed per chunk on a helper thread during replay. */
    private static final int REPLAY_CHUNK = 512;

    /**
     * Replays the journal from {@code from}: this thread reads and checks frames and applies events in
     * order; helper threads parse chunks of records meanwhile (parsing is most of the cost).
     */
    private static void replay(Journal journal, RunProjection projection, long from) throws IOException {
        String runId = projection.runId();
        try (ParseAhead<Object[]> ahead = new ParseAhead<>()) {
            long[] chunkFirst = {from};
            List<byte[]> chunk = new ArrayList<>(REPLAY_CHUNK);
            long[] next = {from};
            boolean complete = journal.read(from, (index, payload) -> {
                chunk.add(payload);
                if (chunk.size() == REPLAY_CHUNK) {
                    submit(ahead, runId, chunkFirst[0], new ArrayList<>(chunk));
                    chunk.clear();
                    chunkFirst[0] = index + 1;
                    while (ahead.full()) {
                        next[0] = apply(ahead.take(), projection, next[0]);
                    }
                }
                return true;
            });
            if (!chunk.isEmpty()) {
                submit(ahead, runId, chunkFirst[0], new ArrayList<>(chunk));
            }
            while (!ahead.isEmpty()) {
                next[0] = apply(ahead.take(), projection, next[0]);
            }
            if (!complete) {
                throw new IOException("journal of run '" + runId + "' no longer holds sequence " + from);
            }
        }
    }

    /** Parses a chunk into events; a record that is no valid event becomes an IOException in its slot. */
    private static void submit(ParseAhead<Object[]> ahead, String runId, long firstIndex, List<byte[]> payloads) {
        ahead.submit(() -> {
            Object[] out = new Object[payloads.size()];
            for (int i = 0; i < out.length; i++) {
                long index = firstIndex + i;
                try {
                    ProgressEvent e = WireFormat.fromJson(payloads.get(i));
                    out[i] = e.sequence() == index ? e : new IOException("journal record " + index + " of run '"
                            + runId + "' holds sequence " + e.sequence());
                } catch (IllegalArgumentException ex) {
                    out[i] = new IOException("journal record " + index + " of run '" + runId
                            + "' passes its checksum but is not a valid event: " + ex.getMessage(), ex);
                }
            }
            return out;
        });
    }

    /** Applies a parsed chunk in order (the first bad record stops recovery); returns the next index. */
    private static long apply(Object[] parsed, RunProjection projection, long next) throws IOException {
        for (Object o : parsed) {
            if (o instanceof IOException bad) {
                throw bad;
            }
            projection.apply((ProgressEvent) o);
            next++;
        }
        return next;
    }

    public String runId() {
        return runId;
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
            throw new IllegalArgumentException("run '" + runId + "': expected sequence " + expected + " but got "
                    + event.sequence());
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
        if (closed || snapshotting || snapshotClaimed
                || eventsSinceSnapshot < Math.max(minEvents, (long) Math.ceil(snapshotTasks * eventsPerTask))
                || !journal.health().isWriting()
                || (snapshotNotBeforeNanos != 0 && System.nanoTime() - snapshotNotBeforeNanos < 0)) {
            return false;
        }
        snapshotClaimed = true;
        return true;
    }

    /** Whether the run's journal writes succeed now (a volatile read). */
    public StoreHealth health() {
        return journal.health();
    }

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
        try {
            try {
                durable.join();
            } catch (CompletionException | CancellationException e) {
                LOG.debug("run '{}': no snapshot at sequence {} now, its journal is not durable there: {}", runId,
                        state.lastSequence(), e.getCause() == null ? e.toString() : e.getCause().toString());
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
            List<Long> drop;
            synchronized (this) {
                eventsSinceSnapshot = projection.lastSequence() - seq;
                snapshotTasks = state.tasks().size();
                snapshotSeqs.add(0, seq);
                drop = new ArrayList<>(snapshotSeqs.subList(Math.min(SNAPSHOTS_KEPT, snapshotSeqs.size()), snapshotSeqs.size()));
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

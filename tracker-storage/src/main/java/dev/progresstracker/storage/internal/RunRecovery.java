package dev.progresstracker.storage.internal;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.journal.GroupCommitter;
import dev.progresstracker.journal.Journal;
import dev.progresstracker.journal.JournalConfig;
import dev.progresstracker.journal.JournalFiles;
import dev.progresstracker.journal.Quarantine;
import dev.progresstracker.storage.internal.RunLog.RunLockedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a {@link RunLog}: first, under the run's lock, the highest sequence the directory evidences
 * ({@link RunEvidence}) is written to the run marker ({@link RunMarker}) before anything is cut or moved;
 * then the journal is opened (torn or corrupt tails cut into {@code quarantine/}), the newest snapshot whose
 * content checks out is loaded (bad ones set aside), the journal is replayed after it, and the result is
 * compared with the evidence: fewer events than evidenced are refused unless the caller accepts the loss,
 * which is logged and recorded in the marker. Because the evidence is recorded first, every later open
 * refuses the same way.
 */
final class RunRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(RunRecovery.class);

    private RunRecovery() {}

    /** See {@link RunLog#open(String, Path, JournalConfig, GroupCommitter, JournalFiles, boolean)}. */
    static RunLog open(
            String runId,
            Path dir,
            JournalConfig config,
            GroupCommitter committer,
            JournalFiles files,
            boolean acceptLoss)
            throws IOException {
        Files.createDirectories(dir);
        RunEvidence evidence = recordEvidence(runId, dir, config.maxRecordBytes());
        Journal journal = Journal.open(dir, config, committer, files);
        Recovery r = new Recovery(runId, dir, config, committer, files, journal, evidence, acceptLoss);
        try {
            return r.run();
        } catch (IOException | RuntimeException e) {
            r.journal.close();
            throw e;
        }
    }

    /**
     * Under the run's lock (taken and released here; the journal takes it again), gathers the evidence of
     * the highest stored sequence and raises the marker to it, so that a refused open stays refused even
     * after this recovery moved damaged files to quarantine.
     */
    private static RunEvidence recordEvidence(String runId, Path dir, int maxRecordBytes) throws IOException {
        Path lockFile = dir.resolve(Journal.LOCK_FILE);
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new RunLockedException(
                        "run '" + runId + "' in " + dir + " is already open in this process "
                                + "(another store holds it; read it with FileProgressStore.readOnly)",
                        e);
            }
            if (lock == null) {
                throw new RunLockedException(
                        "run '" + runId + "' in " + dir + " is locked by another process (lock file " + lockFile
                                + "; read it with FileProgressStore.readOnly)",
                        null);
            }
            try {
                RunMarker.deleteTempFile(dir);
                RunEvidence ev = RunEvidence.gather(dir, maxRecordBytes);
                RunMarker m = ev.marker();
                if (ev.markerProblem() == null && (m == null || ev.highWater() > m.highWaterSequence())) {
                    m = m == null
                            ? new RunMarker(runId, ev.highWater(), Instant.now(), null)
                            : m.withHighWater(ev.highWater(), Instant.now());
                    try {
                        m.write(dir);
                    } catch (IOException e) {
                        // A full disk: recovery may still open the run if it has nothing to set aside;
                        // before it sets anything aside it must write the marker (Recovery.recordFirst).
                        LOG.warn(
                                "run '{}': cannot record the evidence (sequence {}) in {} yet: {}",
                                runId,
                                ev.highWater(),
                                dir.resolve(RunMarker.FILE),
                                e.toString());
                        return new RunEvidence(ev.highWater(), ev.source(), m, null, true, false);
                    }
                    ev = new RunEvidence(ev.highWater(), ev.source(), m, null, true);
                }
                return ev;
            } finally {
                lock.release();
            }
        }
    }

    /** One recovery: snapshot choice, journal replay, the check against the evidence. */
    private static final class Recovery {
        final String runId;
        final Path dir;
        final JournalConfig config;
        final GroupCommitter committer;
        final JournalFiles files;
        RunEvidence evidence;
        final boolean acceptLoss;
        Journal journal;

        Recovery(
                String runId,
                Path dir,
                JournalConfig config,
                GroupCommitter committer,
                JournalFiles files,
                Journal journal,
                RunEvidence evidence,
                boolean acceptLoss) {
            this.runId = runId;
            this.dir = dir;
            this.config = config;
            this.committer = committer;
            this.files = files;
            this.journal = journal;
            this.evidence = evidence;
            this.acceptLoss = acceptLoss;
        }

        RunLog run() throws IOException {
            SnapshotFiles.deleteTempFiles(dir);
            List<Path> snapshots = new ArrayList<>();
            List<Long> sequences = new ArrayList<>();
            for (Path p : SnapshotFiles.list(dir)) {
                try {
                    sequences.add(SnapshotFiles.trailer(p).sequence());
                    snapshots.add(p);
                } catch (IOException e) {
                    quarantineSnapshot(p, e.getMessage());
                }
            }
            RunState base = null;
            List<Long> valid = new ArrayList<>();
            for (int i = 0; i < snapshots.size(); i++) {
                if (base != null) {
                    valid.add(sequences.get(i));
                    continue;
                }
                try {
                    base = SnapshotFiles.read(snapshots.get(i), runId);
                    valid.add(sequences.get(i));
                } catch (IOException e) {
                    quarantineSnapshot(snapshots.get(i), e.getMessage());
                }
            }
            long baseSeq = base == null ? 0 : base.lastSequence();
            RunProjection projection = base == null
                    ? new RunProjection(runId, RunProjection.Mode.CONTIGUOUS)
                    : RunProjection.of(base, RunProjection.Mode.CONTIGUOUS);
            String gap = null;
            if (journal.nextIndex() <= baseSeq + 1) {
                if (journal.nextIndex() < baseSeq + 1) {
                    // The snapshot is ahead of the journal (its tail was cut): continue numbering after it.
                    journal.restartAt(baseSeq + 1);
                }
            } else if (journal.firstIndex() > baseSeq + 1) {
                gap = "the journal starts at sequence " + journal.firstIndex()
                        + " but the newest usable snapshot ends at " + baseSeq;
            } else {
                replay(journal, projection, baseSeq + 1);
            }
            checkAgainstEvidence(projection.lastSequence(), gap);
            if (!journal.recovery().clean() || !snapshotsQuarantined.isEmpty()) {
                LOG.warn(
                        "run '{}' recovered up to sequence {} after setting damaged data aside (kept in {})",
                        runId,
                        projection.lastSequence(),
                        dir.resolve(Journal.QUARANTINE_DIR));
            }
            RunLog log = new RunLog(
                    runId,
                    dir,
                    journal,
                    projection,
                    valid,
                    base == null ? 0 : base.tasks().size());
            long last = projection.lastSequence();
            if (marker.highWaterSequence() < last) {
                journal.flush().join(); // the replayed tail is on disk before the marker vouches for it
            }
            log.adoptMarker(marker, evidence.recorded());
            log.recordHighWater(last);
            return log;
        }

        private final List<Path> snapshotsQuarantined = new ArrayList<>();
        private RunMarker marker;

        private void quarantineSnapshot(Path p, String why) throws IOException {
            recordFirst("setting aside " + p.getFileName());
            Path q = Quarantine.moveIn(dir, p, p.getFileName() + ".bad");
            snapshotsQuarantined.add(q);
            LOG.warn("run '{}': {}; moved it to {} and fall back to an older snapshot or the journal", runId, why, q);
        }

        /** Writes the evidence to the marker if the open could not; throws if it still cannot. */
        private void recordFirst(String before) throws IOException {
            if (evidence.recorded()) {
                return;
            }
            try {
                evidence.marker().write(dir);
                evidence = evidence.asRecorded();
            } catch (IOException e) {
                throw new IOException(
                        "run '" + runId + "' in " + dir + ": cannot record the evidence (sequence "
                                + evidence.highWater() + ") in " + RunMarker.FILE + " before " + before + " ("
                                + e.getMessage()
                                + "); nothing was changed. Free space, or read the run with FileProgressStore.readOnly",
                        e);
            }
        }

        /** Throws unless {@code loaded} reaches the evidence (or the caller accepts the loss, which is recorded). */
        private void checkAgainstEvidence(long loaded, String gap) throws IOException {
            long evidenced = evidence.highWater();
            String problem;
            if (evidence.markerProblem() != null) {
                problem = evidence.markerProblem() + ", so the highest stored sequence is unknown";
            } else if (gap != null) {
                problem = gap;
            } else if (loaded < evidenced) {
                problem = "sequence " + evidenced + " was stored (evidence: " + evidence.source() + ") but only "
                        + loaded + " can be restored"
                        + (loaded == 0
                                ? " (no usable snapshot and no journal record: was the journal deleted or emptied?)"
                                : "");
            } else {
                marker = evidence.marker();
                return;
            }
            if (!acceptLoss) {
                throw new IOException("run '" + runId + "' in " + dir + " cannot be recovered: " + problem
                        + " (see quarantine/). Nothing was loaded; to continue from sequence " + loaded
                        + " accept the loss: FileStoreConfig.acceptLoss(true) or FileProgressStore.loadRunAcceptingLoss(\""
                        + runId + "\")");
            }
            recordFirst("accepting the loss");
            if (gap != null) {
                restartJournalAfter(loaded);
            }
            if (evidence.markerProblem() != null && Files.exists(dir.resolve(RunMarker.FILE))) {
                Quarantine.moveIn(dir, dir.resolve(RunMarker.FILE), RunMarker.FILE + ".bad");
            }
            Instant now = Instant.now();
            marker = new RunMarker(
                    runId, loaded, now, new RunMarker.LossAccepted(loaded + 1, Math.max(evidenced, loaded + 1), now));
            marker.write(dir);
            LOG.warn(
                    "run '{}' in {}: LOSS ACCEPTED as configured: {}; loaded {} event(s), the run continues at "
                            + "sequence {} (the damaged data is kept in {})",
                    runId,
                    dir,
                    problem,
                    loaded,
                    loaded + 1,
                    dir.resolve(Journal.QUARANTINE_DIR));
        }

        /** Moves every journal segment to quarantine and starts the journal over at {@code last + 1}. */
        private void restartJournalAfter(long last) throws IOException {
            journal.close();
            List<Path> segments = new ArrayList<>();
            try (var s = Files.list(dir)) {
                s.filter(p -> JournalFiles.segmentFirstIndex(p.getFileName().toString()) >= 0)
                        .forEach(segments::add);
            }
            for (Path p : segments) {
                Quarantine.moveIn(dir, p, p.getFileName() + ".0.bad");
            }
            Files.newByteChannel(
                            dir.resolve(JournalFiles.segmentFileName(last + 1)),
                            StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)
                    .close();
            JournalFiles.SYSTEM.syncDirectory(dir);
            journal = Journal.open(dir, config, committer, files);
        }
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
                    out[i] = e.sequence() == index
                            ? e
                            : new IOException("journal record " + index + " of run '" + runId + "' holds sequence "
                                    + e.sequence());
                } catch (IllegalArgumentException ex) {
                    out[i] = new IOException(
                            "journal record " + index + " of run '" + runId
                                    + "' passes its checksum but is not a valid event: " + ex.getMessage(),
                            ex);
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
}

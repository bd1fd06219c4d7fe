package dev.progresstracker.storage.internal;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.journal.FrameReader;
import dev.progresstracker.journal.JournalFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run read from disk without its lock and without changing anything: for inspection next to a live
 * writer or on a read-only file system. Recovery is the writer's (newest snapshot whose content checks out +
 * journal replay, refused below the evidence of {@link RunEvidence} unless loss is accepted) except that
 * nothing is cut, moved or written: a damaged snapshot is skipped, and the journal is read up to its first
 * torn or corrupt frame (a writer may be in the middle of it). Each read first catches up with what the
 * writer appended since (from the last position; a full reload if the writer compacted or restarted the
 * journal meanwhile).
 *
 * <p>Thread-safe (one monitor per run).
 */
public final class ReadOnlyRun {

    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyRun.class);
    private static final int ATTEMPTS = 3;

    private final String runId;
    private final Path dir;
    private final int maxRecordBytes;
    private final boolean acceptLoss;
    private RunProjection projection;
    /** The segment file and offset where the next record (index {@link #nextIndex}) is expected. */
    private Path segment;

    private long offset;
    /** Index of the record at {@link #offset}. */
    private long offsetIndex;

    private long nextIndex;

    public ReadOnlyRun(String runId, Path dir, int maxRecordBytes, boolean acceptLoss) {
        this.runId = runId;
        this.dir = dir;
        this.maxRecordBytes = maxRecordBytes;
        this.acceptLoss = acceptLoss;
    }

    public String runId() {
        return runId;
    }

    /** The run as on disk now. @throws IOException if it cannot be restored up to its evidence */
    public synchronized RunState state() throws IOException {
        refresh();
        return projection.snapshot();
    }

    public synchronized RunInfo info() throws IOException {
        refresh();
        return projection.info();
    }

    /** Events after {@code afterSequence} as on disk, at most {@code max}; empty if compaction removed the first. */
    public Optional<List<ProgressEvent>> eventsSince(long afterSequence, int max) throws IOException {
        long last;
        synchronized (this) {
            refresh();
            last = projection.lastSequence();
        }
        long from = Math.max(afterSequence, 0) + 1;
        if (from > last || max == 0) {
            return Optional.of(List.of());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return readEvents(from, last, max);
            } catch (NoSuchFileException e) {
                if (attempt == ATTEMPTS) {
                    return Optional.empty(); // compacted while we read
                }
            }
        }
    }

    private Optional<List<ProgressEvent>> readEvents(long from, long last, int max) throws IOException {
        List<long[]> segs = segments();
        int i = segs.size() - 1;
        while (i >= 0 && segs.get(i)[0] > from) {
            i--;
        }
        if (i < 0) {
            return Optional.empty();
        }
        List<ProgressEvent> out = new ArrayList<>();
        long index = segs.get(i)[0];
        for (; i < segs.size() && segs.get(i)[0] == index; i++) {
            try (FileChannel ch =
                    FileChannel.open(dir.resolve(JournalFiles.segmentFileName(index)), StandardOpenOption.READ)) {
                FrameReader r = new FrameReader(ch, 0, ch.size(), maxRecordBytes);
                while (r.next() == FrameReader.Status.RECORD) {
                    if (index >= from) {
                        out.add(WireFormat.fromJson(r.payload()));
                        if (out.size() >= max || index >= last) {
                            return Optional.of(List.copyOf(out));
                        }
                    }
                    index++;
                }
            }
        }
        return Optional.of(List.copyOf(out));
    }

    /** Bytes of journal segments and snapshots on disk. */
    public long diskBytes() {
        long bytes = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (JournalFiles.segmentFirstIndex(n) >= 0 || SnapshotFiles.parseFileName(n) >= 0) {
                    try {
                        bytes += Files.size(p);
                    } catch (NoSuchFileException e) {
                        // compacted meanwhile
                    }
                }
            }
        } catch (IOException e) {
            // unreadable directory: nothing to count
        }
        return bytes;
    }

    private void refresh() throws IOException {
        if (projection != null && catchUp()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                load();
                return;
            } catch (NoSuchFileException e) {
                // A live writer compacted or replaced a file while we read: start over.
                projection = null;
                if (attempt == ATTEMPTS) {
                    throw new IOException(
                            "run '" + runId + "' in " + dir + " kept changing while it was read: " + e, e);
                }
            }
        }
    }

    private void load() throws IOException {
        RunEvidence evidence = RunEvidence.gather(dir, maxRecordBytes);
        RunState base = null;
        List<Path> snaps = SnapshotFiles.list(dir);
        for (Path p : snaps) {
            try {
                base = SnapshotFiles.read(p, runId);
                break;
            } catch (NoSuchFileException e) {
                throw e;
            } catch (IOException e) {
                LOG.warn("run '{}' (read-only): skipping snapshot: {}", runId, e.getMessage());
            }
        }
        long baseSeq = base == null ? 0 : base.lastSequence();
        RunProjection p = base == null
                ? new RunProjection(runId, RunProjection.Mode.CONTIGUOUS)
                : RunProjection.of(base, RunProjection.Mode.CONTIGUOUS);
        List<long[]> segs = segments();
        int i = segs.size() - 1;
        while (i >= 0 && segs.get(i)[0] > baseSeq + 1) {
            i--;
        }
        String gap = null;
        projection = p;
        nextIndex = baseSeq + 1;
        segment = null;
        if (i >= 0) {
            segment = dir.resolve(JournalFiles.segmentFileName(segs.get(i)[0]));
            offset = 0;
            offsetIndex = segs.get(i)[0];
            readFrom();
        } else if (!segs.isEmpty()) {
            gap = "the journal starts at sequence " + segs.get(0)[0] + " but the newest usable snapshot ends at "
                    + baseSeq;
        }
        check(evidence, p.lastSequence(), gap);
    }

    private void check(RunEvidence evidence, long loaded, String gap) throws IOException {
        String problem = null;
        if (evidence.markerProblem() != null) {
            problem = evidence.markerProblem() + ", so the highest stored sequence is unknown";
        } else if (gap != null) {
            problem = gap;
        } else if (loaded < evidence.highWater()) {
            problem = "sequence " + evidence.highWater() + " was stored (evidence: " + evidence.source() + ") but only "
                    + loaded + " can be read";
        }
        if (problem == null) {
            return;
        }
        if (!acceptLoss) {
            projection = null;
            throw new IOException("run '" + runId + "' in " + dir + " cannot be recovered: " + problem
                    + " (read-only: nothing was changed)");
        }
        LOG.warn(
                "run '{}' in {} (read-only): LOSS ACCEPTED as configured: {}; showing {} event(s)",
                runId,
                dir,
                problem,
                loaded);
    }

    /** Continues reading after the last record read; false if the files moved on in a way that needs a reload. */
    private boolean catchUp() throws IOException {
        if (segment == null) {
            return segments().isEmpty();
        }
        if (!Files.exists(segment)) {
            return false;
        }
        try {
            readFrom();
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Reads records from {@link #segment} at {@link #offset}, applying those at {@link #nextIndex} and on, then the segments that follow without a gap; stops at the
     * end or at a torn or corrupt frame (left as it is).
     */
    private void readFrom() throws IOException {
        long index = offsetIndex;
        while (true) {
            try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
                FrameReader r = new FrameReader(ch, offset, ch.size(), maxRecordBytes);
                FrameReader.Status st;
                while ((st = r.next()) == FrameReader.Status.RECORD) {
                    if (index >= nextIndex) {
                        ProgressEvent e;
                        try {
                            e = WireFormat.fromJson(r.payload());
                        } catch (IllegalArgumentException ex) {
                            throw new IOException(
                                    "journal record " + index + " of run '" + runId + "' in " + segment
                                            + " passes its checksum but is not a valid event: " + ex.getMessage(),
                                    ex);
                        }
                        if (e.sequence() != index) {
                            throw new IOException("journal record " + index + " of run '" + runId + "' in " + segment
                                    + " holds sequence " + e.sequence());
                        }
                        projection.apply(e);
                        nextIndex = index + 1;
                    }
                    index++;
                    offset = r.frameOffset() + FrameReader.frameBytes(r.payload().length);
                    offsetIndex = index;
                }
                if (st != FrameReader.Status.END) {
                    return; // torn or corrupt: maybe a write in progress; read again next time
                }
            }
            Path next = dir.resolve(JournalFiles.segmentFileName(index));
            if (next.equals(segment) || !Files.exists(next)) {
                return; // the newest segment, read to its end
            }
            segment = next;
            offset = 0;
            offsetIndex = index;
        }
    }

    /** {@code [firstIndex]} of every segment file, ascending. */
    private List<long[]> segments() throws IOException {
        List<long[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                long f = JournalFiles.segmentFirstIndex(p.getFileName().toString());
                if (f >= 0) {
                    out.add(new long[] {f});
                }
            });
        }
        out.sort((a, b) -> Long.compare(a[0], b[0]));
        return out;
    }
}

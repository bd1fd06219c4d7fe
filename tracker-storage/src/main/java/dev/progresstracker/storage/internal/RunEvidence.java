package dev.progresstracker.storage.internal;

import dev.progresstracker.journal.FrameReader;
import dev.progresstracker.journal.JournalFiles;
import dev.progresstracker.journal.Quarantine;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a run directory says about the highest sequence the run ever stored, gathered without changing
 * anything: the run marker, every snapshot whose trailer checks out (its sequence comes from the content,
 * never from the name alone), the journal segments (a segment named for record F proves F-1 records before
 * it; one whose first frame checks out proves F), and, for a run without a marker (written by an older
 * version), what its {@code quarantine/} holds. Recovery must restore at least {@link #highWater()} events
 * or refuse.
 *
 * @param highWater     highest sequence evidenced (0 if none)
 * @param source        what evidences it, for messages ("run marker run.json", "snapshot …", "journal segment …")
 * @param marker        the run marker, or null if there is none or it is damaged
 * @param markerProblem why the marker cannot be trusted, or null
 * @param realRun       whether the directory is a run: it has a marker (even a damaged one) or checked data
 * @param recorded      whether {@code marker} is on disk (false after a failed write, e.g. a full disk)
 */
public record RunEvidence(
        long highWater, String source, RunMarker marker, String markerProblem, boolean realRun, boolean recorded) {

    public RunEvidence(long highWater, String source, RunMarker marker, String markerProblem, boolean realRun) {
        this(highWater, source, marker, markerProblem, realRun, true);
    }

    /** This evidence after its marker was written. */
    public RunEvidence asRecorded() {
        return new RunEvidence(highWater, source, marker, markerProblem, realRun, true);
    }

    /** Gathers the evidence in {@code dir}; reads only. */
    public static RunEvidence gather(Path dir, int maxRecordBytes) throws IOException {
        RunMarker marker = null;
        String markerProblem = null;
        boolean markerFile = Files.exists(dir.resolve(RunMarker.FILE));
        try {
            marker = RunMarker.read(dir).orElse(null);
        } catch (RunMarker.DamagedException e) {
            markerProblem = e.getMessage();
        }
        Best best = new Best();
        if (marker != null) {
            best.offer(marker.highWaterSequence(), "run marker " + RunMarker.FILE);
        }
        boolean checkedData = false;
        for (Path p : list(dir)) {
            String name = p.getFileName().toString();
            if (SnapshotFiles.parseFileName(name) >= 0) {
                checkedData |= offerSnapshot(best, p, SnapshotFiles.parseFileName(name), "snapshot " + name);
            } else if (JournalFiles.segmentFirstIndex(name) >= 0) {
                checkedData |= offerSegment(
                        best, p, JournalFiles.segmentFirstIndex(name), maxRecordBytes, "journal segment " + name);
            }
        }
        if (marker == null && markerProblem == null) {
            // A run from before markers existed: what an earlier recovery set aside still counts.
            for (Path p : list(dir.resolve(Quarantine.DIR))) {
                String name = p.getFileName().toString();
                int json = name.indexOf(".json.bad");
                int log = name.indexOf(".log.0.bad");
                if (json > 0 && SnapshotFiles.parseFileName(name.substring(0, json + 5)) >= 0) {
                    offerSnapshot(
                            best,
                            p,
                            SnapshotFiles.parseFileName(name.substring(0, json + 5)),
                            "quarantined snapshot " + name);
                } else if (log > 0 && JournalFiles.segmentFirstIndex(name.substring(0, log + 4)) >= 0) {
                    offerSegment(
                            best,
                            p,
                            JournalFiles.segmentFirstIndex(name.substring(0, log + 4)),
                            maxRecordBytes,
                            "quarantined journal segment " + name);
                }
            }
        }
        return new RunEvidence(best.seq, best.source, marker, markerProblem, markerFile || checkedData);
    }

    /** True if {@code dir} holds a run marker or data that checks out (a run written before markers existed). */
    public static boolean isRun(Path dir, int maxRecordBytes) throws IOException {
        return Files.exists(dir.resolve(RunMarker.FILE))
                || gather(dir, maxRecordBytes).realRun();
    }

    private static boolean offerSnapshot(Best best, Path p, long nameSeq, String what) {
        try {
            best.offer(SnapshotFiles.trailer(p, nameSeq).sequence(), what);
            return true;
        } catch (IOException e) {
            return false; // no consistent trailer: not evidence of anything (see recovery for its fate)
        }
    }

    /** A segment file: F-1 records came before it; if its first frame checks out, record F exists too. */
    private static boolean offerSegment(Best best, Path p, long first, int maxRecordBytes, String what) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            FrameReader.Status s =
                    size == 0 ? FrameReader.Status.END : new FrameReader(ch, 0, size, maxRecordBytes).next();
            switch (s) {
                case RECORD -> {
                    best.offer(first, what);
                    return true;
                }
                case END, TORN -> best.offer(first - 1, what); // created at a rollover after an fsync of the one before
                default -> {
                    // CORRUPT first frame: the name alone proves nothing.
                }
            }
        } catch (NoSuchFileException e) {
            // Compacted meanwhile (a reader next to a live writer).
        } catch (IOException e) {
            // Unreadable: recovery will report it.
        }
        return false;
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    private static final class Best {
        long seq;
        String source = "nothing";

        void offer(long s, String what) {
            if (s > seq) {
                seq = s;
                source = what;
            }
        }
    }
}

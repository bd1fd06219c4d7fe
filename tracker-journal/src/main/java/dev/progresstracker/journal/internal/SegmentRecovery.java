package dev.progresstracker.journal.internal;

import dev.progresstracker.journal.FrameReader;
import dev.progresstracker.journal.JournalRecovery.Quarantined;
import dev.progresstracker.journal.Quarantine;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of a journal directory: checks every frame, cuts the first torn or corrupt
 * one and everything after it, and keeps the cut bytes in {@code quarantine/} with a WARN that
 * names file and offset. Valid data is never dropped silently and never replaced by an empty log.
 */
public final class SegmentRecovery {

    public static final String QUARANTINE_DIR = Quarantine.DIR;

    private static final Logger LOG = LoggerFactory.getLogger(SegmentRecovery.class);

    private final Path dir;
    private final int maxRecordBytes;
    private final List<Segment> segments = new ArrayList<>();
    private final List<Quarantined> quarantined = new ArrayList<>();

    private SegmentRecovery(Path dir, int maxRecordBytes) {
        this.dir = dir;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Scans {@code dir}; the returned segments are contiguous and hold only valid frames. */
    public static SegmentRecovery recover(Path dir, int maxRecordBytes) throws IOException {
        SegmentRecovery r = new SegmentRecovery(dir, maxRecordBytes);
        r.run();
        return r;
    }

    public List<Segment> segments() {
        return segments;
    }

    public List<Quarantined> quarantined() {
        return quarantined;
    }

    private void run() throws IOException {
        List<Segment> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                long first = Segment.parseFileName(p.getFileName().toString());
                if (first >= 0 && Files.isRegularFile(p)) {
                    found.add(new Segment(p, first));
                }
            });
        }
        found.sort((a, b) -> Long.compare(a.firstIndex(), b.firstIndex()));
        boolean cut = false;
        long expected = -1;
        for (Segment seg : found) {
            if (cut) {
                quarantineWhole(seg, "follows a segment that was cut");
                continue;
            }
            if (expected >= 0 && seg.firstIndex() != expected) {
                quarantineWhole(
                        seg,
                        "starts at record " + seg.firstIndex() + " but the previous segment ends before " + expected);
                cut = true;
                continue;
            }
            cut = !scan(seg);
            segments.add(seg);
            expected = seg.endIndex();
        }
    }

    /** Reads every frame of {@code seg}; cuts a bad tail. True if the segment was whole. */
    private boolean scan(Segment seg) throws IOException {
        try (FileChannel ch = FileChannel.open(seg.path(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            FrameReader reader = new FrameReader(ch, 0, size, maxRecordBytes);
            FrameReader.Status status;
            while ((status = reader.next()) == FrameReader.Status.RECORD) {
                seg.addRecord(reader.frameOffset(), Frames.frameBytes(reader.payload().length));
            }
            if (status == FrameReader.Status.END) {
                return true;
            }
            long offset = reader.frameOffset();
            String reason = (status == FrameReader.Status.TORN ? "torn tail: " : "corrupt record: ") + reader.problem();
            quarantineTail(ch, seg.path(), offset, size, reason);
            return false;
        }
    }

    private void quarantineTail(FileChannel ch, Path file, long offset, long size, String reason) throws IOException {
        Path target = Quarantine.copyIn(dir, ch, offset, size, file.getFileName() + "." + offset + ".bad");
        ch.truncate(offset);
        ch.force(true);
        LOG.warn(
                "journal {}: {} at offset {}; cut {} byte(s) there and kept them in {}",
                file,
                reason,
                offset,
                size - offset,
                target);
        quarantined.add(new Quarantined(file, offset, size - offset, target, reason));
    }

    private void quarantineWhole(Segment seg, String reason) throws IOException {
        long size = Files.size(seg.path());
        Path target = Quarantine.moveIn(dir, seg.path(), seg.path().getFileName() + ".0.bad");
        LOG.warn(
                "journal {}: {}; moved the whole segment ({} bytes, from offset 0) to {}",
                seg.path(),
                reason,
                size,
                target);
        quarantined.add(new Quarantined(seg.path(), 0, size, target, reason));
    }

    /** Moves every segment file of {@code segs} to quarantine (used when a journal restarts at a later index). */
    public static List<Quarantined> quarantineAll(Path dir, List<Segment> segs, String reason) throws IOException {
        SegmentRecovery r = new SegmentRecovery(dir, 0);
        for (Segment s : segs) {
            r.quarantineWhole(s, reason);
        }
        return r.quarantined;
    }
}

package dev.progresstracker.journal;

import dev.progresstracker.journal.internal.Segment;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The reading half of a {@link Journal}: walks copies of the retained segments, frame by frame from
 * the nearest sparse-index entry, on the caller's thread, through a channel of its own per segment
 * (the writer is never waited for); a segment deleted meanwhile ends the read.
 */
final class JournalReader {

    private JournalReader() {}

    /** See {@link Journal#read}; {@code view} is a copy of the retained segments, oldest first. */
    static boolean read(List<Segment> view, long fromIndex, int maxRecordBytes, Journal.RecordVisitor visitor)
            throws IOException {
        if (fromIndex < view.get(0).firstIndex()) {
            return false;
        }
        for (Segment s : view) {
            if (s.endIndex() <= fromIndex || s.records() == 0) {
                continue;
            }
            long index = Math.max(fromIndex, s.firstIndex());
            long at = s.sparseIndexAtOrBefore(index);
            FileChannel ch;
            try {
                ch = FileChannel.open(s.path(), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return false;
            }
            try (ch) {
                FrameReader reader = new FrameReader(ch, s.sparseOffsetAtOrBefore(index), s.size(), maxRecordBytes);
                for (long i = at; i < s.endIndex(); i++) {
                    if (reader.next() != FrameReader.Status.RECORD) {
                        throw new IOException("journal " + s.path() + " changed under a reader at record " + i + ": "
                                + reader.problem());
                    }
                    if (i >= index && !visitor.visit(i, reader.payload())) {
                        return true;
                    }
                }
            }
        }
        return true;
    }
}

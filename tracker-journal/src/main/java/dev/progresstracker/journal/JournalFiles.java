package dev.progresstracker.journal;

import dev.progresstracker.journal.internal.Fsync;
import dev.progresstracker.journal.internal.Segment;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How a journal's writer opens its segment files and makes directory entries durable, and how segment
 * files are named. The one production implementation is {@link #SYSTEM}; tests pass a fault-injecting
 * one (writes, fsyncs or truncations that throw EIO or ENOSPC after N bytes, then heal) to prove the
 * write-failure path. Implementations must be thread-safe.
 */
public interface JournalFiles {

    /** The real file system. */
    JournalFiles SYSTEM = new JournalFiles() {
        @Override
        public FileChannel openForWrite(Path file) throws IOException {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            Fsync.directory(dir);
        }
    };

    /** File name of the segment whose first record has index {@code firstIndex}: {@code journal-<20 digits>.log}. */
    static String segmentFileName(long firstIndex) {
        return Segment.fileName(firstIndex);
    }

    /** First record index encoded in a segment file name, or -1 if {@code fileName} is not a segment's. */
    static long segmentFirstIndex(String fileName) {
        return Segment.parseFileName(fileName);
    }

    /** Opens {@code file} for writing at explicit positions, creating it empty if missing. */
    FileChannel openForWrite(Path file) throws IOException;

    /** Forces {@code dir}'s entries (created, renamed, deleted files) to disk. */
    void syncDirectory(Path dir) throws IOException;
}

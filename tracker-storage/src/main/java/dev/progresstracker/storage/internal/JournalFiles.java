package dev.progresstracker.storage.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How a journal's writer opens its segment files and makes directory entries durable. The one
 * production implementation is {@link #SYSTEM}; tests pass a fault-injecting one (writes, fsyncs
 * or truncations that throw EIO or ENOSPC after N bytes, then heal) to prove the write-failure path.
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

    /** Opens {@code file} for writing at explicit positions, creating it empty if missing. */
    FileChannel openForWrite(Path file) throws IOException;

    /** Forces {@code dir}'s entries (created, renamed, deleted files) to disk. */
    void syncDirectory(Path dir) throws IOException;
}

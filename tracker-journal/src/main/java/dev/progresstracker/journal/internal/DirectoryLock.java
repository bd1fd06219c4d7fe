package dev.progresstracker.journal.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a lock file in a directory: keeps a second process, or a second holder in this
 * one, from using the directory. The operating system drops it with the process.
 */
public final class DirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir/fileName} (created if missing).
     *
     * @throws IllegalStateException naming the directory if this or another process holds it
     */
    public static DirectoryLock acquire(Path dir, String fileName, String what) throws IOException {
        FileChannel channel =
                FileChannel.open(dir.resolve(fileName), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IllegalStateException(what + " " + dir + " is already open in this process", e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException(
                    what + " " + dir + " is locked by another process (lock file " + dir.resolve(fileName) + ")");
        }
        return new DirectoryLock(channel, lock);
    }

    /** Releases the lock; never throws (the lock goes with the process anyway). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // Nothing to do: the lock is released when the channel or the process goes.
        }
    }
}

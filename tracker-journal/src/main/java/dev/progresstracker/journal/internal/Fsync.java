package dev.progresstracker.journal.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync of directories, so that created, renamed and deleted entries survive a machine crash. */
public final class Fsync {

    private static final boolean SUPPORTED =
            !System.getProperty("os.name", "").toLowerCase().contains("win");

    private Fsync() {}

    /** Forces the directory entry list of {@code dir} to disk (no-op where the platform cannot). */
    public static void directory(Path dir) throws IOException {
        if (!SUPPORTED) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}

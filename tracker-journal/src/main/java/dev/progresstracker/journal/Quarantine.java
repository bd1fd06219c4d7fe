package dev.progresstracker.journal;

import dev.progresstracker.journal.internal.Fsync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The {@code quarantine/} folder of a run or journal directory: bytes recovery cut off or files it set
 * aside, kept for a human. Each set of bytes is kept once: before a copy or move, files of the same name
 * (plus {@code .1}, {@code .2}, … suffixes) are compared by size and CRC32C, and identical bytes are not
 * stored again. Everything is fsynced before the original is cut or removed.
 */
public final class Quarantine {

    public static final String DIR = "quarantine";

    private Quarantine() {}

    /**
     * Copies bytes {@code [offset, size)} of {@code source} to {@code quarantine/<name>} (or the first free
     * {@code <name>.N}) unless identical bytes are already kept under that name.
     *
     * @return the file that holds the bytes
     */
    public static Path copyIn(Path dir, FileChannel source, long offset, long size, String name) throws IOException {
        long length = size - offset;
        Path target = null;
        try {
            Path qdir = Files.createDirectories(dir.resolve(DIR));
            Path existing = findIdentical(qdir, name, length, crc(source, offset, size));
            if (existing != null) {
                return existing;
            }
            target = free(qdir.resolve(name));
            try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long copied = 0;
                while (copied < length) {
                    long n = source.transferTo(offset + copied, length - copied, out);
                    if (n <= 0) {
                        throw new IOException("copied " + copied + " of " + length + " bytes");
                    }
                    copied += n;
                }
                out.force(true);
            }
            Fsync.directory(qdir);
            return target;
        } catch (IOException e) {
            if (target != null) {
                Files.deleteIfExists(target);
            }
            throw new IOException(
                    "cannot keep " + length + " damaged byte(s) as " + name + " in "
                            + dir.resolve(DIR) + " (" + e.getMessage()
                            + "); nothing was cut. Free space, or read the run with "
                            + "FileProgressStore.readOnly",
                    e);
        }
    }

    /**
     * Moves {@code file} to {@code quarantine/<name>} (or the first free {@code <name>.N}); if identical bytes
     * are already kept under that name, deletes {@code file} instead.
     *
     * @return the file that holds the bytes
     */
    public static Path moveIn(Path dir, Path file, String name) throws IOException {
        Path qdir = Files.createDirectories(dir.resolve(DIR));
        long length = Files.size(file);
        Path existing;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            existing = findIdentical(qdir, name, length, crc(ch, 0, length));
        }
        if (existing != null) {
            Files.delete(file);
            Fsync.directory(file.getParent());
            return existing;
        }
        Path target = free(qdir.resolve(name));
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        Fsync.directory(qdir);
        Fsync.directory(file.getParent());
        return target;
    }

    /** {@code [bytes, files]} kept in {@code dir/quarantine}; zeros if there is none. */
    public static long[] usage(Path dir) {
        Path qdir = dir.resolve(DIR);
        long bytes = 0;
        long files = 0;
        if (!Files.isDirectory(qdir)) {
            return new long[] {0, 0};
        }
        try (Stream<Path> s = Files.list(qdir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    bytes += Files.size(p);
                    files++;
                } catch (NoSuchFileException e) {
                    // Deleted meanwhile.
                }
            }
        } catch (IOException e) {
            // An unreadable folder counts as empty; the caller only reports sizes.
        }
        return new long[] {bytes, files};
    }

    private static Path findIdentical(Path qdir, String name, long length, long crc) throws IOException {
        Path candidate = qdir.resolve(name);
        for (int i = 1; Files.exists(candidate); i++) {
            if (Files.size(candidate) == length) {
                try (FileChannel ch = FileChannel.open(candidate, StandardOpenOption.READ)) {
                    if (crc(ch, 0, length) == crc) {
                        return candidate;
                    }
                }
            }
            candidate = qdir.resolve(name + "." + i);
        }
        return null;
    }

    private static Path free(Path p) {
        Path candidate = p;
        for (int i = 1; Files.exists(candidate); i++) {
            candidate = p.resolveSibling(p.getFileName() + "." + i);
        }
        return candidate;
    }

    private static long crc(FileChannel ch, long from, long to) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long pos = from;
        while (pos < to) {
            buf.clear().limit((int) Math.min(buf.capacity(), to - pos));
            int r = ch.read(buf, pos);
            if (r < 0) {
                break;
            }
            buf.flip();
            crc.update(buf);
            pos += r;
        }
        return crc.getValue();
    }
}

package dev.progresstracker.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link JournalFiles} over the real file system that fails on demand, in the spirit of Okio's
 * FakeFileSystem: writes after a byte budget (the write that crosses it is cut short, a torn write, and
 * every later one throws), fsyncs, truncations and directory syncs, with the message the kernel gives
 * ({@link #EIO}, {@link #ENOSPC}, {@link #EROFS}); {@link #heal()} makes everything work again.
 * Thread-safe.
 */
public final class FaultyJournalFiles implements JournalFiles {

    public static final String EIO = "Input/output error";
    public static final String ENOSPC = "No space left on device";
    public static final String EROFS = "Read-only file system";

    private final AtomicLong writeBudget = new AtomicLong(Long.MAX_VALUE);
    private volatile String writeFault;
    private volatile String forceFault;
    private volatile String truncateFault;
    private volatile String directoryFault;
    private final AtomicInteger faultsThrown = new AtomicInteger();

    /** Writes succeed for {@code bytes} more bytes (a write crossing that is cut short), then throw {@code message}. */
    public FaultyJournalFiles failWritesAfter(long bytes, String message) {
        writeBudget.set(bytes);
        writeFault = message;
        return this;
    }

    public FaultyJournalFiles failForce(String message) {
        forceFault = message;
        return this;
    }

    public FaultyJournalFiles failTruncate(String message) {
        truncateFault = message;
        return this;
    }

    public FaultyJournalFiles failDirectorySync(String message) {
        directoryFault = message;
        return this;
    }

    /** Everything works again. */
    public FaultyJournalFiles heal() {
        writeFault = null;
        forceFault = null;
        truncateFault = null;
        directoryFault = null;
        writeBudget.set(Long.MAX_VALUE);
        return this;
    }

    /** How many operations failed so far. */
    public int faultsThrown() {
        return faultsThrown.get();
    }

    private IOException fault(String message) {
        faultsThrown.incrementAndGet();
        return new IOException(message);
    }

    @Override
    public FileChannel openForWrite(Path file) throws IOException {
        return new FaultyChannel(SYSTEM.openForWrite(file));
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        String f = directoryFault;
        if (f != null) {
            throw fault(f);
        }
        SYSTEM.syncDirectory(dir);
    }

    private final class FaultyChannel extends FileChannel {
        private final FileChannel real;

        FaultyChannel(FileChannel real) {
            this.real = real;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            String f = writeFault;
            if (f == null) {
                return real.write(src, position);
            }
            long budget = writeBudget.get();
            if (budget <= 0) {
                throw fault(f);
            }
            if (src.remaining() <= budget) {
                int n = real.write(src, position);
                writeBudget.addAndGet(-n);
                return n;
            }
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + (int) budget);
            int n = real.write(part, position);
            src.position(src.position() + n);
            writeBudget.set(0);
            return n; // a torn write: the caller's next write fails
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            throw new UnsupportedOperationException("the journal writes at explicit positions");
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            throw new UnsupportedOperationException("the journal writes at explicit positions");
        }

        @Override
        public void force(boolean metaData) throws IOException {
            String f = forceFault;
            if (f != null) {
                throw fault(f);
            }
            real.force(metaData);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            String f = truncateFault;
            if (f != null) {
                throw fault(f);
            }
            real.truncate(size);
            return this;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new UnsupportedOperationException("not used by the journal");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new UnsupportedOperationException("not used by the journal");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}

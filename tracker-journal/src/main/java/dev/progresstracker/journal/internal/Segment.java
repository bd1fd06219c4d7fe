package dev.progresstracker.journal.internal;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Bookkeeping of one journal segment file: its first record index, how many records and bytes it
 * holds, and a sparse index (the offset of every {@value #SPARSE_EVERY}th record) so a read from an
 * index does not scan the whole file. Not thread-safe: the journal guards it.
 */
public final class Segment {

    public static final int SPARSE_EVERY = 64;

    private final Path path;
    private final long firstIndex;
    private long records;
    private long size;
    private long[] sparse = new long[8];
    private int sparseCount;

    public Segment(Path path, long firstIndex) {
        this.path = path;
        this.firstIndex = firstIndex;
    }

    public Path path() {
        return path;
    }

    public long firstIndex() {
        return firstIndex;
    }

    /** Index after the last record. */
    public long endIndex() {
        return firstIndex + records;
    }

    public long records() {
        return records;
    }

    public long size() {
        return size;
    }

    /** Registers a record that starts at {@code offset} and takes {@code frameBytes}. */
    public void addRecord(long offset, int frameBytes) {
        if (records % SPARSE_EVERY == 0) {
            if (sparseCount == sparse.length) {
                sparse = Arrays.copyOf(sparse, sparseCount * 2);
            }
            sparse[sparseCount++] = offset;
        }
        records++;
        size = offset + frameBytes;
    }

    /**
     * Forgets every record after the first {@code keepRecords} (which end at byte {@code keepSize}):
     * the writer rolls back records whose write or fsync failed.
     */
    public void truncateTo(long keepRecords, long keepSize) {
        if (keepRecords > records || keepSize > size) {
            throw new IllegalArgumentException("cannot grow segment " + path + " to " + keepRecords + " records / "
                    + keepSize + " bytes by truncating; it has " + records + " / " + size);
        }
        records = keepRecords;
        size = keepSize;
        sparseCount = (int) ((keepRecords + SPARSE_EVERY - 1) / SPARSE_EVERY);
    }

    /** A frozen copy for a reader. */
    public Segment copy() {
        Segment s = new Segment(path, firstIndex);
        s.records = records;
        s.size = size;
        s.sparse = Arrays.copyOf(sparse, sparseCount);
        s.sparseCount = sparseCount;
        return s;
    }

    /** Index of the nearest sparse entry at or before {@code index} (which must be in this segment). */
    public long sparseIndexAtOrBefore(long index) {
        long slot = (index - firstIndex) / SPARSE_EVERY;
        return firstIndex + slot * SPARSE_EVERY;
    }

    /** File offset of the record {@link #sparseIndexAtOrBefore(long)} returns. */
    public long sparseOffsetAtOrBefore(long index) {
        int slot = (int) ((index - firstIndex) / SPARSE_EVERY);
        return slot < sparseCount ? sparse[slot] : 0;
    }

    public static String fileName(long firstIndex) {
        return String.format("journal-%020d.log", firstIndex);
    }

    /** First index encoded in a segment file name, or -1 if the name is not a segment's. */
    public static long parseFileName(String name) {
        if (!name.startsWith("journal-") || !name.endsWith(".log") || name.length() != 8 + 20 + 4) {
            return -1;
        }
        String digits = name.substring(8, 28);
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }
}

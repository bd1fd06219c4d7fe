package dev.progresstracker.storage;

import java.time.Instant;

/** Adds up runs into a {@link StorageInfo}: how many, their bytes on disk, the run updated longest ago. Not thread-safe. */
final class StorageTally {

    private int count;
    private long bytes;
    private Instant oldest;
    private String oldestId;

    /** One run; {@code updatedAt} may be null (never updated). */
    void add(String runId, long diskBytes, Instant updatedAt) {
        count++;
        bytes += diskBytes;
        if (updatedAt != null && (oldest == null || updatedAt.isBefore(oldest))) {
            oldest = updatedAt;
            oldestId = runId;
        }
    }

    /** The tally with {@code quarantine} as {@code [bytes, files]} in the quarantine folders. */
    StorageInfo info(long[] quarantine) {
        return new StorageInfo(count, bytes, oldest, oldestId, quarantine[0], quarantine[1]);
    }
}

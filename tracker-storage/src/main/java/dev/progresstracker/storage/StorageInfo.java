package dev.progresstracker.storage;

import java.time.Instant;

/**
 * Facts about a {@link FileProgressStore}'s directory.
 *
 * @param runs            runs stored
 * @param bytes           bytes of journals and snapshots on disk
 * @param oldestUpdate    time of the newest event of the run updated longest ago; null if no run has events
 * @param oldestRunId     that run's id; null if none
 * @param quarantineBytes bytes kept in the runs' {@code quarantine/} folders (damaged data recovery set aside;
 *                        deleted with its run)
 * @param quarantineFiles files in those folders
 */
public record StorageInfo(
        int runs, long bytes, Instant oldestUpdate, String oldestRunId, long quarantineBytes, long quarantineFiles) {

    /** Without quarantine figures (zero). */
    public StorageInfo(int runs, long bytes, Instant oldestUpdate, String oldestRunId) {
        this(runs, bytes, oldestUpdate, oldestRunId, 0, 0);
    }
}

package dev.progresstracker.journal;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Journal#open} found on disk.
 *
 * @param firstIndex  index of the oldest record kept
 * @param nextIndex   index the next append gets; {@code nextIndex - firstIndex} records are kept
 * @param segments    segment files kept
 * @param bytes       bytes of valid records kept
 * @param quarantined byte ranges cut off as torn or corrupt, moved to the {@code quarantine/} folder
 */
public record JournalRecovery(
        long firstIndex, long nextIndex, int segments, long bytes, List<Quarantined> quarantined) {

    public JournalRecovery {
        quarantined = List.copyOf(quarantined);
    }

    /** True if nothing had to be cut off. */
    public boolean clean() {
        return quarantined.isEmpty();
    }

    /**
     * Bytes cut from {@code file} at {@code offset} ({@code length} of them), kept as {@code movedTo}.
     *
     * @param reason why: a torn frame at the end, a checksum mismatch, a bad length, a broken chain of segments
     */
    public record Quarantined(Path file, long offset, long length, Path movedTo, String reason) {}
}

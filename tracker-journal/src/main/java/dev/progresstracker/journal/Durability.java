package dev.progresstracker.journal;

/**
 * When an append counts as done. Every mode writes records in append order and survives a crash
 * of the process (kill -9) once the append's stage has completed, because the bytes are in the
 * operating system by then; the modes differ in what survives a crash of the machine.
 */
public enum Durability {
    /**
     * The stage completes only after the record is fsynced: an acknowledged record survives power
     * loss. Group commit: one fsync covers every record queued while the previous one ran.
     */
    SYNC,
    /**
     * The stage completes once the record is written to the operating system; fsync runs at most
     * every {@code batchInterval} (default 50 ms), so power loss may cost that window.
     */
    BATCHED,
    /**
     * Written to the operating system, fsynced only on rotation, {@code flush()} and close: the
     * fastest; power loss may cost everything since the last of those.
     */
    NONE
}

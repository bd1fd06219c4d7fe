package dev.progresstracker.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link Journal} can say about its writes right now ({@link Journal#health()}).
 *
 * <ul>
 *   <li>{@link State#WRITING}: appends are written as the durability mode promises.</li>
 *   <li>{@link State#RETRYING}: writes fail (a full disk, an I/O error, a read-only remount); the journal
 *       holds the records in memory, in order, and writes them again until it works.</li>
 *   <li>{@link State#REFUSING}: as RETRYING, but what is held exceeds the committer's
 *       {@code maxQueuedBytes}: a caller should stop appending (the journal still takes and keeps them).</li>
 * </ul>
 *
 * @param state       see above
 * @param problem     the cause in words (null while {@link State#WRITING})
 * @param since       when the failure began (null while {@link State#WRITING})
 * @param heldRecords records appended but not yet written
 * @param heldBytes   their payload bytes
 */
public record JournalHealth(State state, String problem, Instant since, long heldRecords, long heldBytes) {

    /** A journal that is writing normally. */
    public static final JournalHealth WRITING = new JournalHealth(State.WRITING, null, null, 0, 0);

    public enum State {
        WRITING,
        RETRYING,
        REFUSING
    }

    public JournalHealth {
        Objects.requireNonNull(state, "state must not be null");
        if (state != State.WRITING && (problem == null || problem.isBlank())) {
            throw new IllegalArgumentException("a " + state + " journal health needs a problem text");
        }
        if (heldRecords < 0 || heldBytes < 0) {
            throw new IllegalArgumentException("held records and bytes must not be negative: " + heldRecords
                    + " records, " + heldBytes + " bytes");
        }
    }

    /** True while writes succeed. */
    public boolean isWriting() {
        return state == State.WRITING;
    }
}

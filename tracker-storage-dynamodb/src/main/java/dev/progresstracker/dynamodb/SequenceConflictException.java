package dev.progresstracker.dynamodb;

/**
 * Another writer has taken sequence numbers of this run: two trackers are writing the same run.
 * The events named here were not stored, and this store refuses every later event of the run; the
 * other writer's events stand. Resume the run with a new tracker (it loads the stored state) or stop
 * this one.
 */
public final class SequenceConflictException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String runId;
    private final long firstRefusedSequence;
    private final long storedSequence;
    private final String storedHeadEventId;

    public SequenceConflictException(
            String runId,
            long firstRefusedSequence,
            long lastRefusedSequence,
            long storedSequence,
            String storedHeadEventId) {
        super("run '" + runId + "': sequence " + firstRefusedSequence
                + (lastRefusedSequence > firstRefusedSequence ? ".." + lastRefusedSequence : "")
                + " was already taken by another writer (the table holds the run up to sequence " + storedSequence
                + ", event " + storedHeadEventId + "); these events were not stored and this store accepts no more "
                + "events of the run. Two trackers are writing it: stop this one or build a new tracker to resume "
                + "from the stored state.");
        this.runId = runId;
        this.firstRefusedSequence = firstRefusedSequence;
        this.storedSequence = storedSequence;
        this.storedHeadEventId = storedHeadEventId;
    }

    /** The same conflict, for a later event of the run (every one of them is refused). */
    public SequenceConflictException forSequence(long sequence) {
        return new SequenceConflictException(runId, sequence, sequence, storedSequence, storedHeadEventId);
    }

    /** The highest sequence the table (or this store) held when the conflict was found. */
    public long storedSequence() {
        return storedSequence;
    }

    public String runId() {
        return runId;
    }

    public long firstRefusedSequence() {
        return firstRefusedSequence;
    }
}

package dev.progresstracker.dynamodb.internal;

/**
 * What the table holds of a run as its {@link RunWriter} last committed (or loaded) it: the head
 * event, the writer history and where the state that outgrew the run item lives. The next flight
 * is conditioned on this head. Guarded by the writer's lock.
 */
final class TableHead {

    /** A state written to chunks that a commit replaced: delete its {@code chunks} items under {@code stateKey}. */
    record Replaced(String stateKey, int chunks) {}

    private WriterHistory writers = WriterHistory.EMPTY;
    private long seq;
    private String eventId;
    private String stateKey;
    private int stateChunks;

    /** The head of a run the table does not hold yet. */
    TableHead() {}

    /** The head {@code loaded} found. */
    TableHead(RunReader.Loaded loaded) {
        writers = loaded.writers();
        seq = loaded.state().lastSequence();
        eventId = loaded.headEventId();
        stateKey = loaded.stateKey();
        stateChunks = loaded.stateChunks();
    }

    long seq() {
        return seq;
    }

    String eventId() {
        return eventId;
    }

    WriterHistory writers() {
        return writers;
    }

    /** {@code f} was committed: it is the head now. Returns the chunked state it replaced, or null. */
    Replaced commit(Flight f) {
        Replaced replaced =
                stateKey != null && !stateKey.equals(f.plan().stateKey()) ? new Replaced(stateKey, stateChunks) : null;
        seq = f.lastSeq();
        eventId = f.lastEventId();
        writers = f.writers();
        stateKey = f.plan().stateKey();
        stateChunks = f.plan().chunks().size();
        return replaced;
    }
}

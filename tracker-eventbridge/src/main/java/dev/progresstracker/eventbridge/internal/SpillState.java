package dev.progresstracker.eventbridge.internal;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the publisher sends directly or through the outbox, and the moves between the modes:
 * <ul>
 *   <li>DIRECT: entries wait in memory and go out in batches;</li>
 *   <li>SPILL_PENDING: calls have failed for {@code spillAfter}, or memory is full; no new calls, and once
 *       the calls in flight are answered everything in memory moves to the outbox;</li>
 *   <li>SPILLING: new entries go to the outbox, which is drained; once it is empty, DIRECT again.</li>
 * </ul>
 * Logs each move once (under the publisher's logger). Guarded by the publisher's monitor.
 */
final class SpillState {

    enum Mode {
        DIRECT,
        SPILL_PENDING,
        SPILLING
    }

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    private final Path outboxDirectory;
    private Mode mode = Mode.DIRECT;

    /** Starts SPILLING if the outbox still holds {@code outboxDepth} entries from an earlier run. */
    SpillState(Path outboxDirectory, long outboxDepth) {
        this.outboxDirectory = outboxDirectory;
        if (outboxDepth > 0) {
            mode = Mode.SPILLING;
            LOG.info(
                    "EventBridge outbox {} holds {} entr(ies) from an earlier run; draining them first",
                    outboxDirectory,
                    outboxDepth);
        }
    }

    Mode mode() {
        return mode;
    }

    boolean direct() {
        return mode == Mode.DIRECT;
    }

    boolean pending() {
        return mode == Mode.SPILL_PENDING;
    }

    boolean spilling() {
        return mode == Mode.SPILLING;
    }

    /** DIRECT → SPILL_PENDING, saying why; nothing in the other modes. */
    void request(String why) {
        if (mode == Mode.DIRECT) {
            LOG.warn("EventBridge sink spills to the outbox {}: {}", outboxDirectory, why);
            mode = Mode.SPILL_PENDING;
        }
    }

    /** What waited in memory is in the outbox now. */
    void spilled() {
        mode = Mode.SPILLING;
    }

    /** SPILLING → DIRECT once {@code outboxEmpty}. */
    void leaveIf(boolean outboxEmpty) {
        if (mode == Mode.SPILLING && outboxEmpty) {
            LOG.info("EventBridge outbox {} drained; publishing directly again", outboxDirectory);
            mode = Mode.DIRECT;
        }
    }
}

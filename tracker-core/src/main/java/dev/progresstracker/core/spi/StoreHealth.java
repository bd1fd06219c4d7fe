package dev.progresstracker.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link ProgressStore} can say about its writes for one run, right now.
 *
 * <ul>
 *   <li>{@link State#WRITING}: appends are being stored as promised.</li>
 *   <li>{@link State#RETRYING}: writes fail (a full disk, an I/O error, throttling); the store keeps
 *       the failed events in order and retries them. Their stages stay pending until stored.</li>
 *   <li>{@link State#REFUSING}: the store will take no more events of the run (its backlog is
 *       full, the run reached the store's size limit, or another writer took the run over). The
 *       tracker rejects every mutating call with {@code StoreUnavailableException} before it
 *       assigns a sequence, so nothing changes.</li>
 * </ul>
 *
 * @param state        see above
 * @param problem      the cause in words (null while {@link State#WRITING})
 * @param since        when the current state began (null while {@link State#WRITING})
 * @param backlogEvents events accepted but not yet stored
 * @param backlogBytes  their size in bytes, as far as the store knows it (0 if it does not)
 */
public record StoreHealth(State state, String problem, Instant since, long backlogEvents, long backlogBytes) {

    /** A store that is writing normally, with nothing to report. */
    public static final StoreHealth WRITING = new StoreHealth(State.WRITING, null, null, 0, 0);

    public enum State {
        WRITING,
        RETRYING,
        REFUSING
    }

    public StoreHealth {
        Objects.requireNonNull(state, "state must not be null");
        if (state != State.WRITING && (problem == null || problem.isBlank())) {
            throw new IllegalArgumentException("a " + state + " store health needs a problem text");
        }
        if (backlogEvents < 0 || backlogBytes < 0) {
            throw new IllegalArgumentException(
                    "backlog must not be negative: " + backlogEvents + " events, " + backlogBytes + " bytes");
        }
    }

    public static StoreHealth retrying(String problem, Instant since, long backlogEvents, long backlogBytes) {
        return new StoreHealth(State.RETRYING, problem, since, backlogEvents, backlogBytes);
    }

    public static StoreHealth refusing(String problem, Instant since, long backlogEvents, long backlogBytes) {
        return new StoreHealth(State.REFUSING, problem, since, backlogEvents, backlogBytes);
    }

    /** True while the store writes normally. */
    public boolean isWriting() {
        return state == State.WRITING;
    }

    /** True when the store takes no more events of the run. */
    public boolean isRefusing() {
        return state == State.REFUSING;
    }
}

package dev.progresstracker.websocket.internal;

import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the server knows of one run: its state folded from the events it saw (seeded from the store
 * when it meets the run mid-way), the most recent encoded events for cheap resume, and the clients
 * that subscribed to it by name. Guarded by {@code this}; taken before any {@link ClientSession}.
 */
final class RunChannel {

    final String runId;
    private final int ringCapacity;
    /** Null until the run is seen or loaded. */
    RunProjection projection;
    private final ArrayDeque<Outbound> recent = new ArrayDeque<>();
    final Set<ClientSession> subscribers = new LinkedHashSet<>();

    RunChannel(String runId, int ringCapacity) {
        this.runId = runId;
        this.ringCapacity = ringCapacity;
    }

    long lastSequence() {
        return projection == null ? 0 : projection.lastSequence();
    }

    void remember(Outbound event) {
        if (ringCapacity == 0) {
            return;
        }
        if (recent.size() == ringCapacity) {
            recent.pollFirst();
        }
        recent.addLast(event);
    }

    /**
     * The remembered events after {@code since} up to the newest, if they are all there without a gap
     * (the dispatcher may have conflated progress events before they reached this sink); else null.
     */
    List<Outbound> recentAfter(long since) {
        long last = lastSequence();
        Outbound first = recent.peekFirst();
        if (first == null || first.sequence() > since + 1) {
            return null;
        }
        List<Outbound> out = new ArrayList<>();
        long expected = since + 1;
        for (Outbound o : recent) {
            if (o.sequence() <= since) {
                continue;
            }
            if (o.sequence() != expected) {
                return null;
            }
            out.add(o);
            expected++;
        }
        return expected - 1 == last ? out : null;
    }

    /** The state as a snapshot message; an empty, not-started run if nothing is known. */
    Outbound snapshot() {
        RunState state = projection != null ? projection.snapshot()
                : new RunProjection(runId, RunProjection.Mode.ALLOW_GAPS).snapshot();
        return Messages.snapshot(state);
    }

    boolean isIdle() {
        return projection == null && subscribers.isEmpty();
    }
}

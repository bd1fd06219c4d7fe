package dev.progresstracker.websocket;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.test.SampleRuns;
import java.util.ArrayList;
import java.util.List;

/** A store that has kept many finished runs, as an agent's store does after weeks of upgrades. */
final class FinishedRuns {

    /** Events of each run: started, completed. */
    static final int EVENTS_PER_RUN = 2;

    private FinishedRuns() {}

    /** The ids {@link #fill} gives its first {@code count} runs. */
    static List<String> ids(int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(String.format("finished-%04d", i));
        }
        return ids;
    }

    /** Writes {@code count} finished runs, {@code finished-0000}…, into {@code store}; returns their ids. */
    static List<String> fill(ProgressStore store, int count) {
        List<String> ids = ids(count);
        for (String runId : ids) {
            List<ProgressEvent> events = SampleRuns.record(runId, (t, clock) -> {
                t.startUpgrade("done");
                t.completeUpgrade();
            });
            if (events.size() != EVENTS_PER_RUN) {
                throw new IllegalStateException("expected " + EVENTS_PER_RUN + " events, got " + events);
            }
            for (ProgressEvent e : events) {
                store.append(e).toCompletableFuture().join();
            }
        }
        return ids;
    }
}

package dev.progresstracker.callbacks;

import java.util.List;
import java.util.Map;

/**
 * What {@link CallbackManager#close(java.time.Duration)} could not finish.
 *
 * @param drained           true when every pending callback ran before the timeout
 * @param dropped           events that were still queued at the deadline and were never delivered
 * @param droppedByListener the same, per listener name (listeners that lost nothing are absent)
 * @param stillRunning      listeners whose invocation was still running at the deadline (interrupted
 *                          if the manager owns the executor)
 */
public record CloseReport(
        boolean drained, long dropped, Map<String, Long> droppedByListener, List<String> stillRunning) {

    public CloseReport {
        droppedByListener = Map.copyOf(droppedByListener);
        stillRunning = List.copyOf(stillRunning);
    }

    /** True when nothing was dropped and nothing was left running. */
    public boolean clean() {
        return drained && dropped == 0 && stillRunning.isEmpty();
    }
}

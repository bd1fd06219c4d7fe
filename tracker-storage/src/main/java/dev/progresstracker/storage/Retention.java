package dev.progresstracker.storage;

import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.state.RunInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Which runs retention deletes: finished ones (COMPLETED, FAILED, CANCELLED) that finished more than
 * {@code maxAge} before now, and those beyond the newest {@code keepLast} finished ones. Runs still going
 * are never chosen. Stateless.
 */
final class Retention {

    private Retention() {}

    /**
     * @param maxAge null: no age limit
     * @param keepLast 0: no count limit
     * @return the run ids to delete, newest finished first
     */
    static List<String> due(Collection<RunInfo> runs, Duration maxAge, int keepLast, Instant now) {
        List<RunInfo> finished = new ArrayList<>();
        for (RunInfo info : runs) {
            if (info.finishedAt() != null
                    && info.status() != RunStatus.IN_PROGRESS
                    && info.status() != RunStatus.NOT_STARTED) {
                finished.add(info);
            }
        }
        finished.sort(Comparator.comparing(RunInfo::finishedAt).reversed());
        Instant cutoff = maxAge == null ? null : now.minus(maxAge);
        List<String> due = new ArrayList<>();
        for (int i = 0; i < finished.size(); i++) {
            RunInfo r = finished.get(i);
            boolean tooOld = cutoff != null && r.finishedAt().isBefore(cutoff);
            boolean beyondK = keepLast > 0 && i >= keepLast;
            if (tooOld || beyondK) {
                due.add(r.runId());
            }
        }
        return due;
    }
}

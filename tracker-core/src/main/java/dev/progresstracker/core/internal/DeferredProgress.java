package dev.progresstracker.core.internal;

import dev.progresstracker.core.analytics.EtaEstimator;
import dev.progresstracker.core.analytics.EtaSample;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.TaskEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.function.Consumer;

/**
 * The {@code task.progress} events of ENHANCED mode whose analytics have not run yet: the latest per
 * task, with the run's percent and remaining weight at that moment. {@link #fold} feeds them to the
 * estimator and the run analytics in sequence order, before a non-progress event is observed and
 * before anything reads an ETA or a report. The analytics so see a conflated subsequence of the event
 * stream (latest progress per task, like a CONFLATE sink) with the exact values of each chosen event,
 * and a burst of updates to the same tasks costs one observation per task instead of one per update.
 * Guarded by the tracker's lock.
 */
final class DeferredProgress {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredProgress.class);
    private static final Comparator<TaskNode> BY_SEQUENCE = Comparator.comparingLong(n -> n.deferredEvent.sequence());

    private final ArrayList<TaskNode> pending = new ArrayList<>();

    /** Remembers {@code event} as the task's latest unobserved progress (replacing an older one). */
    void defer(TaskNode task, TaskEvent event, double runPercent, double remainingWeight) {
        if (task.deferredEvent == null) {
            pending.add(task);
        }
        task.deferredEvent = event;
        task.deferredRunPercent = runPercent;
        task.deferredRemainingWeight = remainingWeight;
    }

    int size() {
        return pending.size();
    }

    /**
     * Observes every deferred event, oldest first, and forgets them. A throwing estimator or
     * analytics loses that one observation (logged), never the others.
     */
    void fold(EtaEstimator estimator, Consumer<TaskEvent> analytics) {
        if (pending.isEmpty()) {
            return;
        }
        pending.sort(BY_SEQUENCE);
        for (TaskNode n : pending) {
            TaskEvent e = n.deferredEvent;
            n.deferredEvent = null;
            try {
                estimator.observe(new EtaSample(e.header().time(), EventType.TASK_PROGRESS, n.deferredRunPercent,
                        e.task(), n.deferredRemainingWeight));
                analytics.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("analytics of task.progress #{} of run '{}' failed: {}", e.sequence(), e.runId(), ex.toString(), ex);
            }
        }
        pending.clear();
    }
}

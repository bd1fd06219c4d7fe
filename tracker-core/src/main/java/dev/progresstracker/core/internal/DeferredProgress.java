package dev.progresstracker.core.internal;

import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.EtaSample;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.TaskEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Consumer;

/**
 * The {@code task.progress} events whose observation (estimator, run observer) has not happened yet:
 * the latest per task, with the run's percent and remaining weight at that moment. {@link #fold}
 * feeds them in sequence order, before a non-progress event is observed and before anything reads
 * an ETA or a summary. The observers so see a conflated subsequence of the event stream (latest
 * progress per task, like a CONFLATE sink) with the exact values of each chosen event, and a burst of
 * updates to the same tasks costs one observation per task instead of one per update.
 *
 * <p>The table is indexed by the task's position ({@code TaskNode.index}), so deferring costs an
 * array access, not a second hash lookup per update. Guarded by the tracker's lock.
 */
final class DeferredProgress {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredProgress.class);
    private static final Comparator<Slot> BY_SEQUENCE = Comparator.comparingLong(s -> s.event.sequence());

    /** One task's latest unobserved progress. */
    private static final class Slot {
        TaskEvent event;
        double runPercent;
        double remainingWeight;
    }

    private Slot[] slots = new Slot[64];
    private final ArrayList<Slot> pending = new ArrayList<>();

    /** Remembers {@code event} as the task's latest unobserved progress (replacing an older one). */
    void defer(TaskNode task, TaskEvent event, double runPercent, double remainingWeight) {
        int i = task.index;
        if (i >= slots.length) {
            slots = Arrays.copyOf(slots, Math.max(i + 1, slots.length * 2));
        }
        Slot s = slots[i];
        if (s == null) {
            s = new Slot();
            slots[i] = s;
        }
        if (s.event == null) {
            pending.add(s);
        }
        s.event = event;
        s.runPercent = runPercent;
        s.remainingWeight = remainingWeight;
    }

    int size() {
        return pending.size();
    }

    /**
     * Observes every deferred event, oldest first, and forgets them. A throwing estimator or
     * observer loses that one observation (logged), never the others.
     */
    void fold(EtaEstimator estimator, Consumer<TaskEvent> observer) {
        if (pending.isEmpty()) {
            return;
        }
        pending.sort(BY_SEQUENCE);
        for (Slot s : pending) {
            TaskEvent e = s.event;
            s.event = null;
            try {
                estimator.observe(new EtaSample(e.header().time(), EventType.TASK_PROGRESS, s.runPercent,
                        e.task(), s.remainingWeight));
                observer.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("analytics of task.progress #{} of run '{}' failed: {}", e.sequence(), e.runId(), ex.toString(), ex);
            }
        }
        pending.clear();
    }
}

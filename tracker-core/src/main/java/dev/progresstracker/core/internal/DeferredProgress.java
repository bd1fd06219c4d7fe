package dev.progresstracker.core.internal;

import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.EtaSample;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.TaskEvent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code task.progress} events whose observation (estimator, run observer) has not happened yet:
 * the latest per task, with the run's percent and remaining weight at that moment. {@link #fold}
 * feeds them in sequence order, before a non-progress event is observed and before anything reads
 * an ETA or a summary. The observers so see a conflated subsequence of the event stream (latest
 * progress per task, like a CONFLATE sink) with the exact values of each chosen event, and a burst of
 * updates to the same tasks costs one observation per task instead of one per update.
 *
 * <p>The table is indexed by the task's position ({@code TaskNode.index}), so deferring costs an
 * array store and a small allocation, not a second hash lookup per update. Guarded by the
 * tracker's lock.
 */
final class DeferredProgress {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredProgress.class);
    /**
     * One task's latest unobserved progress. Immutable and allocated per deferral: replacing the
     * table entry touches one cache line, where a mutable slot object per task touched two (the
     * table entry and the slot, both at a random place for random tasks). The event's sequence is
     * copied in so that ordering a fold reads no event.
     */
    private record Deferred(TaskEvent event, long sequence, double runPercent, double remainingWeight) {}

    private Deferred[] byTask = new Deferred[64];
    /** Task indexes with a deferred event, in the order they were first deferred since the last fold. */
    private int[] pending = new int[64];

    private int pendingCount;

    /** Remembers {@code event} as the task's latest unobserved progress (replacing an older one). */
    void defer(TaskNode task, TaskEvent event, double runPercent, double remainingWeight) {
        int i = task.index;
        if (i >= byTask.length) {
            byTask = Arrays.copyOf(byTask, Math.max(i + 1, byTask.length * 2));
        }
        if (byTask[i] == null) {
            if (pendingCount == pending.length) {
                pending = Arrays.copyOf(pending, pendingCount * 2);
            }
            pending[pendingCount++] = i;
        }
        byTask[i] = new Deferred(event, event.sequence(), runPercent, remainingWeight);
    }

    int size() {
        return pendingCount;
    }

    /**
     * Observes every deferred event, oldest first, and forgets them. A throwing estimator or
     * observer loses that one observation (logged), never the others.
     */
    void fold(EtaEstimator estimator, Consumer<TaskEvent> observer) {
        if (pendingCount == 0) {
            return;
        }
        Deferred[] batch = new Deferred[pendingCount];
        for (int k = 0; k < pendingCount; k++) {
            int i = pending[k];
            batch[k] = byTask[i];
            byTask[i] = null;
        }
        pendingCount = 0;
        for (Deferred d : inSequenceOrder(batch)) {
            TaskEvent e = d.event;
            try {
                estimator.observe(new EtaSample(
                        e.header().time(), EventType.TASK_PROGRESS, d.runPercent, e.task(), d.remainingWeight));
                observer.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn(
                        "analytics of task.progress #{} of run '{}' failed: {}",
                        e.sequence(),
                        e.runId(),
                        ex.toString(),
                        ex);
            }
        }
    }

    /**
     * {@code batch} by sequence. A primitive sort of (sequence offset, position) keys when they fit a
     * long (always, short of billions of events between two folds): no comparator, no dereference per
     * comparison of records spread over the heap.
     */
    private static Deferred[] inSequenceOrder(Deferred[] batch) {
        int n = batch.length;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Deferred d : batch) {
            min = Math.min(min, d.sequence);
            max = Math.max(max, d.sequence);
        }
        if (n < 2) {
            return batch;
        }
        if (max - min >= Long.MAX_VALUE / n) {
            Arrays.sort(batch, BY_SEQUENCE);
            return batch;
        }
        long[] keys = new long[n];
        for (int k = 0; k < n; k++) {
            keys[k] = (batch[k].sequence - min) * n + k;
        }
        Arrays.sort(keys);
        Deferred[] sorted = new Deferred[n];
        for (int k = 0; k < n; k++) {
            sorted[k] = batch[(int) (keys[k] % n)];
        }
        return sorted;
    }

    private static final Comparator<Deferred> BY_SEQUENCE = Comparator.comparingLong(Deferred::sequence);
}

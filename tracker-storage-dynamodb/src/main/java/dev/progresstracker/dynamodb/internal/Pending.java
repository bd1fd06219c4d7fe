package dev.progresstracker.dynamodb.internal;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One accepted event waiting to be committed, with the stages of the progress events it replaced. */
final class Pending {
    final ProgressEvent event;
    final String body;
    final String taskId;
    final boolean coalescible;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private List<CompletableFuture<Void>> superseded = List.of();
    long dueNanos;
    /** What this event (and those it replaced) may add to the run's state, in bytes. */
    long growth;

    Pending(ProgressEvent event, String body, boolean coalescible) {
        this.event = event;
        this.body = body;
        this.taskId = event instanceof TaskEvent te ? te.taskId() : null;
        this.coalescible = coalescible;
    }

    /** Takes over the stages of {@code old}, which this newer progress event of the same task replaces. */
    void supersede(Pending old) {
        List<CompletableFuture<Void>> sup = new ArrayList<>(old.superseded.size() + 1);
        sup.addAll(old.superseded);
        sup.add(old.done);
        superseded = sup;
        growth += old.growth;
    }

    /** Stages this entry ends: its own and the replaced ones. */
    int stages() {
        return 1 + superseded.size();
    }

    void complete(Throwable failure) {
        if (failure == null) {
            done.complete(null);
            superseded.forEach(f -> f.complete(null));
        } else {
            done.completeExceptionally(failure);
            superseded.forEach(f -> f.completeExceptionally(failure));
        }
    }
}

package dev.progresstracker.dynamodb.internal;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.dynamodb.SequenceConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/**
 * Writes one run. Events queue here; one write ({@link Flight}) at a time carries the queued events:
 * first their event items and, for a state that outgrew the run item, its chunks
 * ({@code BatchWriteItem}, keyed by this writer's id, so they never overwrite another writer's), then
 * the run item — the commit — put on the condition that the table's head is still the one this
 * writer last wrote. A second writer of the same run fails that condition instead of interleaving.
 * While a write is in flight, new events wait and go together in the next one (group commit);
 * {@code task.progress} events may wait up to the coalescing interval for a newer one to replace them.
 *
 * <p>Every stage ends: it completes when its event is committed, or fails when the write gives up
 * ({@link WriteBudget}), another writer took the run, the run reached {@code maxRunStateBytes}, or the
 * store closed. After such a failure the run is refused (its later events would leave a gap).
 *
 * <p>Thread-safe: {@link #append} is called by the store thread, completions arrive on SDK threads,
 * timers and retries on the store's scheduler. {@link #health()} never blocks.
 */
public final class RunWriter {

    /** Events per write: four BatchWriteItem calls in parallel. */
    static final int MAX_EVENTS = 100;

    static final long MAX_WRITE_BYTES = 4_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(RunWriter.class);

    private final String runId;
    private final WriterContext shared;
    private final RunHealth health;
    private final FlightBuilder flights;
    private final FlightCommitter committer;

    // Guarded by this.
    private long appliedSeq;
    private final RunProjection written;
    private final TableHead head;
    private final WriteQueue queue;
    private Flight inFlight;
    private boolean draining;
    private final SendTimer timer;
    /** Why the run takes no more events here (failed writes, another writer, the state limit, a closed store). */
    private RuntimeException broken;
    /** The committed head a new tracker loaded after this writer gave up, or -1. */
    private volatile long resumableAt = -1;

    private RunWriter(String runId, WriterContext shared, RunReader.Loaded loaded) {
        this.runId = runId;
        this.shared = shared;
        this.queue =
                new WriteQueue(shared.config().progressCoalesceInterval().toNanos(), shared.stats().eventsCoalesced);
        String writerId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        this.flights = new FlightBuilder(runId, writerId, shared);
        this.committer = new FlightCommitter(runId, shared, new Outcomes());
        this.timer = new SendTimer(shared.scheduler(), this::onTimer);
        if (loaded == null) {
            written = new RunProjection(runId, RunProjection.Mode.ALLOW_GAPS);
            head = new TableHead();
        } else {
            written = RunProjection.of(loaded.state(), RunProjection.Mode.ALLOW_GAPS);
            head = new TableHead(loaded);
            appliedSeq = loaded.state().lastSequence();
        }
        this.health = new RunHealth(
                runId,
                shared.config(),
                shared.stats(),
                shared.codec().maxEventBytes(),
                loaded == null ? 0 : loaded.stateBytes());
    }

    /** A writer continuing whatever the table holds of the run (one consistent read). */
    public static RunWriter open(String runId, WriterContext shared) {
        return new RunWriter(runId, shared, shared.reader().load(runId));
    }

    /** Never blocks. */
    public StoreHealth health() {
        return resumableAt >= 0 ? StoreHealth.WRITING : health.get();
    }

    /**
     * Queues {@code event}; the stage completes when it (or a newer progress event of the same task
     * that replaced it) is in the table, and fails with the cause otherwise. Never throws.
     */
    public CompletableFuture<Void> append(ProgressEvent event) {
        long seq = event.sequence();
        String body;
        try {
            body = shared.codec().eventBody(event);
        } catch (RuntimeException e) {
            // Refused by the store itself: the run cannot go on without leaving this sequence empty.
            synchronized (this) {
                return refuse(
                        seq,
                        new IllegalArgumentException(
                                "run '" + runId + "': event #" + seq + " cannot be stored in DynamoDB: "
                                        + e.getMessage() + "; the store refuses the run's later events",
                                e));
            }
        }
        synchronized (this) {
            if (broken != null) {
                return CompletableFuture.failedFuture(refusedBecause(seq));
            }
            if (seq <= appliedSeq) {
                // Two trackers append this run through one store: stop both rather than interleave them.
                return refuse(seq, new SequenceConflictException(runId, seq, seq, head.seq(), head.eventId()));
            }
            if (seq != appliedSeq + 1) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("run '" + runId
                        + "': expected sequence " + (appliedSeq + 1) + " but got " + seq + " (nothing was stored)"));
            }
            long growth = queue.growth(event, body);
            if (health.wouldPassStateLimit(growth)) {
                return refuse(seq, new IllegalStateException(health.passesLimitProblem(seq, growth)));
            }
            appliedSeq = seq;
            Pending p = queue.add(event, body, growth);
            updateBacklog();
            maybeSend();
            return p.done;
        }
    }

    private CompletableFuture<Void> refuse(long seq, RuntimeException why) {
        if (breakWith(why)) {
            LOG.error("{}", why.getMessage());
        }
        return CompletableFuture.failedFuture(why);
    }

    /** The run takes no more events here, for {@code why}; false if it had stopped taking them already. */
    private boolean breakWith(RuntimeException why) {
        if (broken != null) {
            return false;
        }
        broken = why;
        health.refuse(why.getMessage());
        return true;
    }

    /** {@code #first..#last} of {@code stages} (not empty, in sequence order). */
    private static String range(List<Pending> stages) {
        return "#" + stages.get(0).event.sequence() + "..#"
                + stages.get(stages.size() - 1).event.sequence();
    }

    private RuntimeException refusedBecause(long seq) {
        if (broken instanceof SequenceConflictException sce) {
            return sce.forSequence(seq);
        }
        return new IllegalStateException(
                "run '" + runId + "': event #" + seq + " was not stored: the DynamoDB store "
                        + "refuses the run after an earlier failure (" + broken.getMessage()
                        + "). Build a new tracker to "
                        + "resume from what is committed.",
                broken);
    }

    /** Writes everything queued without waiting for coalescing deadlines; completes when it is written. */
    public CompletableFuture<Void> drain() {
        synchronized (this) {
            draining = true;
            List<CompletableFuture<?>> all = new ArrayList<>();
            if (inFlight != null) {
                inFlight.batch().forEach(p -> all.add(p.done));
            }
            queue.queued().forEach(p -> all.add(p.done));
            maybeSend();
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        }
    }

    /** Refuses further writes and fails what is queued (the run was deleted through this store). */
    public void retire(String why) {
        List<Pending> dropped;
        RuntimeException failure = new IllegalStateException("run '" + runId + "': " + why);
        synchronized (this) {
            dropped = queue.queued();
            breakWith(failure);
            queue.clear();
            updateBacklog();
        }
        dropped.forEach(p -> p.complete(failure));
    }

    /**
     * A tracker has loaded the run at {@code committedHead}: if this writer refuses the run after
     * giving up (not after losing it to another writer) and has nothing left to write, a new writer
     * may take over with the event that continues that head ({@link #resumesAt}). Until then this
     * one answers every other event with its refusal, and reports WRITING so the new tracker may start.
     */
    public synchronized void loaded(long committedHead) {
        if (broken != null && !(broken instanceof SequenceConflictException) && inFlight == null && queue.isEmpty()) {
            resumableAt = committedHead;
        }
    }

    /** Whether the event of {@code sequence} starts a new writer of the run (see {@link #loaded}). */
    public boolean resumesAt(long sequence) {
        long r = resumableAt;
        return r >= 0 && sequence == r + 1;
    }

    /**
     * Fails every event not yet confirmed with {@code why} (the store is closing and its time is up).
     *
     * @return how many stages were failed
     */
    public int abandon(String why) {
        List<Pending> dropped = new ArrayList<>();
        RuntimeException failure;
        synchronized (this) {
            if (inFlight != null) {
                dropped.addAll(inFlight.batch());
            }
            dropped.addAll(queue.queued());
            if (dropped.isEmpty()) {
                return 0;
            }
            StoreHealth h = health.get();
            failure = new IllegalStateException(
                    "run '" + runId + "': events " + range(dropped) + " were not confirmed by "
                            + shared.where() + " " + why + (h.problem() == null ? "" : " (" + h.problem() + ")")
                            + "; the last of them may or may not be committed: build a new tracker to resume from what is");
            clearQueue(failure);
        }
        dropped.forEach(p -> p.complete(failure));
        return dropped.stream().mapToInt(Pending::stages).sum();
    }

    /** The watchdog's periodic look: a write in flight for longer than {@code retryWarnAfter} is reported. */
    public void watch() {
        Flight f;
        synchronized (this) {
            f = inFlight;
        }
        if (f != null) {
            health.inFlightFor(f.budget().elapsed(), "events #" + f.firstSeq() + "..#" + f.lastSeq());
        }
    }

    private void updateBacklog() {
        int events = queue.size() + (inFlight == null ? 0 : inFlight.batch().size());
        health.backlog(events, queue.bytes(), queue.growthBytes());
    }

    private void maybeSend() {
        // What is queued was accepted and is written even if the run refuses new events meanwhile;
        // a writer that cannot write any more empties the queue (clearQueue).
        if (inFlight != null || queue.isEmpty()) {
            return;
        }
        if (queue.hasUrgent() || draining) {
            send();
            return;
        }
        long due = queue.earliestDue();
        long now = System.nanoTime();
        if (due - now <= 0) {
            send();
        } else if (!timer.armFor(due, now)) {
            send(); // the store is closing: write now rather than wait for a timer that will not run
        }
    }

    private synchronized void onTimer() {
        timer.fired();
        maybeSend();
    }

    private void send() {
        List<Pending> batch = queue.take(MAX_EVENTS, MAX_WRITE_BYTES);
        long bytes = 0;
        for (Pending p : batch) {
            bytes += p.body.length();
            written.apply(p.event);
        }
        Flight f;
        try {
            f = flights.build(batch, bytes, written, head.writers(), head.seq(), head.eventId());
        } catch (RuntimeException e) {
            RuntimeException failure = new IllegalStateException(
                    "run '" + runId + "': events " + range(batch) + " cannot be written: " + e.getMessage(), e);
            LOG.error("{}", failure.getMessage());
            List<Pending> dropped = new ArrayList<>(batch);
            dropped.addAll(queue.queued());
            clearQueue(failure);
            // Completed off this thread: the caller holds our lock and its callbacks may take others.
            try {
                shared.scheduler().execute(() -> dropped.forEach(p -> p.complete(failure)));
            } catch (RejectedExecutionException closing) {
                dropped.forEach(p -> p.complete(failure));
            }
            return;
        }
        inFlight = f;
        updateBacklog();
        committer.send(f);
    }

    private final class Outcomes implements FlightCommitter.Outcomes {
        @Override
        public void committed(Flight f, ConsumedCapacity capacity) {
            succeeded(f, capacity);
        }

        @Override
        public void conflicted(Flight f, SequenceConflictException conflict) {
            fail(f, conflict, () -> {});
        }

        @Override
        public void gaveUp(Flight f, String what, Throwable cause) {
            giveUp(f, what, cause);
        }

        @Override
        public void retrying(String problem) {
            health.retrying(problem);
        }
    }

    private void succeeded(Flight f, ConsumedCapacity capacity) {
        shared.stats().committed(f, capacity);
        TableHead.Replaced replaced;
        synchronized (this) {
            if (inFlight != f) {
                return; // failed meanwhile (the store closed): its stages already ended
            }
            replaced = head.commit(f);
            inFlight = null;
            queue.committed(f.bytes(), f.growth());
            health.committed(f.plan().stateBytes());
            updateBacklog();
            maybeSend();
        }
        f.batch().forEach(p -> p.complete(null));
        if (replaced != null) {
            committer.deleteChunks(replaced.stateKey(), replaced.chunks());
        }
    }

    private void giveUp(Flight f, String what, Throwable cause) {
        fail(
                f,
                new IllegalStateException(
                        "run '" + runId + "': events #" + f.firstSeq() + "..#"
                                + f.lastSeq() + " "
                                + what
                                + "; the store refuses the run's later events: build a new tracker to resume from what is "
                                + "committed",
                        cause),
                shared.stats().writesGivenUp::increment);
    }

    /**
     * Fails the flight and the queue, unless the flight had already ended (the store closed
     * meanwhile). {@code count} runs first, so that a caller whose stage failed sees it in the stats.
     */
    private void fail(Flight f, RuntimeException failure, Runnable count) {
        List<Pending> dropped;
        synchronized (this) {
            if (inFlight != f) {
                return;
            }
            if (broken == null) {
                broken = failure;
            }
            health.refuse(failure.getMessage());
            inFlight = null;
            dropped = queue.queued();
            clearQueue(failure);
        }
        count.run();
        LOG.error("{}", failure.getMessage());
        f.batch().forEach(p -> p.complete(failure));
        dropped.forEach(p -> p.complete(failure));
    }

    private void clearQueue(RuntimeException failure) {
        breakWith(failure);
        inFlight = null;
        queue.clear();
        timer.cancel();
        updateBacklog();
    }
}

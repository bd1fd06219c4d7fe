package dev.progresstracker.journal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer thread behind one or more {@link Journal}s: it takes everything queued since its
 * last round, writes each journal's records with one write call where it can, and then fsyncs each
 * {@link Durability#SYNC} journal once (several in parallel when the round touched several): group commit. Appends wait (back-pressure) while more than
 * {@code maxQueuedBytes} of payload is queued.
 *
 * <p>A journal whose write or fsync fails keeps its records in order and is retried by this thread with
 * capped backoff (see {@link Journal}); the other journals go on meanwhile, and the failing journal's
 * new appends are taken off the queue into its backlog, so appends never wait for a failing disk.
 *
 * <p>Append stages complete on this thread: attach heavy continuations with the {@code *Async}
 * methods. Thread-safe. {@link #close()} writes out what is queued, then stops the thread.
 */
public final class GroupCommitter implements AutoCloseable {

    /** Default limit of queued payload bytes before appends wait: {@value}. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 32L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private final long maxQueuedBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean closing;
    private final Thread thread;
    /** BATCHED journals written but not yet fsynced; writer thread only. */
    private final Map<Journal, Boolean> dirty = new IdentityHashMap<>();
    /** Journals whose writes fail and are retried; writer thread only. */
    private final Set<Journal> retrying = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Threads that fsync several journals of one round in parallel; made on first need, writer thread only. */
    private java.util.concurrent.ExecutorService fsyncPool;

    private static final int FSYNC_THREADS = 16;

    /** A committer with its own daemon thread named {@code name}. */
    public GroupCommitter(String name) {
        this(name, DEFAULT_MAX_QUEUED_BYTES);
    }

    public GroupCommitter(String name, long maxQueuedBytes) {
        if (maxQueuedBytes < 1024) {
            throw new IllegalArgumentException("maxQueuedBytes must be at least 1024, got " + maxQueuedBytes);
        }
        this.maxQueuedBytes = maxQueuedBytes;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    abstract static class Op {
        final Journal journal;

        Op(Journal journal) {
            this.journal = journal;
        }
    }

    static final class Append extends Op {
        final long index;
        final byte[] payload;
        final CompletableFuture<Long> done = new CompletableFuture<>();

        Append(Journal journal, long index, byte[] payload) {
            super(journal);
            this.index = index;
            this.payload = payload;
        }
    }

    /** Work on one journal that must run on the writer thread, after that journal's earlier appends. */
    static final class Control extends Op {
        final Journal.WriterAction action;
        /** Fails at once (instead of waiting in the backlog) while the journal's writes fail. */
        final boolean failFast;
        /** Runs even while the journal's writes fail (close). */
        final boolean runsWhileRetrying;

        final CompletableFuture<Void> done = new CompletableFuture<>();

        Control(Journal journal, Journal.WriterAction action) {
            this(journal, action, false, false);
        }

        Control(Journal journal, Journal.WriterAction action, boolean failFast, boolean runsWhileRetrying) {
            super(journal);
            this.action = action;
            this.failFast = failFast;
            this.runsWhileRetrying = runsWhileRetrying;
        }
    }

    long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** Writer thread: {@code journal} started a failure episode; retry it until it ends. */
    void retrying(Journal journal) {
        retrying.add(journal);
    }

    void enqueue(Op op) {
        long bytes = op instanceof Append ? ((Append) op).payload.length : 0;
        lock.lock();
        try {
            while (!closing && bytes > 0 && queuedBytes > 0 && queuedBytes + bytes > maxQueuedBytes) {
                notFull.awaitUninterruptibly();
            }
            if (closing) {
                throw new IllegalStateException("journal committer '" + thread.getName() + "' is closed");
            }
            queue.addLast(op);
            queuedBytes += bytes;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Everything queued, waiting up to {@code waitNanos} (forever if negative) for the first; null once closed and empty. */
    private List<Op> take(long waitNanos) throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closing) {
                    return null;
                }
                if (waitNanos < 0) {
                    notEmpty.await();
                } else {
                    if (waitNanos == 0) {
                        return List.of();
                    }
                    waitNanos = Math.max(0, notEmpty.awaitNanos(waitNanos)); // may return < 0: time is up
                }
            }
            List<Op> batch = new ArrayList<>(queue);
            queue.clear();
            queuedBytes = 0;
            notFull.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            List<Op> batch;
            while ((batch = take(nextWakeNanos())) != null) {
                Map<Journal, List<Append>> appends = new LinkedHashMap<>();
                for (Op op : batch) {
                    JournalWriter w = op.journal.writer;
                    if (w.isRetrying() && !(op instanceof Control c && c.runsWhileRetrying)) {
                        List<Append> earlier = appends.remove(op.journal);
                        if (earlier != null) {
                            w.hold(earlier);
                        }
                        w.hold(op);
                    } else if (op instanceof Append) {
                        appends.computeIfAbsent(op.journal, j -> new ArrayList<>())
                                .add((Append) op);
                    } else {
                        List<Append> earlier = appends.remove(op.journal);
                        if (earlier != null) {
                            commit(op.journal, earlier);
                        }
                        runControl((Control) op);
                    }
                }
                commitAll(appends);
                retryDue();
                syncDueBatchedJournals();
            }
            for (Journal j : new ArrayList<>(dirty.keySet())) {
                forceQuietly(j);
            }
            // Stopping with journals still failing: one more try each, then their stages fail (never left open).
            for (Journal j : new ArrayList<>(retrying)) {
                j.writer.retry();
                j.writer.abandon();
            }
            retrying.clear();
            if (fsyncPool != null) {
                fsyncPool.shutdown();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.error("journal committer '{}' died: {}", thread.getName(), t.toString(), t);
        }
    }

    /**
     * Writes every journal's records, then fsyncs the SYNC journals among them. Several files are
     * fsynced in parallel: the device and the file system's own journal handle concurrent fsyncs far
     * better than a queue of them (measured: 16 parallel fsyncs ran about 4x the rate of 16 serial ones).
     */
    private void commitAll(Map<Journal, List<Append>> appends) {
        if (appends.size() <= 1) {
            appends.forEach(this::commit);
            return;
        }
        List<Journal> toForce = new ArrayList<>();
        for (Map.Entry<Journal, List<Append>> e : appends.entrySet()) {
            Journal j = e.getKey();
            if (!j.writer.write(e.getValue())) {
                continue;
            }
            if (j.config().durability() == Durability.SYNC) {
                toForce.add(j);
            } else if (j.config().durability() == Durability.BATCHED) {
                dirty.putIfAbsent(j, Boolean.TRUE);
            }
        }
        List<CompletableFuture<Void>> forces = new ArrayList<>();
        for (Journal j : toForce) {
            forces.add(CompletableFuture.runAsync(
                    () -> {
                        try {
                            j.writer.forceChannel();
                        } catch (IOException ex) {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    },
                    fsyncPool()));
        }
        // Stages complete on this thread, in journal order, whatever thread ran the fsync.
        for (int i = 0; i < forces.size(); i++) {
            JournalWriter w = toForce.get(i).writer;
            try {
                forces.get(i).join();
                w.forced();
            } catch (java.util.concurrent.CompletionException ex) {
                Throwable t = ex.getCause() instanceof java.io.UncheckedIOException
                        ? ex.getCause().getCause()
                        : ex.getCause();
                w.failed(t, List.of());
            }
        }
    }

    private java.util.concurrent.ExecutorService fsyncPool() {
        if (fsyncPool == null) {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            fsyncPool = java.util.concurrent.Executors.newFixedThreadPool(FSYNC_THREADS, r -> {
                Thread t = new Thread(r, thread.getName() + "-fsync-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return fsyncPool;
    }

    private void commit(Journal journal, List<Append> appends) {
        JournalWriter w = journal.writer;
        if (!w.write(appends)) {
            return;
        }
        if (journal.config().durability() == Durability.SYNC) {
            w.forceNow();
        } else if (journal.config().durability() == Durability.BATCHED) {
            dirty.putIfAbsent(journal, Boolean.TRUE);
        }
    }

    private void runControl(Control c) {
        c.journal.writer.runControl(c);
        if (c.journal.isClosedForWrites()) {
            dirty.remove(c.journal);
            retrying.remove(c.journal);
        }
    }

    /** Writes the backlog of every failing journal whose pause is over. */
    private void retryDue() {
        if (retrying.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        retrying.removeIf(j -> {
            if (j.isClosedForWrites()) {
                return true;
            }
            if (now - j.writer.nextRetryNanos() >= 0) {
                j.writer.retry();
            }
            return !j.writer.isRetrying();
        });
    }

    /** How long {@link #take} may wait: until the next BATCHED fsync or retry is due; -1 for no limit. */
    private long nextWakeNanos() {
        long wait = nextBatchedSyncNanos();
        if (!retrying.isEmpty()) {
            long now = System.nanoTime();
            for (Journal j : retrying) {
                long until = Math.max(0, j.writer.nextRetryNanos() - now);
                wait = wait < 0 ? until : Math.min(wait, until);
            }
        }
        return wait;
    }

    private long nextBatchedSyncNanos() {
        if (dirty.isEmpty()) {
            return -1;
        }
        long now = System.nanoTime();
        long wait = Long.MAX_VALUE;
        for (Journal j : dirty.keySet()) {
            long due = j.writer.lastForceNanos() + j.config().batchInterval().toNanos();
            wait = Math.min(wait, Math.max(0, due - now));
        }
        return wait;
    }

    private void syncDueBatchedJournals() {
        if (dirty.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        dirty.keySet().removeIf(j -> {
            if (j.isClosedForWrites() || j.writer.isRetrying()) {
                return true; // a retry ends with an fsync of everything it rewrote
            }
            if (now - j.writer.lastForceNanos() < j.config().batchInterval().toNanos()) {
                return false;
            }
            forceQuietly(j);
            return true;
        });
    }

    private static void forceQuietly(Journal j) {
        if (!j.isClosedForWrites() && !j.writer.isRetrying()) {
            j.writer.forceNow();
        }
    }

    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    /** Writes out everything queued, then stops the thread (waits up to 30 s). Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

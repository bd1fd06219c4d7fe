package dev.progresstracker.storage.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parses chunks of a recovery (journal records, snapshot tasks) on helper threads while the caller
 * reads ahead and consumes the results strictly in submission order. At most {@link #maxInFlight}
 * chunks wait, so memory stays bounded. With one CPU everything runs on the caller's thread.
 *
 * <p>Not thread-safe: one caller submits and takes. {@link #close()} stops the helper threads.
 */
final class ParseAhead<T> implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<CompletableFuture<T>> inFlight = new ArrayDeque<>();

    ParseAhead() {
        // Parsing is the whole cost of recovery; the caller only reads frames and applies results.
        int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
        this.pool = threads <= 1
                ? null
                : Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "tracker-storage-recovery-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.maxInFlight = Math.max(2, threads * 4);
    }

    /** True if {@link #take()} should be called before submitting more. */
    boolean full() {
        return inFlight.size() >= maxInFlight;
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    void submit(Callable<T> work) {
        if (pool == null) {
            CompletableFuture<T> done = new CompletableFuture<>();
            try {
                done.complete(work.call());
            } catch (Exception | Error e) {
                done.completeExceptionally(e);
            }
            inFlight.add(done);
            return;
        }
        inFlight.add(CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return work.call();
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                },
                pool));
    }

    /** The oldest chunk's result; its failure is rethrown as it was (IOException or unchecked). */
    T take() throws IOException {
        CompletableFuture<T> next = inFlight.poll();
        try {
            return next.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}

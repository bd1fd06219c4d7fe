package dev.progresstracker.test;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.spi.StoreHealth;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store for fault tests: wraps a real store and lets the test say what its health is, hold
 * appends (their stages stay pending, the events are stored only on {@link #release()}), fail the
 * next appends, or hang inside {@code append}. Thread-safe. Closing it does not close the delegate.
 */
public final class ScriptedStore extends ForwardingStore {

    private volatile StoreHealth health = StoreHealth.WRITING;
    private volatile int maxEventBytes = Integer.MAX_VALUE;
    private boolean holding;
    private final Deque<Held> held = new ArrayDeque<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile CountDownLatch hang;
    private final CountDownLatch hanging = new CountDownLatch(1);

    private record Held(ProgressEvent event, CompletableFuture<Void> stage) {}

    public ScriptedStore(ProgressStore delegate) {
        super(delegate);
    }

    /** What {@link #health(String)} answers for every run from now on. */
    public ScriptedStore health(StoreHealth h) {
        this.health = h;
        return this;
    }

    public ScriptedStore maxEventBytes(int bytes) {
        this.maxEventBytes = bytes;
        return this;
    }

    /** From now on appends return pending stages; the events reach the delegate on {@link #release()}. */
    public synchronized ScriptedStore hold() {
        holding = true;
        return this;
    }

    /** Stores the held events in order, completes their stages and stops holding. */
    public void release() {
        List<Held> out;
        synchronized (this) {
            holding = false;
            out = List.copyOf(held);
            held.clear();
        }
        for (Held h : out) {
            try {
                delegate.append(h.event).toCompletableFuture().join();
                h.stage.complete(null);
            } catch (RuntimeException e) {
                h.stage.completeExceptionally(e);
            }
        }
    }

    /** Events appended but held. */
    public synchronized int heldCount() {
        return held.size();
    }

    /** Waits until {@code n} events are held; false if {@code timeout} passed first. */
    public synchronized boolean awaitHeld(int n, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (held.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** The next {@code n} appends fail (their stages complete exceptionally) and store nothing. */
    public ScriptedStore failNext(int n) {
        failNext.set(n);
        return this;
    }

    /** The next append blocks inside {@code append}, deaf to interrupts, until {@link #unhang()}. */
    public ScriptedStore hangNextAppend() {
        hang = new CountDownLatch(1);
        return this;
    }

    /** Waits until an append is blocked by {@link #hangNextAppend()}. */
    public void awaitHanging() throws InterruptedException {
        hanging.await();
    }

    public void unhang() {
        CountDownLatch h = hang;
        if (h != null) {
            h.countDown();
        }
    }

    @Override
    public CompletionStage<Void> append(ProgressEvent event) {
        CountDownLatch h = hang;
        if (h != null) {
            hang = null;
            hanging.countDown();
            boolean interrupted = false;
            while (h.getCount() > 0) { // hung for real: an interrupt does not free it
                try {
                    h.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(
                    new java.io.IOException("injected write failure of #" + event.sequence()));
        }
        synchronized (this) {
            if (holding) {
                CompletableFuture<Void> stage = new CompletableFuture<>();
                held.add(new Held(event, stage));
                notifyAll();
                return stage;
            }
        }
        return delegate.append(event);
    }

    @Override
    public StoreHealth health(String runId) {
        return health;
    }

    @Override
    public int maxEventBytes() {
        return maxEventBytes;
    }

    @Override
    public void close() {
        unhang();
    }
}

package dev.progresstracker.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An event's ack (completes once the store holds the event) whose blocking waits first wake the
 * store channel's worker: while events stream in, that worker looks for them only every poll
 * interval, and a caller that waits for its ack should not wait out the interval. Stages derived
 * from it ({@code thenApply}, {@code copy}, ...) wake the worker too.
 */
final class StoreAck<T> extends CompletableFuture<T> {

    private final SinkChannel storeChannel;

    StoreAck(SinkChannel storeChannel) {
        this.storeChannel = storeChannel;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        wakeIfPending();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        wakeIfPending();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        wakeIfPending();
        return super.join();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new StoreAck<>(storeChannel);
    }

    private void wakeIfPending() {
        if (!isDone()) {
            storeChannel.wake();
        }
    }
}

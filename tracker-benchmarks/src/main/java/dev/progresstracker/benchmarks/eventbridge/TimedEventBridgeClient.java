package dev.progresstracker.benchmarks.eventbridge;

import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the sink's client to time every {@code PutEvents} call (send to answer) and count how many
 * were in flight at once: the endpoint's share of the publish lag, seen from the caller of the SDK.
 */
final class TimedEventBridgeClient implements EventBridgeAsyncClient {

    private final EventBridgeAsyncClient delegate;
    private final AtomicInteger inFlight = new AtomicInteger();
    private long[] nanos = new long[4096];
    private int count;
    private int maxInFlight;

    TimedEventBridgeClient(EventBridgeAsyncClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<PutEventsResponse> putEvents(PutEventsRequest request) {
        long start = System.nanoTime();
        int now = inFlight.incrementAndGet();
        synchronized (this) {
            maxInFlight = Math.max(maxInFlight, now);
        }
        return delegate.putEvents(request).whenComplete((r, t) -> {
            inFlight.decrementAndGet();
            record(System.nanoTime() - start);
        });
    }

    private synchronized void record(long n) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = n;
    }

    /** Call durations so far in nanoseconds, sorted. */
    synchronized long[] sortedNanos() {
        long[] s = Arrays.copyOf(nanos, count);
        Arrays.sort(s);
        return s;
    }

    synchronized int maxInFlight() {
        return maxInFlight;
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

package dev.progresstracker.benchmarks.eventbridge;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Wraps the sink's client to time every {@code PutEvents} call (send to answer) and count how many
 * were in flight at once: the endpoint's share of the publish lag, seen from the caller of the SDK.
 * It also records how long each entry waited before its call started (from the event's time, which
 * the tracker stamps when the change is made): the sink's own share.
 */
final class TimedEventBridgeClient implements EventBridgeAsyncClient {

    private final EventBridgeAsyncClient delegate;
    private final AtomicInteger inFlight = new AtomicInteger();
    private long[] nanos = new long[4096];
    private int count;
    private long[] waits = new long[40_960];
    private int waitCount;
    private int maxInFlight;

    TimedEventBridgeClient(EventBridgeAsyncClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<PutEventsResponse> putEvents(PutEventsRequest request) {
        long start = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        int now = inFlight.incrementAndGet();
        synchronized (this) {
            maxInFlight = Math.max(maxInFlight, now);
            for (var e : request.entries()) {
                if (waitCount == waits.length) {
                    waits = Arrays.copyOf(waits, waitCount * 2);
                }
                waits[waitCount++] = nowMillis - e.time().toEpochMilli();
            }
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

    /** Per entry and call carrying it: milliseconds from the event's time to the call's start, sorted. */
    synchronized long[] sortedWaitMillis() {
        long[] s = Arrays.copyOf(waits, waitCount);
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

package dev.progresstracker.test;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A sink that keeps every event it receives, for tests. Optional per-event delay and failure
 * injection. Like every sink it shows nothing published after {@link #close()}: such events are
 * counted ({@link #publishedAfterClose()}), not kept. Thread-safe.
 */
public class RecordingSink implements EventSink {

    private final String name;
    private final OverflowPolicy policy;
    private final int capacity;
    private final List<ProgressEvent> events = new ArrayList<>();
    private volatile Duration delay = Duration.ZERO;
    private volatile Predicate<ProgressEvent> failWhen = e -> false;
    private volatile java.util.concurrent.CountDownLatch gate;
    private volatile int flushes;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong afterClose = new java.util.concurrent.atomic.AtomicLong();

    public RecordingSink() {
        this("recording", OverflowPolicy.CONFLATE, 0);
    }

    public RecordingSink(String name, OverflowPolicy policy, int capacity) {
        this.name = name;
        this.policy = policy;
        this.capacity = capacity;
    }

    /** Sleeps this long in every publish (simulates a slow endpoint). */
    public RecordingSink delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** Makes every publish wait until {@link #release()} (simulates a stuck endpoint). */
    public RecordingSink hold() {
        this.gate = new java.util.concurrent.CountDownLatch(1);
        return this;
    }

    /** Lets held publishes through. */
    public void release() {
        java.util.concurrent.CountDownLatch g = gate;
        if (g != null) {
            g.countDown();
        }
    }

    /** Throws from publish for events matching {@code predicate} (they are not recorded). */
    public RecordingSink failWhen(Predicate<ProgressEvent> predicate) {
        this.failWhen = predicate;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public OverflowPolicy overflowPolicy() {
        return policy;
    }

    @Override
    public int queueCapacity() {
        return capacity;
    }

    @Override
    public void publish(ProgressEvent event) throws Exception {
        java.util.concurrent.CountDownLatch g = gate;
        if (g != null) {
            g.await(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (!delay.isZero()) {
            Thread.sleep(delay.toMillis());
        }
        if (closed) {
            afterClose.incrementAndGet();
            return;
        }
        if (failWhen.test(event)) {
            throw new IllegalStateException("injected failure on " + event.type() + " #" + event.sequence());
        }
        synchronized (events) {
            events.add(event);
            events.notifyAll();
        }
    }

    @Override
    public void flush(Duration timeout) {
        flushes++;
    }

    @Override
    public void close() {
        closed = true;
    }

    public List<ProgressEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    public List<ProgressEvent> events(String runId) {
        return events().stream().filter(e -> e.runId().equals(runId)).toList();
    }

    public long count(EventType type) {
        return events().stream().filter(e -> e.type() == type).count();
    }

    public int flushes() {
        return flushes;
    }

    /** Events published after {@link #close()} (not kept). */
    public long publishedAfterClose() {
        return afterClose.get();
    }

    public boolean closed() {
        return closed;
    }

    /** Waits until at least {@code count} events were recorded. */
    public List<ProgressEvent> awaitEvents(int count, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (events.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException(
                            "recorded " + events.size() + " of " + count + " events within " + timeout);
                }
                events.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(events);
        }
    }
}

package dev.progresstracker.core.support;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.OverflowPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Core's own recording sink (tracker-test's cannot be used here: it depends on core). */
public final class TestSink implements EventSink {
    private final String name;
    private final OverflowPolicy policy;
    private final int capacity;
    private final List<ProgressEvent> events = new ArrayList<>();
    private volatile CountDownLatch gate;
    private volatile RuntimeException failure;
    public volatile boolean closed;

    public TestSink(String name, OverflowPolicy policy, int capacity) {
        this.name = name;
        this.policy = policy;
        this.capacity = capacity;
    }

    public TestSink() {
        this("test", OverflowPolicy.CONFLATE, 0);
    }

    /** Blocks every publish until {@link #open()}. */
    public TestSink closeGate() {
        gate = new CountDownLatch(1);
        return this;
    }

    public void open() {
        CountDownLatch g = gate;
        if (g != null) {
            g.countDown();
        }
    }

    public TestSink failWith(RuntimeException e) {
        failure = e;
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
    public void publish(ProgressEvent event) throws InterruptedException {
        CountDownLatch g = gate;
        if (g != null) {
            g.await(60, TimeUnit.SECONDS);
        }
        if (failure != null) {
            throw failure;
        }
        synchronized (events) {
            events.add(event);
        }
    }

    @Override
    public void flush(Duration timeout) {
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
}

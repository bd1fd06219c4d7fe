package dev.progresstracker.core.internal;

import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.CallbackRegistry;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.spi.StoreHealth;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans events out to the store and to every sink, each through its own {@link SinkChannel}.
 * Shared by all trackers of one {@code TrackerFactory}; thread-safe.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final ProgressStore store;
    private final StoreDelivery storeDelivery;
    private final SinkChannel storeChannel;
    private final List<SinkChannel> sinkChannels;
    private final CallbackRegistry callbackRegistry;
    private volatile boolean closed;

    public Dispatcher(ProgressStore store, List<? extends EventSink> sinks, TrackerConfig config) {
        this.store = store;
        this.storeDelivery = new StoreDelivery(store);
        this.storeChannel = new SinkChannel(
                "store",
                storeDelivery,
                OverflowPolicy.BLOCK,
                config.storeQueueCapacity(),
                true,
                SinkChannel.STORE_POLL_NANOS);
        List<SinkChannel> channels = new ArrayList<>();
        Set<String> names = new HashSet<>();
        CallbackRegistry registry = null;
        for (EventSink sink : sinks) {
            String name = sink.name();
            for (int i = 2; !names.add(name); i++) {
                name = sink.name() + "-" + i;
            }
            int capacity = sink.queueCapacity() > 0 ? sink.queueCapacity() : config.sinkQueueCapacity();
            channels.add(new SinkChannel(
                    name,
                    new SinkDelivery(sink),
                    sink.overflowPolicy(),
                    capacity,
                    true,
                    SinkChannel.SINK_POLL_NANOS,
                    true));
            if (registry == null && sink instanceof CallbackRegistry cr) {
                registry = cr;
            }
        }
        this.sinkChannels = List.copyOf(channels);
        this.callbackRegistry = registry;
    }

    public ProgressStore store() {
        return store;
    }

    /** The first sink that is also a {@link CallbackRegistry}, or null. */
    public CallbackRegistry callbackRegistry() {
        return callbackRegistry;
    }

    public List<SinkChannel> sinkChannels() {
        return sinkChannels;
    }

    public SinkChannel storeChannel() {
        return storeChannel;
    }

    /** A new event's ack, for {@link #dispatch}: its blocking waits wake the store's worker. */
    public CompletableFuture<Long> newAck() {
        return new StoreAck<>(storeChannel);
    }

    /** Queues {@code event} for the store (completing {@code ack} once stored) and every sink. */
    public void dispatch(ProgressEvent event, CompletableFuture<Long> ack) {
        if (!storeChannel.offer(event, ack)) {
            ack.completeExceptionally(new IllegalStateException("the tracker's dispatcher is closed"));
            return;
        }
        for (SinkChannel c : sinkChannels) {
            c.offer(event, null);
        }
    }

    /**
     * Waits until everything dispatched so far was delivered and flushed; false on timeout, and
     * false if a store write is still unconfirmed or failed since the previous flush.
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<Void>> markers = new ArrayList<>();
        markers.add(storeChannel.flush(timeout));
        for (SinkChannel c : sinkChannels) {
            markers.add(c.flush(timeout));
        }
        boolean all = true;
        for (int i = 0; i < markers.size(); i++) {
            try {
                markers.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                all = false;
            } catch (ExecutionException e) {
                // The channel logged it. A sink's flush is over; the store's failure means not stored.
                all &= i != 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return all;
    }

    /**
     * Drains and closes every sink, then the store, within {@code timeout} in total. Sinks first, so
     * that nothing is still reading the store (WebSocket resume) when it closes.
     */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        long lost = 0;
        for (SinkChannel c : sinkChannels) {
            lost += c.close(remaining(deadline));
        }
        lost += storeChannel.close(remaining(deadline));
        // Whatever the store has not confirmed by now fails: no caller waits on a stage forever.
        storeDelivery.failUnconfirmed(timeout);
        try {
            store.close();
        } catch (RuntimeException e) {
            LOG.warn("store failed to close: {}", e.toString(), e);
        }
        if (lost > 0) {
            LOG.warn("closed with {} event(s) not delivered to slow sinks (see earlier warnings)", lost);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime()));
    }

    /** Delivery to an ordinary sink. */
    private static final class SinkDelivery implements ChannelDelivery {
        private final EventSink sink;

        SinkDelivery(EventSink sink) {
            this.sink = sink;
        }

        @Override
        public void deliver(ProgressEvent event, CompletableFuture<Long> ack) throws Exception {
            sink.publish(event);
        }

        @Override
        public void flush(Duration timeout) throws Exception {
            sink.flush(timeout);
        }

        @Override
        public void close() throws IOException {
            sink.close();
        }
    }

    /**
     * Delivery to the store: appends, and completes the caller's ack once the store has it. Keeps
     * the acks of appended events the store has not confirmed yet, so that a close can fail them.
     */
    private static final class StoreDelivery implements ChannelDelivery {
        private final ProgressStore store;
        private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
        private final ConcurrentLinkedQueue<Unconfirmed> unconfirmed = new ConcurrentLinkedQueue<>();
        private CompletionStage<Void> last = CompletableFuture.completedFuture(null);
        private long failuresSeenByFlush; // worker thread only
        // The event inside store.append right now: if the append hangs, close fails its ack too.
        // Plain fields: a close reads them long after a hung append wrote them.
        private ProgressEvent appendingEvent;
        private CompletableFuture<Long> appendingAck;

        private record Unconfirmed(ProgressEvent event, CompletableFuture<Long> ack) {}

        StoreDelivery(ProgressStore store) {
            this.store = store;
        }

        @Override
        public void deliver(ProgressEvent event, CompletableFuture<Long> ack) {
            long seq = event.sequence();
            appendingEvent = event;
            appendingAck = ack;
            CompletionStage<Void> stage = store.append(event);
            appendingAck = null;
            last = stage;
            if (stage instanceof CompletableFuture<Void> done && done.isDone() && !done.isCompletedExceptionally()) {
                if (ack != null) {
                    ack.complete(seq); // a store that answers at once (in memory) needs no callback
                }
                return;
            }
            if (ack != null) {
                Unconfirmed oldest;
                while ((oldest = unconfirmed.peek()) != null && oldest.ack.isDone()) {
                    unconfirmed.poll(); // stores confirm in order: this stays short
                }
                unconfirmed.add(new Unconfirmed(event, ack));
            }
            stage.whenComplete((v, t) -> {
                if (t == null) {
                    if (ack != null) {
                        ack.complete(seq);
                    }
                    return;
                }
                long f = failures.incrementAndGet();
                if (f == 1 || f % 1000 == 0) {
                    LOG.error(
                            "store failed to persist {} #{} of run '{}' ({} failure(s) so far): {}",
                            event.type(),
                            seq,
                            event.runId(),
                            f,
                            t.toString(),
                            t);
                }
                if (ack != null) {
                    ack.completeExceptionally(t);
                }
            });
        }

        /** Fails (through the marker) if the newest write is unconfirmed or any write failed since the last flush. */
        @Override
        public void flush(Duration timeout) throws Exception {
            try {
                last.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                failuresSeenByFlush = failures.get();
                throw new IllegalStateException("a store write failed: " + e.getCause(), e.getCause());
            }
            long f = failures.get();
            if (f != failuresSeenByFlush) {
                long newFailures = f - failuresSeenByFlush;
                failuresSeenByFlush = f;
                throw new IllegalStateException(newFailures + " store write(s) failed since the previous flush");
            }
        }

        @Override
        public Throwable notDelivered(ProgressEvent event, Duration timeout) {
            return new IllegalStateException("not stored: " + event.type().wireName() + " #" + event.sequence()
                    + " of run '" + event.runId() + "' was still queued for the store when the tracker closed after "
                    + seconds(timeout) + storeState(event.runId()));
        }

        /** Fails every ack the store has not confirmed, naming the store's state; called at close. */
        void failUnconfirmed(Duration timeout) {
            CompletableFuture<Long> hung = appendingAck;
            ProgressEvent hungEvent = appendingEvent;
            if (hung != null && !hung.isDone() && hungEvent != null) {
                hung.completeExceptionally(new IllegalStateException("not stored: the store's append of "
                        + hungEvent.type().wireName() + " #" + hungEvent.sequence() + " of run '" + hungEvent.runId()
                        + "' had not returned when the tracker closed after " + seconds(timeout)
                        + storeState(hungEvent.runId())));
            }
            Unconfirmed u;
            while ((u = unconfirmed.poll()) != null) {
                if (!u.ack.isDone()) {
                    ProgressEvent e = u.event;
                    u.ack.completeExceptionally(new IllegalStateException("not stored: the store had not confirmed "
                            + e.type().wireName() + " #" + e.sequence() + " of run '" + e.runId()
                            + "' when the tracker closed after " + seconds(timeout) + storeState(e.runId())));
                }
            }
        }

        private String storeState(String runId) {
            try {
                StoreHealth h = store.health(runId);
                return h.isWriting()
                        ? " (the store reported no problem)"
                        : " while the store was " + h.state() + ": " + h.problem();
            } catch (RuntimeException e) {
                return " (the store's health is unknown: " + e + ")";
            }
        }

        private static String seconds(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }

        @Override
        public void close() {
            // Closed by Dispatcher.close() once every sink is done reading it.
        }
    }
}

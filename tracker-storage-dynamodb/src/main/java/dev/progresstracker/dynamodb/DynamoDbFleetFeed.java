package dev.progresstracker.dynamodb;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.state.RunInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every run in the shared table and hands each newly committed event to a sink — the
 * fleet view: agents on many hosts write the table, one dashboard process runs this feed into its
 * WebSocket server (subscribe {@code "*"}) and shows them all.
 *
 * <p>Per run, events reach the sink in sequence order, each once, and only after they are committed;
 * a run first seen is fed from sequence 1. Where coalescing left no event item the sink sees a gap
 * (as from a conflating sink: the next event carries the full state). One daemon thread polls every
 * {@code pollInterval} (default 500 ms): one {@code listRuns} plus one {@code Query} per run that
 * moved. Read failures are logged and retried at the next poll.
 */
public final class DynamoDbFleetFeed implements AutoCloseable {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
    private static final int PAGE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbFleetFeed.class);

    private final DynamoDbProgressStore store;
    private final EventSink sink;
    private final Duration pollInterval;
    private final Map<String, Long> delivered = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private DynamoDbFleetFeed(DynamoDbProgressStore store, EventSink sink, Duration pollInterval) {
        this.store = store;
        this.sink = sink;
        this.pollInterval = pollInterval;
        this.thread = new Thread(this::loop, "dynamodb-fleet-feed");
        thread.setDaemon(true);
    }

    /**
     * Starts following {@code store}'s table into {@code sink}.
     *
     * @throws IllegalArgumentException if {@code pollInterval} is not positive
     */
    public static DynamoDbFleetFeed start(DynamoDbProgressStore store, EventSink sink, Duration pollInterval) {
        Objects.requireNonNull(store, "store must not be null");
        Objects.requireNonNull(sink, "sink must not be null");
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
        DynamoDbFleetFeed feed = new DynamoDbFleetFeed(store, sink, pollInterval);
        feed.thread.start();
        return feed;
    }

    /** Last sequence handed to the sink per run (a copy). */
    public synchronized Map<String, Long> delivered() {
        return Map.copyOf(delivered);
    }

    private void loop() {
        while (running) {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                LOG.warn("fleet feed poll failed, retrying in {}: {}", pollInterval, e.toString());
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void pollOnce() {
        for (RunInfo run : store.listRuns()) {
            long from = deliveredOf(run.runId());
            while (running && run.lastSequence() > from) {
                List<ProgressEvent> events = store.committedEventsAfter(run.runId(), from, PAGE);
                if (events.isEmpty()) {
                    break;
                }
                for (ProgressEvent e : events) {
                    try {
                        sink.publish(e);
                    } catch (Exception ex) {
                        LOG.warn(
                                "sink {} refused event #{} of run '{}': {}",
                                sink.name(),
                                e.sequence(),
                                e.runId(),
                                ex.toString());
                    }
                    from = e.sequence();
                }
                synchronized (this) {
                    delivered.put(run.runId(), from);
                }
            }
        }
    }

    private synchronized long deliveredOf(String runId) {
        return delivered.getOrDefault(runId, 0L);
    }

    /** Stops polling; the sink is not closed. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

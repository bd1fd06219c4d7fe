package dev.progresstracker.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.RunView;
import dev.progresstracker.core.event.EventHeader;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.RunEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a channel's worker is woken. A polling worker polls every ten minutes here, so a missing
 * wake-up shows as a call that does not return within the test's limit.
 */
class SinkChannelWakeTest {

    private static final long TEN_MINUTES = TimeUnit.MINUTES.toNanos(10);
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final List<Long> delivered = new CopyOnWriteArrayList<>();
    private SinkChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void aCallerBlockingOnItsAckWakesAWorkerThatIsPolling() {
        polling();
        CompletableFuture<Long> third = offer(3);
        CompletableFuture<Long> derived = offer(4).thenApply(s -> s * 10);
        assertTimeoutPreemptively(LIMIT, () -> assertThat(third.get()).isEqualTo(3));
        assertTimeoutPreemptively(
                LIMIT, () -> assertThat(derived.get(1, TimeUnit.MINUTES)).isEqualTo(40));
        assertThat(delivered).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aProducerWakesAWorkerThatSleeps() {
        channel(0); // no poll interval: the worker sleeps whenever the queue is empty
        for (long s = 1; s <= 3; s++) {
            offer(s);
        }
        await().atMost(LIMIT).until(() -> delivered.size() == 3);
        assertThat(delivered).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aFullBatchWakesAWorkerThatIsPolling() {
        polling();
        // The worker may take a few of these early (a wake-up left over from the joins above), so
        // what is asserted is the rule itself: whenever a full batch is queued, the worker takes it.
        // Without that wake-up, hundreds would wait here for the ten-minute poll.
        int batch = SinkChannel.DRAIN_BATCH;
        long last = 2 + 3 * batch;
        for (long s = 3; s <= last; s++) {
            offer(s);
        }
        await().atMost(LIMIT).until(() -> channel.depth() < batch && delivered.size() + channel.depth() == last);
        assertThat(delivered).hasSizeGreaterThan((int) last - batch).isSorted();
    }

    @Test
    void flushAndCloseWakeAWorkerThatIsPolling() {
        polling();
        offer(3);
        assertTimeoutPreemptively(LIMIT, () -> channel.flush(LIMIT).get());
        assertThat(delivered).containsExactly(1L, 2L, 3L);
        offer(4);
        long notDelivered = assertTimeoutPreemptively(LIMIT, () -> channel.close(LIMIT));
        assertThat(notDelivered).isZero();
        assertThat(delivered).containsExactly(1L, 2L, 3L, 4L);
        channel = null;
    }

    @Test
    void aWorkerLeftInterruptedByItsDeliveryStillSleeps() {
        channel = new SinkChannel(
                "interrupted",
                new ChannelDelivery() {
                    @Override
                    public void deliver(ProgressEvent event, CompletableFuture<Long> ack) throws Exception {
                        delivered.add(event.sequence());
                        throw new InterruptedException("a sink that says it was interrupted");
                    }

                    @Override
                    public void flush(Duration timeout) {}

                    @Override
                    public void close() {}
                },
                OverflowPolicy.BLOCK,
                1000,
                true,
                0,
                false);
        channel.offer(event(1), null);
        await().atMost(LIMIT).until(() -> delivered.size() == 1);
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("tracker-sink-interrupted"))
                .findFirst()
                .orElseThrow();
        // The delivery left the interrupt flag set: a park that returns at once would spin (RUNNABLE).
        await().atMost(LIMIT).until(() -> worker.getState() == Thread.State.WAITING);
        await().during(Duration.ofMillis(200)).atMost(LIMIT).until(() -> worker.getState() == Thread.State.WAITING);
        channel.offer(event(2), null);
        await().atMost(LIMIT).until(() -> delivered.size() == 2);
    }

    /**
     * A ten-minute-poll channel whose worker polls: events 1 and 2 went through it less than two
     * intervals apart, so from now on it parks for ten minutes and producers do not wake it.
     */
    private void polling() {
        channel(TEN_MINUTES);
        // The worker starts asleep, so each offer wakes it; the second batch makes it poll.
        assertTimeoutPreemptively(LIMIT, () -> offer(1).join());
        assertTimeoutPreemptively(LIMIT, () -> offer(2).join());
    }

    private void channel(long pollNanos) {
        ChannelDelivery recording = new ChannelDelivery() {
            @Override
            public void deliver(ProgressEvent event, CompletableFuture<Long> ack) {
                delivered.add(event.sequence());
                if (ack != null) {
                    ack.complete(event.sequence());
                }
            }

            @Override
            public void flush(Duration timeout) {}

            @Override
            public void close() {}
        };
        channel = new SinkChannel("test", recording, OverflowPolicy.BLOCK, 1000, true, pollNanos, false);
    }

    private CompletableFuture<Long> offer(long sequence) {
        CompletableFuture<Long> ack = new StoreAck<>(channel);
        assertThat(channel.offer(event(sequence), ack)).isTrue();
        return ack;
    }

    private static ProgressEvent event(long sequence) {
        return new RunEvent.PhaseChanged(
                new EventHeader(UUID.randomUUID(), "run", sequence, Instant.EPOCH, "cluster", null),
                new RunView(RunStatus.IN_PROGRESS, "phase", 0, null, Instant.EPOCH, null),
                "before");
    }
}

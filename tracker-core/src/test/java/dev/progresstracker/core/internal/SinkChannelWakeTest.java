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
 * How a channel's worker is woken. The worker polls with an interval of ten minutes here, so a
 * missing wake-up shows as a call that does not return within the test's timeout.
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

    private SinkChannel polling(long activeWindowNanos) {
        SinkChannel.Delivery recording = new SinkChannel.Delivery() {
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
        channel = new SinkChannel(
                "test", recording, OverflowPolicy.BLOCK, 1000, true, TEN_MINUTES, false, activeWindowNanos);
        return channel;
    }

    private static ProgressEvent event(long sequence) {
        return new RunEvent.PhaseChanged(
                new EventHeader(UUID.randomUUID(), "run", sequence, Instant.EPOCH, "cluster", null),
                new RunView(RunStatus.IN_PROGRESS, "phase", 0, null, Instant.EPOCH, null),
                "before");
    }

    private CompletableFuture<Long> offer(long sequence) {
        CompletableFuture<Long> ack = new StoreAck<>(channel);
        assertThat(channel.offer(event(sequence), ack)).isTrue();
        return ack;
    }

    @Test
    void aCallerBlockingOnItsAckWakesAWorkerThatIsPolling() {
        polling(TEN_MINUTES);
        assertTimeoutPreemptively(LIMIT, () -> assertThat(offer(1).join()).isEqualTo(1));
        // The worker is active now: it parks for its poll interval and producers do not wake it.
        CompletableFuture<Long> second = offer(2);
        CompletableFuture<Long> derived = offer(3).thenApply(s -> s * 10);
        assertTimeoutPreemptively(LIMIT, () -> assertThat(second.get()).isEqualTo(2));
        assertTimeoutPreemptively(
                LIMIT, () -> assertThat(derived.get(1, TimeUnit.MINUTES)).isEqualTo(30));
        assertThat(delivered).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aProducerWakesAWorkerThatWentToSleep() {
        polling(0); // never active: the worker sleeps whenever the queue is empty
        offer(1);
        offer(2);
        await().atMost(LIMIT).until(() -> delivered.size() == 2);
        assertThat(delivered).containsExactly(1L, 2L);
    }

    @Test
    void aFullBatchWakesAWorkerThatIsPolling() {
        polling(TEN_MINUTES);
        assertTimeoutPreemptively(LIMIT, () -> offer(1).join());
        for (long s = 2; s <= 300; s++) { // over one drain batch (256)
            offer(s);
        }
        await().atMost(LIMIT).until(() -> delivered.size() >= 257);
        assertThat(delivered.subList(0, 257)).isSorted();
    }

    @Test
    void flushAndCloseWakeAWorkerThatIsPolling() throws Exception {
        polling(TEN_MINUTES);
        assertTimeoutPreemptively(LIMIT, () -> offer(1).join());
        offer(2);
        assertTimeoutPreemptively(LIMIT, () -> channel.flush(LIMIT).get());
        assertThat(delivered).containsExactly(1L, 2L);
        offer(3);
        long notDelivered = assertTimeoutPreemptively(LIMIT, () -> channel.close(LIMIT));
        assertThat(notDelivered).isZero();
        assertThat(delivered).containsExactly(1L, 2L, 3L);
        channel = null;
    }
}

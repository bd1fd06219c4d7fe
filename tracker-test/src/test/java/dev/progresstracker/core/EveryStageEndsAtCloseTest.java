package dev.progresstracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.test.ScriptedStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every stage ends: what the store has not confirmed when {@code close()} has waited its timeout
 * fails with the cause, whether the events were appended and never confirmed, stuck behind an
 * append that hangs, or refused by the store.
 */
class EveryStageEndsAtCloseTest {

    private static final TrackerConfig SHORT_CLOSE =
            TrackerConfig.builder().closeTimeout(Duration.ofMillis(300)).build();

    @Test
    void stagesTheStoreNeverConfirmsFailAtCloseNamingTheStoresProblem() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        List<CompletionStage<Long>> acks = new ArrayList<>();
        ProgressTracker t = ProgressTracker.builder()
                .runId("never-confirmed")
                .store(store)
                .config(SHORT_CLOSE)
                .build();
        t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
        t.startTask("a");
        assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
        store.hold().health(StoreHealth.retrying("No space left on device", Instant.now(), 5, 500));
        for (int p = 10; p <= 50; p += 10) {
            acks.add(t.updateTaskProgress("a", p));
        }
        acks.add(t.setCurrentPhase("two"));
        acks.add(t.setCurrentPhase("two")); // a no-op: its stage follows the last event's
        assertThat(store.awaitHeld(6, Duration.ofSeconds(10))).isTrue();
        t.close();
        for (CompletionStage<Long> ack : acks) {
            String message = failureOf(ack);
            assertThat(message).contains("not stored", "run 'never-confirmed'", "RETRYING", "No space left on device");
        }
        assertThat(store.heldCount()).isEqualTo(6);
    }

    @Test
    void eventsQueuedBehindAnAppendThatHangsFailAtClose() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        List<CompletionStage<Long>> acks = new ArrayList<>();
        ProgressTracker t = ProgressTracker.builder()
                .runId("hung-append")
                .store(store)
                .config(SHORT_CLOSE)
                .build();
        try {
            acks.add(t.addTask("a", "A", TaskType.UPGRADE_STEP, null));
            assertThat(acks.get(0).toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isEqualTo(1);
            store.hangNextAppend();
            acks.clear();
            acks.add(t.startTask("a"));
            store.awaitHanging();
            for (int p = 1; p <= 20; p++) {
                acks.add(t.updateTaskProgress("a", p));
            }
            t.close();
            for (CompletionStage<Long> ack : acks) {
                assertThat(failureOf(ack)).contains("not stored", "run 'hung-append'");
            }
        } finally {
            store.unhang();
        }
    }

    @Test
    void stagesOfAFactorysTrackersFailWhenTheFactoryCloses() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        TrackerFactory factory =
                TrackerFactory.builder().store(store).config(SHORT_CLOSE).build();
        ProgressTracker t = factory.tracker("shared");
        store.hold().health(StoreHealth.retrying("throttled", Instant.now(), 1, 0));
        CompletionStage<Long> ack = t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
        t.close();
        assertThat(ack.toCompletableFuture()).isNotDone(); // the factory's store may still take it
        factory.close();
        assertThat(failureOf(ack)).contains("not stored", "RETRYING", "throttled");
    }

    @Test
    void writesThatFailFailTheirStagesAndTheCloseStillEnds() throws Exception {
        ScriptedStore store = new ScriptedStore(new InMemoryProgressStore());
        List<CompletionStage<Long>> acks = new ArrayList<>();
        ProgressTracker t = ProgressTracker.builder()
                .runId("failing")
                .store(store)
                .config(SHORT_CLOSE)
                .build();
        store.failNext(Integer.MAX_VALUE);
        acks.add(t.addTask("a", "A", TaskType.UPGRADE_STEP, null));
        acks.add(t.startTask("a"));
        acks.add(t.updateTaskProgress("a", 5));
        t.close();
        for (CompletionStage<Long> ack : acks) {
            assertThat(failureOf(ack)).contains("injected write failure");
        }
    }

    /** The message of the exception the stage failed with; fails the test if it completed normally or is still open. */
    private static String failureOf(CompletionStage<Long> ack) {
        CompletableFuture<Long> f = ack.toCompletableFuture();
        assertThat(f).as("a stage still open after close()").isDone();
        Throwable t = catchThrowable(() -> f.get(0, TimeUnit.SECONDS));
        assertThat(t).as("stage completed normally").isInstanceOf(ExecutionException.class);
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }
}

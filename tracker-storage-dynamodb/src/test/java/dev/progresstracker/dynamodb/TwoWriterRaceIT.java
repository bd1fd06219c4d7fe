package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.test.RecordingSink;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two trackers, each with its own store instance (two hosts), resume the same run and race to
 * write it. Exactly one wins every sequence number; the loser is told clearly and stores nothing
 * after the fork; the table holds a gap-free, duplicate-free sequence made of the winner's events.
 */
class TwoWriterRaceIT extends WithFreshTable {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    private static final int UPDATES = 150;

    @Override
    AwsEmulatorExtension emulator() {
        return MOTO;
    }

    private static ProgressTracker tracker(DynamoDbProgressStore store, RecordingSink sink) {
        return ProgressTracker.builder()
                .runId("race")
                .planId("plan")
                .clusterName("prod-eu")
                .store(store)
                .sink(sink)
                .build();
    }

    @Test
    void exactlyOneWriterWinsEverySequenceAndTheLoserIsToldSo() throws Exception {
        try (ProgressTracker setup = tracker(store(), new RecordingSink())) {
            setup.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            setup.addTask("b", "B", TaskType.UPGRADE_STEP, null);
            setup.startUpgrade("data-plane");
            setup.startTask("a").toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        long fork = 4;

        RecordingSink sinkA = new RecordingSink("a", OverflowPolicy.BLOCK, 100_000);
        RecordingSink sinkB = new RecordingSink("b", OverflowPolicy.BLOCK, 100_000);
        ProgressTracker a = tracker(store(), sinkA);
        ProgressTracker b = tracker(store(), sinkB);
        assertThat(a.snapshot().lastSequence()).isEqualTo(fork);
        assertThat(b.snapshot().lastSequence()).isEqualTo(fork);

        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<List<CompletableFuture<Long>>> acksA = CompletableFuture.supplyAsync(() -> drive(a, go));
        CompletableFuture<List<CompletableFuture<Long>>> acksB = CompletableFuture.supplyAsync(() -> drive(b, go));
        go.countDown();
        Outcome outA = outcome(acksA.get(60, TimeUnit.SECONDS));
        Outcome outB = outcome(acksB.get(60, TimeUnit.SECONDS));
        a.close();
        b.close();

        // Exactly one loser, and it was told why.
        assertThat(outA.failures.isEmpty() ^ outB.failures.isEmpty())
                .as("exactly one writer lost")
                .isTrue();
        Outcome loser = outA.failures.isEmpty() ? outB : outA;
        Outcome winner = loser == outA ? outB : outA;
        RecordingSink winnerSink = winner == outA ? sinkA : sinkB;
        RecordingSink loserSink = winner == outA ? sinkB : sinkA;
        assertThat(winner.succeeded).isEqualTo(UPDATES + 1);
        assertThat(loser.failures)
                .allSatisfy(f -> assertThat(f)
                        .isInstanceOf(SequenceConflictException.class)
                        .hasMessageContaining("run 'race'")
                        .hasMessageContaining("already taken by another writer"));

        // The table: 1..n without gap or duplicate, every event after the fork is the winner's.
        try (DynamoDbProgressStore reader = store()) {
            List<ProgressEvent> stored =
                    reader.eventsSince("race", 0, Integer.MAX_VALUE).orElseThrow();
            long n = fork + UPDATES + 1;
            assertThat(stored)
                    .extracting(ProgressEvent::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, n)
                            .boxed()
                            .toList());
            Set<String> ids = new HashSet<>();
            stored.forEach(e -> assertThat(ids.add(e.eventId().toString()))
                    .as("unique eventId")
                    .isTrue());
            List<String> afterFork = stored.subList((int) fork, stored.size()).stream()
                    .map(e -> e.eventId().toString())
                    .toList();
            assertThat(afterFork)
                    .containsExactlyElementsOf(winnerSink.events().stream()
                            .map(e -> e.eventId().toString())
                            .toList());
            assertThat(afterFork)
                    .doesNotContainAnyElementsOf(loserSink.events().stream()
                            .map(e -> e.eventId().toString())
                            .toList());

            RunProjection p = new RunProjection("race", RunProjection.Mode.CONTIGUOUS);
            stored.forEach(p::apply);
            RunState loaded = reader.loadRun("race").orElseThrow();
            assertThat(loaded.info()).isEqualTo(p.info());
            assertThat(loaded.tasks()).containsExactlyElementsOf(p.snapshot().tasks());
        }
    }

    private static List<CompletableFuture<Long>> drive(ProgressTracker t, CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = 1; i <= UPDATES; i++) {
            acks.add(t.updateTaskProgress("a", i * 100.0 / (UPDATES + 1)).toCompletableFuture());
        }
        acks.add(t.completeTask("a").toCompletableFuture());
        t.flush(Duration.ofSeconds(30));
        return acks;
    }

    private record Outcome(int succeeded, List<Throwable> failures) {}

    private static Outcome outcome(List<CompletableFuture<Long>> acks) throws InterruptedException {
        int ok = 0;
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Long> f : acks) {
            try {
                f.get(30, TimeUnit.SECONDS);
                ok++;
            } catch (ExecutionException e) {
                failures.add(e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("an ack never completed", e);
            }
        }
        return new Outcome(ok, failures);
    }
}

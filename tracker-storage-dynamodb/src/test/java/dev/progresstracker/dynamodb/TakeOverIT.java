package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.test.RecordingSink;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Finding 7, split brain: a second agent takes a run over while the first is still writing it.
 * Whichever loses the race for a sequence number gets {@link SequenceConflictException} on every
 * call from its first failure on (never a plain {@code IllegalArgumentException}, never a success
 * after it), its store reports REFUSING for the run, none of its stages stays pending, and the table
 * holds a gap-free run that contains every acknowledged event of both.
 */
class TakeOverIT extends WithFreshTable {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    private static final String RUN = "take-over";

    @Override
    AwsEmulatorExtension emulator() {
        return MOTO;
    }

    private static ProgressTracker tracker(DynamoDbProgressStore store, RecordingSink sink) {
        return ProgressTracker.builder()
                .runId(RUN)
                .planId("plan")
                .clusterName("prod-eu")
                .store(store)
                .sink(sink)
                .build();
    }

    /** One tracker's calls: each ends in an ack, a failed stage, or an exception at the call. */
    private record Calls(List<CompletableFuture<Long>> acks, List<RuntimeException> refusedAtCall) {
        static Calls make(ProgressTracker t, String task, int from, int n) {
            List<CompletableFuture<Long>> acks = new ArrayList<>();
            List<RuntimeException> refused = new ArrayList<>();
            for (int i = from; i < from + n; i++) {
                try {
                    acks.add(t.updateTaskProgress(task, Math.min(99.0, i * 0.1)).toCompletableFuture());
                } catch (RuntimeException e) {
                    refused.add(e); // a tracker that reads the store's health refuses at the call
                }
            }
            return new Calls(acks, refused);
        }
    }

    private record Outcome(List<Long> acknowledged, List<Throwable> failures, boolean successAfterFailure) {
        static Outcome of(Calls calls) throws InterruptedException {
            List<Long> ok = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            boolean late = false;
            for (CompletableFuture<Long> f : calls.acks()) {
                try {
                    long seq = f.get(60, TimeUnit.SECONDS);
                    ok.add(seq);
                    late |= !failures.isEmpty();
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError("a stage never ended", e);
                }
            }
            return new Outcome(ok, failures, late);
        }
    }

    @Test
    void theAgentThatLosesARunToAnotherStoreGetsSequenceConflictOnEveryCallFromTheFirst() throws Exception {
        DynamoDbProgressStore storeA = store();
        DynamoDbProgressStore storeB = store();
        RecordingSink sinkA = new RecordingSink("a", OverflowPolicy.BLOCK, 100_000);
        RecordingSink sinkB = new RecordingSink("b", OverflowPolicy.BLOCK, 100_000);
        ProgressTracker a = tracker(storeA, sinkA);
        a.addTask("a", "A", TaskType.UPGRADE_STEP, null);
        a.addTask("b", "B", TaskType.UPGRADE_STEP, null);
        a.startUpgrade("data-plane");
        a.startTask("a");
        a.startTask("b").toCompletableFuture().get(30, TimeUnit.SECONDS);

        // A writes on; B takes the run over from what is committed while A's writes are still coming.
        Calls first = Calls.make(a, "a", 1, 100);
        ProgressTracker b = tracker(storeB, sinkB);
        Calls fromA = Calls.make(a, "a", 101, 200);
        Calls fromB = Calls.make(b, "b", 1, 200);
        Outcome outA = merge(Outcome.of(first), Outcome.of(fromA));
        Outcome outB = Outcome.of(fromB);

        assertThat(outA.failures().isEmpty()
                        && fromA.refusedAtCall().isEmpty() ^ outB.failures().isEmpty()
                        && fromB.refusedAtCall().isEmpty())
                .as("exactly one agent lost")
                .isTrue();
        boolean aLost = !outA.failures().isEmpty() || !fromA.refusedAtCall().isEmpty();
        Outcome loser = aLost ? outA : outB;
        Calls loserCalls = aLost ? fromA : fromB;
        DynamoDbProgressStore loserStore = aLost ? storeA : storeB;
        DynamoDbProgressStore winnerStore = aLost ? storeB : storeA;
        assertThat(loser.failures())
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f)
                        .isInstanceOf(SequenceConflictException.class)
                        .hasMessageContaining("run '" + RUN + "'")
                        .hasMessageContaining("already taken by another writer"));
        assertThat(loser.successAfterFailure())
                .as("a success after the first conflict")
                .isFalse();
        assertThat(loserCalls.refusedAtCall()).allSatisfy(e -> assertThat(e).hasMessageContaining("another writer"));
        StoreHealth h = loserStore.health(RUN);
        assertThat(h.state()).isEqualTo(StoreHealth.State.REFUSING);
        assertThat(h.problem()).contains("already taken by another writer");
        assertThat(winnerStore.health(RUN).isWriting()).isTrue();

        // Every later append to the losing store fails at once with the same exception type.
        ProgressEvent next = (aLost ? sinkA : sinkB).events().get(0);
        Throwable later = catchCause(loserStore.append(next).toCompletableFuture());
        assertThat(later).isInstanceOf(SequenceConflictException.class);

        a.close();
        b.close();
        storeA.close();
        storeB.close();

        // The table: 1..n, no gap, every acknowledged event of both agents present, state = fold.
        try (DynamoDbProgressStore reader = store()) {
            List<ProgressEvent> stored =
                    reader.eventsSince(RUN, 0, Integer.MAX_VALUE).orElseThrow();
            assertThat(stored)
                    .extracting(ProgressEvent::sequence)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, stored.size()).boxed().toList());
            Set<String> storedIds = new HashSet<>();
            stored.forEach(e -> storedIds.add(e.eventId().toString()));
            assertAcknowledgedStored(sinkA, outA.acknowledged(), storedIds);
            assertAcknowledgedStored(sinkB, outB.acknowledged(), storedIds);
            RunProjection p = new RunProjection(RUN, RunProjection.Mode.CONTIGUOUS);
            stored.forEach(p::apply);
            assertThat(reader.loadRun(RUN).orElseThrow()).isEqualTo(p.snapshot());
        }
    }

    @Test
    void twoTrackersOfOneRunOnOneStoreAreStoppedWithSequenceConflictAndNothingIsLeftPending() throws Exception {
        try (DynamoDbProgressStore store = store()) {
            ProgressTracker first = tracker(store, new RecordingSink());
            first.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            first.startUpgrade("data-plane");
            first.startTask("a").toCompletableFuture().get(30, TimeUnit.SECONDS);
            ProgressTracker second = tracker(store, new RecordingSink());
            Calls fromFirst = Calls.make(first, "a", 1, 50);
            Calls fromSecond = Calls.make(second, "a", 1, 50);
            Outcome one = Outcome.of(fromFirst);
            Outcome two = Outcome.of(fromSecond);
            assertThat(two.acknowledged())
                    .as("the second tracker's first call collides")
                    .isEmpty();
            assertThat(two.failures())
                    .isNotEmpty()
                    .allSatisfy(f -> assertThat(f)
                            .isInstanceOf(SequenceConflictException.class)
                            .hasMessageContaining("run '" + RUN + "'"));
            assertThat(one.acknowledged())
                    .as("the first tracker's events accepted before the collision are written")
                    .isNotEmpty();
            assertThat(one.successAfterFailure()).isFalse();
            assertThat(one.failures()).allSatisfy(f -> assertThat(f).isInstanceOf(SequenceConflictException.class));
            assertThat(store.health(RUN).state()).isEqualTo(StoreHealth.State.REFUSING);
            long head = store.loadRun(RUN).orElseThrow().lastSequence();
            assertThat(head).isEqualTo(3 + one.acknowledged().size());
        }
    }

    private static Outcome merge(Outcome x, Outcome y) {
        List<Long> ok = new ArrayList<>(x.acknowledged());
        ok.addAll(y.acknowledged());
        List<Throwable> failures = new ArrayList<>(x.failures());
        failures.addAll(y.failures());
        return new Outcome(
                ok,
                failures,
                x.successAfterFailure()
                        || y.successAfterFailure()
                        || !x.failures().isEmpty() && !y.acknowledged().isEmpty());
    }

    private static void assertAcknowledgedStored(RecordingSink sink, List<Long> acknowledged, Set<String> storedIds) {
        Set<Long> acked = new HashSet<>(acknowledged);
        List<String> ids = sink.events().stream()
                .filter(e -> acked.contains(e.sequence()))
                .map(e -> e.eventId().toString())
                .toList();
        assertThat(ids).hasSameSizeAs(acknowledged);
        assertThat(storedIds).containsAll(ids);
    }

    private static Throwable catchCause(CompletableFuture<Void> f) throws InterruptedException {
        try {
            f.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("a stage never ended", e);
        }
    }
}

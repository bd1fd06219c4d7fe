package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.test.SampleRuns;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Finding 7, throttling: every write of the table is throttled (by a proxy answering DynamoDB's own
 * throttling response, so the SDK's retries and metrics run as in production). The run says
 * RETRYING with the cause and WARNs long before it gives up; the stages then fail within
 * {@code writeTimeout} naming the cause; every retry is counted; a healed table lets the run
 * continue without a gap; {@code close()} leaves no stage pending.
 */
class ThrottlingIT {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    private Faults.ThrottlingProxy throttle;
    private DynamoDbAsyncClient plain;
    private DynamoDbAsyncClient faulty;
    private String table;

    @BeforeEach
    void setUp() throws Exception {
        throttle = new Faults.ThrottlingProxy(MOTO.endpoint());
        plain = DynamoDbTestSupport.client(MOTO);
        faulty = DynamoDbTestSupport.client(MOTO, throttle.endpoint());
        table = DynamoDbTestSupport.freshTable(plain);
    }

    @AfterEach
    void tearDown() {
        faulty.close();
        plain.close();
        throttle.close();
    }

    private DynamoDbStoreConfig.Builder bounded() {
        return DynamoDbTestSupport.noCoalescing(table).toBuilder()
                .writeRetryBaseDelay(Duration.ofMillis(20))
                .writeAttemptTimeout(Duration.ofSeconds(1))
                .retryWarnAfter(Duration.ofMillis(500))
                .writeTimeout(Duration.ofSeconds(6))
                .closeTimeout(Duration.ofSeconds(2));
    }

    private DynamoDbProgressStore store(DynamoDbAsyncClient client, DynamoDbStoreConfig config) {
        return DynamoDbProgressStore.builder().client(client).config(config).build();
    }

    @Test
    void throttlingOnEveryWriteFailsTheStagesWithinTheBoundNamingTheCauseAndTheRunResumesGapFree() throws Exception {
        List<ProgressEvent> events = SampleRuns.upgrade("throttled");
        int healthy = 5;
        try (DynamoDbProgressStore store = store(faulty, bounded().build())) {
            appendAndWait(store, events.subList(0, healthy));
            throttle.on();
            List<CompletableFuture<Void>> stages = new ArrayList<>();
            for (ProgressEvent e : events.subList(healthy, healthy + 5)) {
                stages.add(store.append(e).toCompletableFuture());
            }
            // Read by the thread that fails the first stage, as it does so.
            AtomicLong givenUpAsTheStageFailed = new AtomicLong(-1);
            stages.get(0)
                    .whenComplete(
                            (v, t) -> givenUpAsTheStageFailed.set(store.stats().writesGivenUp()));
            await("RETRYING with the cause").atMost(Duration.ofSeconds(10)).until(() -> {
                StoreHealth h = store.health("throttled");
                return h.state() == StoreHealth.State.RETRYING && h.problem().contains("Throttling");
            });
            await("one WARN")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> store.stats().retryWarnings() == 1);
            assertThat(stages).noneMatch(CompletableFuture::isDone);

            // Every stage ends, failed, naming the cause and the bound; none before the WARN.
            for (CompletableFuture<Void> s : stages) {
                Throwable t = catchThrowable(() -> s.get(30, TimeUnit.SECONDS));
                assertThat(t)
                        .as("a stage that never ended")
                        .isNotInstanceOf(java.util.concurrent.TimeoutException.class);
                assertThat(t.getCause())
                        .hasMessageContaining("run 'throttled'")
                        .hasMessageContaining("Throttling")
                        .hasMessageContaining("writeTimeout PT6S");
            }
            DynamoDbStoreStats stats = store.stats();
            assertThat(stats.writesGivenUp()).isEqualTo(1);
            assertThat(givenUpAsTheStageFailed.get())
                    .as("a caller whose stage failed sees the give-up counted")
                    .isEqualTo(1);
            assertThat(stats.sdkRetries())
                    .as("the SDK's own retries are counted")
                    .isPositive();
            assertThat(stats.retries() + stats.batchRetries())
                    .as("the store's retries are counted")
                    .isPositive();
            assertThat(stats.totalRetries()).isEqualTo(stats.retries() + stats.batchRetries() + stats.sdkRetries());
            StoreHealth refused = store.health("throttled");
            assertThat(refused.state()).isEqualTo(StoreHealth.State.REFUSING);
            assertThat(refused.problem()).contains("Throttling");

            // Later events are refused at once, naming why.
            Throwable later = catchThrowable(() ->
                    store.append(events.get(healthy + 5)).toCompletableFuture().join());
            assertThat(later).isInstanceOf(CompletionException.class);
            assertThat(later.getCause()).hasMessageContaining("refuses the run").hasMessageContaining("Throttling");

            // Healed: a new tracker loads the run (the same store) and continues from what was committed.
            throttle.off();
            long committed = store.loadRun("throttled").orElseThrow().lastSequence();
            assertThat(committed).isEqualTo(healthy);
            assertThat(store.health("throttled").state()).isEqualTo(StoreHealth.State.WRITING);
            // An old tracker's next event (it was further on) still fails with the original cause.
            Throwable stale = catchThrowable(() ->
                    store.append(events.get(healthy + 6)).toCompletableFuture().join());
            assertThat(stale.getCause()).hasMessageContaining("refuses the run").hasMessageContaining("Throttling");
            List<ProgressEvent> resumed = from(events, healthy);
            appendAndWait(store, resumed);
        }
        try (DynamoDbProgressStore reader = store(plain, DynamoDbTestSupport.noCoalescing(table))) {
            assertGapFree(reader, "throttled", healthy + events.size() - healthy);
        }
    }

    @Test
    void aTableThatHealsBeforeTheBudgetEndsLetsEveryStageCompleteWithoutAGap() throws Exception {
        List<ProgressEvent> events = SampleRuns.upgrade("heals");
        DynamoDbStoreConfig config = bounded()
                .writeTimeout(Duration.ofSeconds(60))
                .writeAttempts(1000)
                .build();
        try (DynamoDbProgressStore store = store(faulty, config)) {
            appendAndWait(store, events.subList(0, 3));
            throttle.on();
            List<CompletableFuture<Void>> stages = new ArrayList<>();
            for (ProgressEvent e : events.subList(3, events.size())) {
                stages.add(store.append(e).toCompletableFuture());
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> store.health("heals").state() == StoreHealth.State.RETRYING);
            int throttledBefore = throttle.throttled.get();
            await("the store keeps retrying")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> throttle.throttled.get() > throttledBefore + 3);
            throttle.off();
            CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> store.health("heals").isWriting());
            assertThat(store.stats().writesGivenUp()).isZero();
            assertThat(store.stats().totalRetries()).isPositive();
        }
        try (DynamoDbProgressStore reader = store(plain, DynamoDbTestSupport.noCoalescing(table))) {
            assertGapFree(reader, "heals", events.size());
        }
    }

    @Test
    void closeWhileThrottledEndsEveryPendingStageWithinTheCloseTimeout() throws Exception {
        List<ProgressEvent> events = SampleRuns.upgrade("closing");
        DynamoDbStoreConfig config = bounded()
                .writeTimeout(Duration.ofSeconds(120))
                .writeAttempts(1000)
                .progressCoalesceInterval(Duration.ofSeconds(30))
                .build();
        DynamoDbProgressStore store = store(faulty, config);
        appendAndWait(store, events.subList(0, 2));
        throttle.on();
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (ProgressEvent e : events.subList(2, events.size())) {
            stages.add(store.append(e).toCompletableFuture());
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.health("closing").state() == StoreHealth.State.RETRYING);
        store.close();

        long pending = stages.stream().filter(s -> !s.isDone()).count();
        assertThat(pending).as("stages still pending after close()").isZero();
        assertThat(stages)
                .allSatisfy(s -> assertThat(catchThrowable(s::join))
                        .isNotNull()
                        .hasMessageContaining("closeTimeout PT2S")
                        .hasMessageContaining("run 'closing'"));
        assertThat(store.stats().failedOnClose()).isEqualTo(stages.size());
        assertThat(store.health("closing").state()).isEqualTo(StoreHealth.State.REFUSING);

        assertThat(stages)
                .allSatisfy(
                        s -> assertThat(catchThrowable(s::join)).hasMessageContaining("may or may not be committed"));

        throttle.off();
        try (DynamoDbProgressStore reader = store(plain, DynamoDbTestSupport.noCoalescing(table))) {
            // Every acknowledged event is there; the write in flight at close may have landed since (its SDK
            // attempt ran on for up to writeAttemptTimeout), as its failure said. The run resumes from the table.
            long head = reader.loadRun("closing").orElseThrow().lastSequence();
            assertThat(head).isBetween(2L, (long) events.size());
            assertGapFree(reader, "closing", head);
            appendAndWait(reader, from(events, (int) head));
            assertGapFree(reader, "closing", events.size());
        }
    }

    private static void appendAndWait(DynamoDbProgressStore store, List<ProgressEvent> events) throws Exception {
        for (ProgressEvent e : events) {
            store.append(e).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** The events after sequence {@code from}, as a tracker resuming there sends them (same sequences). */
    private static List<ProgressEvent> from(List<ProgressEvent> events, int from) {
        return events.subList(from, events.size());
    }

    private static void assertGapFree(DynamoDbProgressStore reader, String runId, long n) {
        List<ProgressEvent> stored =
                reader.eventsSince(runId, 0, Integer.MAX_VALUE).orElseThrow();
        assertThat(stored)
                .extracting(ProgressEvent::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
        RunProjection p = new RunProjection(runId, RunProjection.Mode.CONTIGUOUS);
        stored.forEach(p::apply);
        assertThat(reader.loadRun(runId).orElseThrow()).isEqualTo(p.snapshot());
    }
}

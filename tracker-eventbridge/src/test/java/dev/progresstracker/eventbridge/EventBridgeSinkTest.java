package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.eventbridge.internal.EntrySizes;
import dev.progresstracker.test.DeliveredStreamCheck;
import dev.progresstracker.test.LimitCases;
import dev.progresstracker.test.SampleRuns;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

class EventBridgeSinkTest extends FakeBusTestBase {

    private static List<Long> sequences(List<PutEventsRequestEntry> entries) {
        return entries.stream()
                .map(e -> WireFormat.fromJson(e.detail()).sequence())
                .toList();
    }

    @Test
    void mapsEveryEventExactlyAsTheDesignSays() throws Exception {
        EventBridgeSink sink = sink(config().clusterArn("arn:aws:eks:us-east-1:123456789012:cluster/prod-eu")
                .build());
        List<ProgressEvent> events = SampleRuns.upgrade("map-1");
        List<PutEventsRequestEntry> got = publishAndAssertDelivered(sink, events);
        for (PutEventsRequestEntry e : got) {
            ProgressEvent sent =
                    bySequence(events, WireFormat.fromJson(e.detail()).sequence());
            assertThat(e.source()).isEqualTo("eks-upgrade-agent");
            assertThat(e.eventBusName()).isEqualTo("tracker-bus");
            assertThat(e.detailType()).isEqualTo(sent.type().wireName());
            assertThat(withoutDelivery(e.detail()))
                    .as("Detail = wire JSON with the original's fields (on by default)")
                    .isEqualTo(WireFormat.toJson(sent.withDelivery(null), true));
            assertThat(e.detail())
                    .as("the delivery on this path, last")
                    .contains(",\"delivery\":{\"previous\":")
                    .endsWith("}");
            assertThat(e.resources()).containsExactly("arn:aws:eks:us-east-1:123456789012:cluster/prod-eu");
            assertThat(e.time()).isEqualTo(sent.time());
        }
    }

    @Test
    void originalFieldsSwitchedOffLeaveThePlainWireJson() throws Exception {
        EventBridgeSink sink = sink(config().originalFields(false).build());
        List<ProgressEvent> events = SampleRuns.upgrade("map-2");
        List<PutEventsRequestEntry> got = publishAndAssertDelivered(sink, events);
        for (PutEventsRequestEntry e : got) {
            ProgressEvent sent =
                    bySequence(events, WireFormat.fromJson(e.detail()).sequence());
            assertThat(withoutDelivery(e.detail())).isEqualTo(WireFormat.toJson(sent.withDelivery(null)));
        }
    }

    @Test
    void batchesAtMostTenEntriesAndSendsFullBatchesUnderBurst() throws Exception {
        fake.latency(20);
        EventBridgeSink sink =
                sink(config().maxBatchDelay(Duration.ofMillis(500)).build());
        List<ProgressEvent> events = new ArrayList<>();
        int runs = 30;
        for (int r = 0; r < runs; r++) {
            events.addAll(SampleRuns.upgrade("burst-" + r));
        }
        publishAll(sink, events);
        long lifecycle = events.stream().filter(e -> e.type().isLifecycle()).count();
        awaitTrue(() -> fake.accepted().stream()
                        .filter(e -> !e.detailType().equals("task.progress"))
                        .count()
                == lifecycle);

        assertThat(fake.calls()).allSatisfy(c -> assertThat(c).hasSizeBetween(1, 10));
        double avg = fake.accepted().size() / (double) fake.calls().size();
        assertThat(avg).as("entries per call under burst").isGreaterThanOrEqualTo(9.0);
        for (int r = 0; r < runs; r++) {
            String run = "burst-" + r;
            List<Long> seqs = sequences(fake.accepted().stream()
                    .filter(e -> WireFormat.fromJson(e.detail()).runId().equals(run))
                    .toList());
            assertThat(seqs).as("order of " + run).isSorted().doesNotHaveDuplicates();
            assertDelivered(
                    events.stream().filter(e -> e.runId().equals(run)).toList(),
                    fake.accepted().stream()
                            .filter(e -> WireFormat.fromJson(e.detail()).runId().equals(run))
                            .toList());
        }
    }

    @Test
    void keepsEveryCallWithin256KiByTheAwsFormula() throws Exception {
        EventBridgeSink sink = sink(config().build());
        List<ProgressEvent> events = SampleRuns.record("big-1", LimitCases.generous(), (t, clock) -> {
            t.addTask("a", "A", dev.progresstracker.core.TaskType.UPGRADE_STEP, null);
            t.startUpgrade("p");
            t.startTask("a");
            for (int i = 1; i <= 20; i++) {
                t.addTask("b" + i, "B", dev.progresstracker.core.TaskType.UPGRADE_STEP, null);
                t.startTask("b" + i);
                t.updateTaskProgress("b" + i, 50, "step " + i, java.util.Map.of("blob", "x".repeat(60_000)));
            }
        });
        publishAll(sink, events);
        sink.flush(Duration.ofSeconds(10));

        assertThat(fake.accepted()).hasSize(events.size());
        for (List<PutEventsRequestEntry> call : fake.calls()) {
            int bytes = call.stream()
                    .mapToInt(e -> EntrySizes.entrySize(
                            e.source(),
                            e.detailType(),
                            e.detail(),
                            e.hasResources() && !e.resources().isEmpty()
                                    ? e.resources().get(0)
                                    : null,
                            e.time() != null))
                    .sum();
            assertThat(bytes).isLessThanOrEqualTo(256 * 1024);
        }
        assertThat(fake.calls().size()).isGreaterThanOrEqualTo(20 * 60_000 / (256 * 1024));
    }

    @Test
    void coalescesProgressOfATaskWhileACallIsInFlightButNeverLifecycle() throws Exception {
        fake.latency(300);
        EventBridgeSink sink = sink(config().build());
        List<ProgressEvent> events = SampleRuns.record("coalesce-1", (t, clock) -> {
            t.addTask("a", "A", dev.progresstracker.core.TaskType.UPGRADE_STEP, null);
            t.startUpgrade("p");
            t.startTask("a");
            for (int i = 1; i <= 99; i++) {
                t.updateTaskProgress("a", i);
            }
            t.completeTask("a");
            t.completeUpgrade();
        });
        publishAll(sink, events);
        sink.flush(Duration.ofSeconds(10));

        List<ProgressEvent> got = fake.accepted().stream()
                .map(e -> WireFormat.fromJson(e.detail()))
                .toList();
        long lifecycle = events.stream().filter(e -> e.type().isLifecycle()).count();
        assertThat(got.stream().filter(e -> e.type().isLifecycle()).count()).isEqualTo(lifecycle);
        assertThat(got.stream().filter(e -> e.type() == EventType.TASK_PROGRESS).count())
                .isLessThan(99);
        assertThat(got).extracting(ProgressEvent::sequence).isSorted();
        // Latest wins: the last progress sent is the last one made.
        ProgressEvent lastProgress = got.stream()
                .filter(e -> e.type() == EventType.TASK_PROGRESS)
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(((dev.progresstracker.core.event.TaskEvent) lastProgress)
                        .task()
                        .percent())
                .isEqualTo(99.0);
        assertThat(sink.stats().conflated()).isGreaterThan(0);
    }

    @Test
    void holdsATasksProgressForTheMinimumIntervalWhenNothingWaitsBehindIt() throws Exception {
        EventBridgeSink sink =
                sink(config().progressMinInterval(Duration.ofSeconds(30)).build());
        List<ProgressEvent> events = SampleRuns.record("interval-1", (t, clock) -> {
            t.addTask("a", "A", dev.progresstracker.core.TaskType.UPGRADE_STEP, null);
            t.startUpgrade("p");
            t.startTask("a");
            t.updateTaskProgress("a", 10);
        });
        publishAndFlush(sink, events);
        assertThat(fake.accepted()).hasSize(events.size());

        List<ProgressEvent> more = SampleRuns.record("interval-1", (t, clock) -> {
            t.addTask("a", "A", dev.progresstracker.core.TaskType.UPGRADE_STEP, null);
            t.startUpgrade("p");
            t.startTask("a");
            t.updateTaskProgress("a", 10);
            t.updateTaskProgress("a", 20);
            t.updateTaskProgress("a", 30);
        });
        sink.publish(more.get(more.size() - 2));
        sink.publish(more.get(more.size() - 1));
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(fake.accepted())
                        .as("held: sent 10 % just now")
                        .hasSize(events.size()));
    }

    @Test
    void retriesRejectedEntriesIndividuallyBeforeLaterEntriesOfTheirRun() throws Exception {
        // Sequence 5 is throttled twice, then accepted.
        fake.entryRule(
                (e, n) -> WireFormat.fromJson(e.detail()).sequence() == 5 && n <= 2 ? "ThrottlingException" : null);
        EventBridgeSink sink = sink(config().maxBatchEntries(5).build());
        List<ProgressEvent> events = SampleRuns.upgrade("retry-1");
        publishAll(sink, events);
        sink.flush(Duration.ofSeconds(10));

        List<Long> seqs = sequences(fake.accepted());
        assertDelivered(events, fake.accepted());
        int at = seqs.indexOf(5L);
        // Its own call carried 1..4 (accepted) and 5 (rejected); nothing after it came before it.
        assertThat(seqs.subList(0, at)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(seqs.subList(at, seqs.size())).isSorted();
        assertThat(sink.stats().retried()).isEqualTo(2);
        List<List<PutEventsRequestEntry>> retryCalls = fake.calls().stream()
                .filter(c ->
                        c.size() >= 1 && WireFormat.fromJson(c.get(0).detail()).sequence() == 5)
                .toList();
        assertThat(retryCalls).hasSize(2);
    }

    @Test
    void deadLettersNonRetryableEntriesOnceWithTheReason() throws Exception {
        fake.entryRule((e, n) -> WireFormat.fromJson(e.detail()).sequence() == 3 ? "MalformedDetail" : null);
        EventBridgeSink sink = sink(config().build());
        List<ProgressEvent> events = SampleRuns.upgrade("dead-1");
        publishAll(sink, events);
        sink.flush(Duration.ofSeconds(10));

        assertThat(sequences(fake.accepted())).doesNotContain(3L);
        assertDelivered(events.stream().filter(e -> e.sequence() != 3).toList(), fake.accepted());
        DeliveredStreamCheck.Report report = new DeliveredStreamCheck()
                .addAll(fake.accepted().stream()
                        .map(e -> WireFormat.fromJson(e.detail()))
                        .toList())
                .report();
        assertThat(report.missingLifecycle())
                .as("the consumer sees the dead-lettered entry")
                .containsExactly(new DeliveredStreamCheck.Missing(
                        "dead-1", 3, bySequence(events, 3).type()));
        long attemptsOf3 = fake.calls().stream()
                .flatMap(List::stream)
                .filter(e -> WireFormat.fromJson(e.detail()).sequence() == 3)
                .count();
        assertThat(attemptsOf3).as("never retried").isEqualTo(1);
        List<String> lines = Files.readAllLines(dir.resolve("outbox").resolve("dead-letter.jsonl"));
        assertThat(lines).hasSize(1);
        JsonNode dl = WireFormat.reader().readTree(lines.get(0));
        assertThat(dl.get("errorCode").asText()).isEqualTo("MalformedDetail");
        assertThat(dl.get("sequence").asLong()).isEqualTo(3);
        assertThat(WireFormat.fromJson(dl.get("detail").asText()).sequence()).isEqualTo(3);
        assertThat(sink.stats().failed()).isEqualTo(1);
        assertThat(registry.get("tracker.eventbridge.failed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void givesUpOnAnEntryAfterMaxAttempts() throws Exception {
        fake.entryRule((e, n) -> WireFormat.fromJson(e.detail()).sequence() == 2 ? "InternalFailure" : null);
        EventBridgeSink sink = sink(config().maxAttempts(3).build());
        List<ProgressEvent> events = SampleRuns.upgrade("exhaust-1");
        publishAll(sink, events);
        sink.flush(Duration.ofSeconds(10));

        long attempts = fake.calls().stream()
                .flatMap(List::stream)
                .filter(e -> WireFormat.fromJson(e.detail()).sequence() == 2)
                .count();
        assertThat(attempts).isEqualTo(3);
        assertDelivered(events.stream().filter(e -> e.sequence() != 2).toList(), fake.accepted());
        assertThat(Files.readString(dir.resolve("outbox").resolve("dead-letter.jsonl")))
                .contains("InternalFailure (attempts exhausted)");
    }

    @Test
    void retriesThrottledCallsWithBackoffAndKeepsOrder() throws Exception {
        AtomicInteger throttles = new AtomicInteger(4);
        fake.callFailure(r -> throttles.getAndDecrement() > 0 ? throttled() : null);
        EventBridgeSink sink = sink(config().build());
        List<ProgressEvent> events = SampleRuns.upgrade("throttle-1");
        publishAll(sink, events);
        sink.flush(Duration.ofSeconds(10));

        assertDelivered(events, fake.accepted());
        assertThat(sink.stats().retried()).isGreaterThan(0);
        assertThat(sink.stats().failed()).isZero();
    }

    @Test
    void deadLettersACallRejectedAsAccessDeniedAfterMaxAttempts() throws Exception {
        fake.callFailure(r -> EventBridgeException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AccessDeniedException")
                        .errorMessage("not allowed: events:PutEvents")
                        .build())
                .build());
        EventBridgeSink sink = sink(config().maxAttempts(1).build());
        List<ProgressEvent> events = SampleRuns.failure("denied-1");
        publishAll(sink, events);
        sink.flush(Duration.ofSeconds(10));

        assertThat(fake.calls().stream().mapToInt(List::size).sum()).isEqualTo(events.size());
        assertThat(Files.readAllLines(dir.resolve("outbox").resolve("dead-letter.jsonl")))
                .hasSize(events.size())
                .allSatisfy(
                        l -> assertThat(l).contains("AccessDeniedException").contains("not allowed: events:PutEvents"));
    }

    @Test
    void spillsToTheOutboxDuringAnOutageAndDrainsInOrderWhenBack() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        fake.callFailure(r -> down.get() ? SdkClientException.create("Connection refused") : null);
        EventBridgeSink sink = sink(config().build());
        List<ProgressEvent> events = SampleRuns.upgrade("outage-1");
        publishAndFlush(sink, events.subList(0, 10));
        assertThat(sink.stats().mode()).isEqualTo("SPILLING");
        long spilled = sink.stats().outboxDepth();
        assertThat(spilled).isBetween(1L, 10L);
        publishAndFlush(sink, events.subList(10, events.size()));
        assertThat(sink.stats().outboxDepth())
                .as("everything after the spill goes to the outbox")
                .isEqualTo(spilled + events.size() - 10);
        assertThat(sink.stats().buffered()).isZero();

        down.set(false);
        awaitTrue(() -> sink.stats().outboxDepth() == 0);
        assertDelivered(events, fake.accepted());
        awaitTrue(() -> sink.stats().mode().equals("DIRECT"));
        assertThat(sink.stats().outboxDepth()).isZero();
        assertThat(sink.stats().mode()).isEqualTo("DIRECT");
    }

    @Test
    void aNewSinkOnTheSameDirectoryDrainsWhatAnEarlierOneLeftBeforeNewEvents() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        fake.callFailure(r -> down.get() ? SdkClientException.create("Connection refused") : null);
        List<ProgressEvent> events = SampleRuns.upgrade("restart-1");
        EventBridgeSink first = sink(config().build());
        publishAll(first, events.subList(0, 20));
        first.close();
        sinks.remove(first);
        assertThat(fake.accepted()).isEmpty();

        down.set(false);
        EventBridgeSink second = sink(config().build());
        assertThat(second.stats().outboxDepth()).isGreaterThan(0);
        publishAll(second, events.subList(20, events.size()));
        second.flush(Duration.ofSeconds(10));
        assertDelivered(events, fake.accepted());
        // A new sink is a new delivery path: the consumer cannot vouch for the seam, and the check says so.
        DeliveredStreamCheck.Report report = new DeliveredStreamCheck()
                .addAll(fake.accepted().stream()
                        .map(e -> WireFormat.fromJson(e.detail()))
                        .toList())
                .report();
        assertThat(report.missing()).isEmpty();
        assertThat(report.unverified()).singleElement().asString().contains("restarted at #21");
    }

    @Test
    void aHangingEndpointTimesOutAndIsRetried() throws Exception {
        fake.hang(true);
        EventBridgeSink sink =
                sink(config().apiCallTimeout(Duration.ofMillis(100)).build());
        List<ProgressEvent> events = SampleRuns.failure("hang-1");
        publishAll(sink, events);
        awaitTrue(() -> fake.calls().size() >= 2); // the first call timed out: the sink called again
        fake.hang(false);
        awaitAccepted(events.size());
        assertThat(sequences(fake.accepted()))
                .startsWith(
                        events.stream().map(ProgressEvent::sequence).toList().toArray(Long[]::new))
                .isSorted();
    }

    @Test
    void trimsAnOversizedEventDetailsFirstAndMarksIt() throws Exception {
        EventBridgeSink sink = sink(config().build());
        List<ProgressEvent> events = SampleRuns.record("huge-1", LimitCases.generous(), (t, clock) -> {
            t.addTask("a", "A", dev.progresstracker.core.TaskType.UPGRADE_STEP, null);
            t.startUpgrade("p");
            t.startTask("a");
            t.updateTaskProgress("a", 50, "half", java.util.Map.of("log", "y".repeat(300_000)));
        });
        publishAndFlush(sink, events);

        PutEventsRequestEntry last = fake.accepted().get(fake.accepted().size() - 1);
        JsonNode detail = WireFormat.reader().readTree(last.detail());
        assertThat(detail.get("truncated").asBoolean()).isTrue();
        assertThat(detail.get("task").get("details").size()).isZero();
        assertThat(detail.get("task").get("message").asText()).isEqualTo("half");
        assertThat(WireFormat.fromJson(last.detail()).sequence())
                .isEqualTo(events.get(events.size() - 1).sequence());
        assertThat(sink.stats().truncated()).isEqualTo(1);
    }

    @Test
    void aHugeFailureMessageIsCutInBothItsFieldsAndTheEventIsSent() throws Exception {
        EventBridgeSink sink = sink(config().build());
        String huge = "x".repeat(150_000);
        List<ProgressEvent> events = new ArrayList<>(SampleRuns.record("huge-2", (t, clock) -> {
            t.addTask("a", "A", dev.progresstracker.core.TaskType.UPGRADE_STEP, null);
            t.startUpgrade("p");
            t.startTask("a");
            t.failTask("a", "short");
        }));
        // The tracker caps messages (maxMessageLength); an agent's own sink input may not be capped.
        var failed = (dev.progresstracker.core.event.TaskEvent.TaskFailed) events.remove(events.size() - 1);
        var tv = failed.task();
        events.add(new dev.progresstracker.core.event.TaskEvent.TaskFailed(
                failed.header(),
                failed.run(),
                new dev.progresstracker.core.TaskView(
                        tv.taskId(),
                        tv.name(),
                        tv.type(),
                        tv.parentTaskId(),
                        tv.weight(),
                        tv.status(),
                        tv.percent(),
                        huge,
                        tv.details(),
                        tv.startedAt(),
                        tv.finishedAt(),
                        tv.attempt())));
        publishAndFlush(sink, events);

        assertThat(sequences(fake.accepted()))
                .as("every event, the trimmed one too, in order")
                .containsExactlyElementsOf(
                        events.stream().map(ProgressEvent::sequence).toList());
        PutEventsRequestEntry last = fake.accepted().get(fake.accepted().size() - 1);
        assertThat(last.detailType()).isEqualTo("task.failed");
        JsonNode detail = WireFormat.reader().readTree(last.detail());
        assertThat(detail.get("truncated").asBoolean()).isTrue();
        assertThat(detail.get("task").get("message").asText())
                .hasSize(1024)
                .startsWith("xxx")
                .endsWith("…");
        assertThat(detail.get("error_message").asText())
                .as("the original's copy is cut too")
                .isEqualTo(detail.get("task").get("message").asText());
        assertThat(sink.stats().failed()).isZero();
    }

    @Test
    void publishReturnsQuicklyWhileTheEndpointIsSlow() throws Exception {
        fake.latency(2_000);
        EventBridgeSink sink =
                sink(config().apiCallTimeout(Duration.ofSeconds(10)).build());
        List<ProgressEvent> events = SampleRuns.upgrade("slow-1");
        long start = System.nanoTime();
        publishAll(sink, events);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        // Not a timing assertion on speed: only that publish did not wait for a 2 s call.
        assertThat(tookMillis).isLessThan(2_000);
        sink.flush(Duration.ofSeconds(20));
        assertDelivered(events, fake.accepted());
    }

    @Test
    void metersCountPublishedBatchesAndLag() throws Exception {
        EventBridgeSink sink = sink(config().build());
        List<ProgressEvent> events = SampleRuns.upgrade("meters-1");
        publishAndFlush(sink, events);
        int n = fake.accepted().size();
        assertThat(registry.get("tracker.eventbridge.published").counter().count())
                .isEqualTo(n);
        assertThat(registry.get("tracker.eventbridge.batch.size").summary().totalAmount())
                .isEqualTo(n);
        assertThat(registry.get("tracker.eventbridge.publish.lag").timer().count())
                .isEqualTo(n);
        assertThat(registry.get("tracker.eventbridge.conflated")
                        .functionCounter()
                        .count())
                .isEqualTo(events.size() - n);
        assertThat(registry.get("tracker.eventbridge.outbox.depth").gauge().value())
                .isZero();
    }

    /** Publishes and flushes; every event reached the fake exactly once. Returns what it accepted. */
    private List<PutEventsRequestEntry> publishAndAssertDelivered(EventBridgeSink sink, List<ProgressEvent> events)
            throws Exception {
        publishAndFlush(sink, events);
        List<PutEventsRequestEntry> got = fake.accepted();
        assertDelivered(events, got);
        DeliveredStreamCheck.Report report = new DeliveredStreamCheck()
                .addAll(got.stream().map(e -> WireFormat.fromJson(e.detail())).toList())
                .report();
        assertThat(report.complete()).as("delivered stream: %s", report).isTrue();
        return got;
    }

    private static ProgressEvent bySequence(List<ProgressEvent> events, long seq) {
        return events.stream().filter(e -> e.sequence() == seq).findFirst().orElseThrow();
    }

    /**
     * What the sink promises for one run: every lifecycle event, in sequence order, no duplicates,
     * each identical to what was emitted, and each task's latest progress (coalescing may drop older ones).
     */
    /** {@code detail} without its trailing {@code delivery} field (which this sink's path stamps). */
    static String withoutDelivery(String detail) {
        int at = detail.lastIndexOf(",\"delivery\":");
        return at < 0 ? detail : detail.substring(0, at) + "}";
    }

    static void assertDelivered(List<ProgressEvent> emitted, List<PutEventsRequestEntry> got) {
        List<ProgressEvent> delivered =
                got.stream().map(e -> WireFormat.fromJson(e.detail())).toList();
        assertThat(delivered).extracting(ProgressEvent::sequence).isSorted().doesNotHaveDuplicates();
        java.util.Map<Long, String> json = new java.util.HashMap<>();
        emitted.forEach(e -> json.put(e.sequence(), WireFormat.toJson(e.withDelivery(null))));
        for (ProgressEvent d : delivered) {
            assertThat(WireFormat.toJson(d.withDelivery(null)))
                    .as("#" + d.sequence())
                    .isEqualTo(json.get(d.sequence()));
        }
        // What the consumer proves from the entries alone agrees with the comparison below: it names
        // only events it did not receive (dead-lettered ones), and is complete when every one came.
        dev.progresstracker.test.DeliveredStreamCheck.Report report =
                new dev.progresstracker.test.DeliveredStreamCheck()
                        .addAll(delivered)
                        .report();
        java.util.Set<Long> received = new java.util.HashSet<>(
                delivered.stream().map(ProgressEvent::sequence).toList());
        assertThat(report.missing()).as("delivered stream: %s", report).noneMatch(m -> received.contains(m.sequence()));
        java.util.Set<Long> seqs = new java.util.HashSet<>(
                delivered.stream().map(ProgressEvent::sequence).toList());
        java.util.Map<String, Long> lastProgress = new java.util.HashMap<>();
        for (ProgressEvent e : emitted) {
            if (e.type().isLifecycle()) {
                assertThat(seqs)
                        .as("lifecycle " + e.type() + " #" + e.sequence())
                        .contains(e.sequence());
            } else {
                lastProgress.put(((dev.progresstracker.core.event.TaskEvent) e).taskId(), e.sequence());
            }
        }
        assertThat(seqs).as("latest progress of every task").containsAll(lastProgress.values());
    }

    /**
     * Arrival order of one run's sequences after an outbox drain: rounds of up to {@code window}
     * entries go out as parallel calls, so an entry may arrive after a later one of its round, never
     * after one {@code window} or more places later.
     */
    static void assertOrderedAcrossDrainRounds(List<Long> arrived, int window) {
        long highest = Long.MIN_VALUE;
        for (long seq : arrived) {
            highest = Math.max(highest, seq);
            assertThat(highest - seq)
                    .as("#" + seq + " arrived after #" + highest + " (" + arrived + ")")
                    .isLessThan(window);
        }
    }

    private void awaitAccepted(int n) throws InterruptedException {
        awaitTrue(() -> fake.accepted().size() >= n);
    }

    static void awaitTrue(java.util.function.BooleanSupplier cond) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(10))
                .until(cond::getAsBoolean);
    }

    private static EventBridgeException throttled() {
        return (EventBridgeException) EventBridgeException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ThrottlingException")
                        .errorMessage("Rate exceeded")
                        .build())
                .build();
    }
}

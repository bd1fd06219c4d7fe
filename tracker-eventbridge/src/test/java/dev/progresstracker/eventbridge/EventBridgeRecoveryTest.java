package dev.progresstracker.eventbridge;

import static dev.progresstracker.eventbridge.EventBridgeSinkTest.assertDelivered;
import static dev.progresstracker.eventbridge.EventBridgeSinkTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.eventbridge.internal.FailureCause;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.SampleRuns;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;

/** Outage detection, recovery and configuration errors of the sink, against the in-memory fake. */
class EventBridgeRecoveryTest extends FakeBusTestBase {

    private static EventBridgeException awsError(int status, String code, String message) {
        return (EventBridgeException) EventBridgeException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .build())
                .message(message)
                .build();
    }

    @Test
    void spillsOnceSpillAfterHasPassedEvenWhenNoFurtherCallFails() throws Exception {
        // One failed call, then the backoff keeps every further call away: only the clock can trigger the spill.
        fake.callFailure(r -> SdkClientException.create("Connection refused"));
        MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
        // The next probe is 1..2 s after the failure, later than spillAfter.
        EventBridgeSink sink = sink(
                config().initialBackoff(Duration.ofSeconds(30))
                        .maxBackoff(Duration.ofMinutes(5))
                        .spillAfter(Duration.ofMillis(500))
                        .build(),
                clock);
        publishAll(sink, SampleRuns.upgrade("spill-clock").subList(0, 10));
        awaitTrue(() -> fake.calls().size() == 1 && sink.errors("unreachable") == 1);
        assertThat(sink.stats().mode()).isEqualTo("DIRECT");

        clock.advance(Duration.ofMillis(600));
        awaitTrue(() -> sink.stats().mode().equals("SPILLING"));
        assertThat(fake.calls()).as("the spill needed no second failing call").hasSize(1);
        assertThat(sink.stats().outboxDepth()).isEqualTo(10 - sink.stats().conflated());
    }

    @Test
    void probesTheDownEndpointAtMostEveryTwoSecondsHoweverLongTheOutage() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        fake.callFailure(r -> down.get() ? SdkClientException.create("Connection refused") : null);
        MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
        // maxBackoff 20 s (the default) no longer stretches the gap between probes.
        EventBridgeSink sink = sink(
                config().initialBackoff(Duration.ofMillis(100))
                        .maxBackoff(Duration.ofSeconds(20))
                        .spillAfter(Duration.ofSeconds(1))
                        .build(),
                clock);
        List<ProgressEvent> events = SampleRuns.upgrade("probe-1");
        publishAll(sink, events);
        awaitTrue(() -> sink.errors("unreachable") == 1);
        for (int i = 0; i < 25; i++) {
            // Booked failures, not calls seen by the fake: a failure sets the time of the next probe.
            long failures = sink.errors("unreachable");
            clock.advance(Duration.ofMillis(2_000));
            awaitTrue(() -> sink.errors("unreachable") > failures);
        }
        assertThat(sink.stats().mode()).isEqualTo("SPILLING");
        assertThat(sink.stats().published()).isZero();

        down.set(false);
        clock.advance(Duration.ofMillis(2_000));
        awaitTrue(() -> sink.stats().outboxDepth() == 0);
        assertThat(sink.awaitPublished(Duration.ofSeconds(10)).published()).isTrue();
        assertDelivered(events, fake.accepted());
        assertThat(sink.stats().mode()).isEqualTo("DIRECT");
    }

    @Test
    void drainsTheOutboxWithParallelCallsThenPublishesDirectlyAgain() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        fake.callFailure(r -> down.get() ? SdkClientException.create("Connection refused") : null)
                .latency(30);
        EventBridgeSink sink = sink(config().maxConcurrentRequests(4).build());
        List<ProgressEvent> events = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            events.addAll(SampleRuns.upgrade("drain-" + run));
        }
        publishAll(sink, events.subList(0, 5));
        awaitTrue(() -> sink.stats().mode().equals("SPILLING"));
        publishAll(sink, events.subList(5, events.size()));
        FlushResult during = sink.flushResult(Duration.ofSeconds(5));
        assertThat(during.status()).isEqualTo(FlushResult.Status.IN_OUTBOX);
        assertThat(during.durable()).isTrue();
        assertThat(during.published()).isFalse();
        long conflated = sink.stats().conflated();
        assertThat(during.outboxDepth()).isEqualTo(events.size() - conflated);
        assertThat(sink.awaitPublished(Duration.ofMillis(100)).status()).isEqualTo(FlushResult.Status.IN_OUTBOX);

        int callsBefore = fake.calls().size();
        down.set(false);
        assertThat(sink.awaitPublished(Duration.ofSeconds(20)).status()).isEqualTo(FlushResult.Status.PUBLISHED);
        assertThat(fake.maxConcurrentCalls())
                .as("outbox drained with calls in parallel")
                .isGreaterThan(1);
        assertThat(fake.maxConcurrentCalls()).isLessThanOrEqualTo(4);
        for (int run = 0; run < 3; run++) {
            String id = "drain-" + run;
            assertDelivered(
                    events.stream().filter(e -> e.runId().equals(id)).toList(),
                    fake.accepted().stream()
                            .filter(e -> e.detail().contains("\"runId\":\"" + id + "\""))
                            .toList());
        }
        assertThat(fake.calls().size() - callsBefore).isLessThanOrEqualTo((events.size() + 9) / 10 + 4);

        // Back to direct publishing: a new event goes out without touching the outbox.
        assertThat(sink.stats().mode()).isEqualTo("DIRECT");
        List<ProgressEvent> more = SampleRuns.failure("after-drain");
        publishAll(sink, more);
        assertThat(sink.awaitPublished(Duration.ofSeconds(10)).published()).isTrue();
        assertThat(sink.stats().outboxDepth()).isZero();
        assertThat(fake.accepted())
                .hasSize(events.size() + more.size() - (int) sink.stats().conflated());
    }

    @Test
    void aRetryInsideADrainRoundGoesOutBeforeAnythingLaterOfTheOutbox() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        List<ProgressEvent> events = new ArrayList<>();
        for (int run = 0; run < 4; run++) {
            events.addAll(SampleRuns.upgrade("round-retry-" + run));
        }
        String third = dev.progresstracker.core.json.WireFormat.toJson(
                events.get(2).withDelivery(null), true); // as the sink writes Detail, without its delivery
        AtomicBoolean throttled = new AtomicBoolean();
        fake.callFailure(r -> down.get() ? SdkClientException.create("Connection refused") : null)
                .entryRule((e, n) -> n == 1
                                && EventBridgeSinkTest.withoutDelivery(e.detail())
                                        .equals(third)
                                && !throttled.getAndSet(true)
                        ? "ThrottlingException"
                        : null);
        EventBridgeSink sink = sink(config().build());
        sink.publish(events.get(0));
        awaitTrue(() -> sink.stats().mode().equals("SPILLING"));
        publishAll(sink, events.subList(1, events.size()));
        down.set(false);
        assertThat(sink.awaitPublished(Duration.ofSeconds(20)).published()).isTrue();
        // Position of each accepted entry in the outbox (= publication order).
        List<String> emitted = events.stream()
                .map(e -> dev.progresstracker.core.json.WireFormat.toJson(e.withDelivery(null), true))
                .toList();
        List<Integer> positions = fake.accepted().stream()
                .map(e -> emitted.indexOf(EventBridgeSinkTest.withoutDelivery(e.detail())))
                .toList();
        assertThat(throttled).isTrue();
        int roundLimit = 2 + 4 * 10;
        assertThat(positions.subList(0, positions.indexOf(2)))
                .as("accepted before the retried entry: only its round")
                .allSatisfy(p -> assertThat(p).isLessThan(roundLimit));
        assertThat(positions).doesNotHaveDuplicates().hasSize(events.size()).doesNotContain(-1);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "400, UnrecognizedClientException, bad_credentials",
        "400, InvalidSignatureException, bad_credentials",
        "400, AccessDeniedException, access_denied",
        "400, ResourceNotFoundException, missing_bus",
        "404, UnknownOperationException, bad_endpoint",
    })
    void aConfigurationErrorIsTriedMaxAttemptsTimesThenDeadLetteredAndCountedByCause(
            int status, String code, String cause) throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        fake.callFailure(r -> broken.get() ? awsError(status, code, "injected " + code) : null);
        EventBridgeSink sink = sink(config().maxAttempts(3).build());
        List<ProgressEvent> events = SampleRuns.failure("config-" + cause);
        try (LogCapture log = new LogCapture()) {
            publishAll(sink, events);
            assertThat(sink.awaitPublished(Duration.ofSeconds(20)).published()).isTrue();
            assertThat(log.errors())
                    .as("one ERROR for the cause, with its remedy")
                    .hasSize(1)
                    .first()
                    .asString()
                    .contains(cause)
                    .contains(code)
                    .contains("tried 3 times")
                    .contains(FailureCause.valueOf(cause.toUpperCase(java.util.Locale.ROOT))
                            .remedy());
        }

        long n = events.size() - sink.stats().conflated();
        assertThat(sink.stats().published()).isZero();
        assertThat(sink.stats().failed()).isEqualTo(n);
        assertThat(sink.stats().retried())
                .as("each entry sent maxAttempts = 3 times")
                .isEqualTo(2L * n);
        assertThat(fake.calls().stream().mapToInt(List::size).sum()).isEqualTo(3 * n);
        assertThat(sink.errors(cause)).isEqualTo(fake.calls().size());
        assertThat(registry.get("tracker.eventbridge.errors")
                        .tag("cause", cause)
                        .counter()
                        .count())
                .isEqualTo(fake.calls().size());
        assertThat(Files.readAllLines(dir.resolve("outbox").resolve("dead-letter.jsonl")))
                .hasSize((int) n)
                .allSatisfy(l ->
                        assertThat(l).contains(code + " (attempts exhausted)").contains("\"attempts\":3"));

        // Fixed (credentials refreshed, bus created): the same sink publishes the next events.
        broken.set(false);
        List<ProgressEvent> next = SampleRuns.failure("config-fixed-" + cause);
        publishAll(sink, next);
        assertThat(sink.awaitPublished(Duration.ofSeconds(10)).published()).isTrue();
        assertDelivered(next, fake.accepted());
    }

    @Test
    void anUnresolvableHostIsABadEndpointNotAnOutage() throws Exception {
        fake.callFailure(r -> SdkClientException.builder()
                .message("Unable to execute HTTP request: no-such-host")
                .cause(new UnknownHostException("events.eu-wset-1.amazonaws.com"))
                .build());
        EventBridgeSink sink = sink(config().maxAttempts(2).build());
        List<ProgressEvent> events = SampleRuns.failure("bad-host");
        publishAll(sink, events);
        assertThat(sink.awaitPublished(Duration.ofSeconds(20)).published()).isTrue();
        assertThat(sink.stats().failed()).isEqualTo(events.size() - sink.stats().conflated());
        assertThat(sink.errors("bad_endpoint")).isPositive();
        assertThat(sink.errors("unreachable")).isZero();
        assertThat(sink.stats().mode()).isEqualTo("DIRECT");
    }
}

package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.progresstracker.analytics.TrackerAnalytics;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.UsagePricing;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.OriginalFields;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.events.DetailType;
import dev.progresstracker.events.Envelope;
import dev.progresstracker.events.TrackerEvent;
import dev.progresstracker.events.TrackerEvents;
import dev.progresstracker.test.LimitCases;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.RecordingSink;
import dev.progresstracker.test.SampleRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * The producer and the consumer library cannot drift: every event a real tracker publishes through the
 * EventBridge sink (to the in-memory EventBridge), wrapped in the envelope EventBridge delivers, reads
 * back through {@link TrackerEvents} into exactly the record built from the core event's values. Runs
 * the three sample runs (all 17 detail-types) with analytics, so ETA factors are on the wire too.
 * {@code -Dtracker.events.record=<file>} also writes the envelopes, one per line (how the recorded
 * events of tracker-events' and the consumer example's tests were made).
 */
class TrackerEventsRoundTripTest extends FakeBusTestBase {

    private static final String CLUSTER_ARN = "arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu";
    /** Priced, so usage carries a currency. */
    private static final TrackerConfig PRICED = TrackerConfig.builder()
            .pricing(UsagePricing.builder()
                    .currency("USD")
                    .model("model-a", 3.0, 15.0)
                    .build())
            .build();

    private record Published(List<ProgressEvent> events, List<PutEventsRequestEntry> entries) {}

    private Published run(String runId, boolean originalFields, BiConsumer<ProgressTracker, MutableClock> driver)
            throws Exception {
        FakeEventBridge bus = new FakeEventBridge();
        EventBridgeSink sink = EventBridgeSink.builder(config().outboxDirectory(dir.resolve(runId))
                        .clusterArn(CLUSTER_ARN)
                        .originalFields(originalFields)
                        .build())
                .client(bus)
                .meterRegistry(registry)
                .build();
        sinks.add(sink);
        RecordingSink recorded = new RecordingSink("expected", OverflowPolicy.BLOCK, 1_000_000);
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        try (ProgressTracker t = ProgressTracker.builder()
                .runId(runId)
                .planId("plan-1")
                .clusterName("prod-eu")
                .attribute("targetVersion", "1.31")
                .clock(clock)
                .sink(sink)
                .sink(recorded)
                .config(PRICED)
                .analytics(TrackerAnalytics.of(TrackingMode.COMPREHENSIVE))
                .build()) {
            driver.accept(t, clock);
            t.flush(Duration.ofSeconds(10));
            sink.flush(Duration.ofSeconds(10));
        }
        List<PutEventsRequestEntry> entries = bus.accepted();
        bus.close();
        return new Published(recorded.events(), entries);
    }

    private List<Published> allRuns(boolean originalFields) throws Exception {
        String suffix = originalFields ? "" : "-plain";
        return List.of(
                run("upg-2026-11-23-prod-eu" + suffix, originalFields, SampleRuns::drive),
                run("upg-2026-11-24-prod-eu" + suffix, originalFields, SampleRuns::driveFailure),
                run("upg-2026-11-23-prod-eu-2" + suffix, originalFields, SampleRuns::driveUsage));
    }

    /** The envelope EventBridge hands a rule target for {@code entry}. */
    static String envelope(PutEventsRequestEntry entry) throws Exception {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("version", "0");
        n.put(
                "id",
                UUID.nameUUIDFromBytes(entry.detail().getBytes(StandardCharsets.UTF_8))
                        .toString());
        n.put("detail-type", entry.detailType());
        n.put("source", entry.source());
        n.put("account", "123456789012");
        n.put("time", entry.time().toString());
        n.put("region", "eu-west-1");
        entry.resources().forEach(n.putArray("resources")::add);
        n.set("detail", WireFormat.reader().readTree(entry.detail()));
        return n.toString();
    }

    @Test
    void everyPublishedEventReadsBackIntoTheEqualRecord() throws Exception {
        for (boolean originalFields : new boolean[] {true, false}) {
            Set<DetailType> seen = EnumSet.noneOf(DetailType.class);
            ComponentCoverage coverage = new ComponentCoverage();
            List<String> lines = new ArrayList<>();
            for (Published p : allRuns(originalFields)) {
                Map<Long, ProgressEvent> bySequence = new HashMap<>();
                p.events().forEach(e -> bySequence.put(e.sequence(), e));
                long previous = 0;
                assertThat(p.entries()).as("entries published").isNotEmpty();
                for (PutEventsRequestEntry entry : p.entries()) {
                    String json = envelope(entry);
                    lines.add(json);
                    Envelope read = TrackerEvents.readEnvelope(json);
                    TrackerEvent event = read.detail();
                    ProgressEvent source = bySequence.get(event.sequence());
                    assertThat(source).as("core event #" + event.sequence()).isNotNull();
                    assertThat(event)
                            .as(entry.detail())
                            .isEqualTo(ExpectedEvents.of(source, event.header().delivery()));
                    assertThat(event.header().delivery().previous())
                            .as("delivery of #" + event.sequence())
                            .isEqualTo(previous);
                    previous = event.sequence();
                    assertThat(read.detailType())
                            .isEqualTo(source.type().wireName())
                            .isEqualTo(event.detailType());
                    assertThat(read.source()).isEqualTo("eks-upgrade-agent");
                    assertThat(read.resources()).containsExactly(CLUSTER_ARN);
                    assertThat(TrackerEvents.read(entry.detailType(), entry.detail()))
                            .as("bare detail")
                            .isEqualTo(event);
                    assertThat(originalFieldsOf(entry.detail()))
                            .as("original fields of " + entry.detailType())
                            .isEqualTo(
                                    originalFields ? source.type().detailType().originalFields() : List.of());
                    seen.add(source.type().detailType());
                    coverage.visit(event);
                }
            }
            assertThat(seen).containsExactlyInAnyOrder(DetailType.values());
            assertThat(coverage.neverSet())
                    .as("record components no published event set (" + originalFields + ")")
                    .containsExactlyInAnyOrder("EventHeader.truncated", "EtaFactors.historicalAccuracy");
            String target = System.getProperty("tracker.events.record");
            if (target != null && originalFields) {
                Files.write(Path.of(target), lines);
            }
        }
    }

    @Test
    void aTrimmedEventReadsBackMarkedTruncatedWithItsDetailsEmptied() throws Exception {
        EventBridgeSink sink = sink(config().build());
        List<ProgressEvent> events = SampleRuns.record("huge-1", LimitCases.generous(), (t, clock) -> {
            t.addTask("a", "A", dev.progresstracker.core.TaskType.UPGRADE_STEP, null);
            t.startUpgrade("p");
            t.startTask("a");
            t.updateTaskProgress("a", 50, "half", Map.of("log", "y".repeat(300_000)));
        });
        publishAndFlush(sink, events);

        List<PutEventsRequestEntry> accepted = fake.accepted();
        PutEventsRequestEntry last = accepted.get(accepted.size() - 1);
        TrackerEvent read = TrackerEvents.read(envelope(last));
        ProgressEvent source = events.get(events.size() - 1);
        assertThat(read.header().truncated()).isTrue();
        assertThat(((dev.progresstracker.events.TaskEvent) read).task().details())
                .isEmpty();
        assertThat(read)
                .usingRecursiveComparison()
                .ignoringFields("header.truncated", "task.details")
                .isEqualTo(ExpectedEvents.of(source, read.header().delivery()));
    }

    /** The original tracker's fields of a detail, in order. */
    private static List<String> originalFieldsOf(String detail) throws Exception {
        JsonNode n = WireFormat.reader().readTree(detail);
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (OriginalFields.NAMES.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }
}

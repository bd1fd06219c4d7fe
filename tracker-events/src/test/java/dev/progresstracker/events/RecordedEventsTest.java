package dev.progresstracker.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The recorded envelopes read into the record of their detail-type, from every kind of input. */
class RecordedEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<DetailType, Class<?>> RECORD = Map.ofEntries(
            Map.entry(DetailType.UPGRADE_STARTED, RunEvent.UpgradeStarted.class),
            Map.entry(DetailType.UPGRADE_COMPLETED, RunEvent.UpgradeCompleted.class),
            Map.entry(DetailType.UPGRADE_FAILED, RunEvent.UpgradeFailed.class),
            Map.entry(DetailType.UPGRADE_CANCELLED, RunEvent.UpgradeCancelled.class),
            Map.entry(DetailType.PHASE_CHANGED, RunEvent.PhaseChanged.class),
            Map.entry(DetailType.TASK_ADDED, TaskEvent.TaskAdded.class),
            Map.entry(DetailType.TASK_STARTED, TaskEvent.TaskStarted.class),
            Map.entry(DetailType.TASK_PROGRESS, TaskEvent.TaskProgressed.class),
            Map.entry(DetailType.TASK_COMPLETED, TaskEvent.TaskCompleted.class),
            Map.entry(DetailType.TASK_FAILED, TaskEvent.TaskFailed.class),
            Map.entry(DetailType.TASK_PAUSED, TaskEvent.TaskPaused.class),
            Map.entry(DetailType.TASK_RESUMED, TaskEvent.TaskResumed.class),
            Map.entry(DetailType.TASK_CANCELLED, TaskEvent.TaskCancelled.class),
            Map.entry(DetailType.TASK_SKIPPED, TaskEvent.TaskSkipped.class),
            Map.entry(DetailType.TASK_USAGE, TaskEvent.TaskUsageRecorded.class),
            Map.entry(DetailType.ALERT_RAISED, AlertEvent.AlertRaised.class),
            Map.entry(DetailType.ALERT_CLEARED, AlertEvent.AlertCleared.class));

    @Test
    void everyRecordedEnvelopeReadsIntoTheRecordOfItsDetailType() throws Exception {
        Set<DetailType> seen = EnumSet.noneOf(DetailType.class);
        for (String line : Recorded.envelopes()) {
            Envelope envelope = TrackerEvents.readEnvelope(line);
            DetailType type = DetailType.find(envelope.detailType()).orElseThrow();
            TrackerEvent event = envelope.detail();
            assertThat(event).as(line).isInstanceOf(RECORD.get(type));
            assertThat(event.detailType()).isEqualTo(type.wireName());
            JsonNode tree = JSON.readTree(line);
            assertThat(event.eventId()).hasToString(tree.at("/detail/eventId").asText());
            assertThat(event.sequence()).isEqualTo(tree.at("/detail/sequence").asLong());
            assertThat(event.run().status().name())
                    .isEqualTo(tree.at("/detail/run/status").asText());
            assertThat(envelope.source()).isEqualTo("eks-upgrade-agent");
            assertThat(envelope.version()).isEqualTo("0");
            assertThat(envelope.resources()).containsExactly("arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu");
            assertThat(envelope.time()).isEqualTo(Instant.parse(tree.get("time").asText()));
            if (event instanceof TaskEvent te) {
                assertThat(te.task().taskId())
                        .isEqualTo(tree.at("/detail/task/taskId").asText());
                assertThat(te.task().status().name())
                        .isEqualTo(tree.at("/detail/task/status").asText());
            }
            seen.add(type);
        }
        assertThat(seen).containsExactlyInAnyOrder(DetailType.values());
    }

    @Test
    void stringBytesStreamAndBareDetailReadTheSame() throws Exception {
        for (String line : Recorded.envelopes()) {
            TrackerEvent fromText = TrackerEvents.read(line);
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertThat(TrackerEvents.read(bytes)).isEqualTo(fromText);
            assertThat(TrackerEvents.read(new ByteArrayInputStream(bytes))).isEqualTo(fromText);
            assertThat(TrackerEvents.readEnvelope(bytes).detail()).isEqualTo(fromText);
            String detail = JSON.readTree(line).get("detail").toString();
            assertThat(TrackerEvents.read(detail)).as("bare detail").isEqualTo(fromText);
            assertThat(TrackerEvents.read(fromText.detailType(), detail))
                    .as("bare detail with its type")
                    .isEqualTo(fromText);
        }
    }

    @Test
    void theRecordedValuesOfOneEventOfEachKindAreReadAsSent() {
        var failed = (TaskEvent.TaskFailed) TrackerEvents.read(Recorded.first(DetailType.TASK_FAILED));
        assertThat(failed.task().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.task().type()).isEqualTo(TaskType.UPGRADE_STEP);
        assertThat(failed.task().message()).isEqualTo("API throttled");
        assertThat(failed.header().clusterName()).isEqualTo("prod-eu");
        assertThat(failed.header().delivery().previousDetailType()).isPresent();

        var raised = (AlertEvent.AlertRaised) TrackerEvents.read(Recorded.first(DetailType.ALERT_RAISED));
        assertThat(raised.alert().severity()).isNotEqualTo(Severity.UNKNOWN);
        assertThat(raised.alert().rule()).isNotBlank();

        var usage = (TaskEvent.TaskUsageRecorded) TrackerEvents.read(Recorded.last(DetailType.TASK_USAGE));
        assertThat(usage.task().usage()).isNotNull();
        assertThat(usage.task().usage().currency()).isEqualTo("USD");
        assertThat(usage.task().usage().tokensIn()).isEqualTo(1500);
        assertThat(usage.task().usage().quality()).isEqualTo(0.25);
        assertThat(usage.task().stage()).isEqualTo("apply");

        var started = (RunEvent.UpgradeStarted) TrackerEvents.read(Recorded.first(DetailType.UPGRADE_STARTED));
        assertThat(started.attributes()).containsEntry("targetVersion", "1.31");
        assertThat(started.run().status()).isEqualTo(RunStatus.IN_PROGRESS);
    }

    @Test
    void etaFactorsAreReadWhole() throws Exception {
        String withFactors = Recorded.envelopes().stream()
                .filter(l -> l.contains("\"factors\""))
                .findFirst()
                .orElseThrow();
        com.fasterxml.jackson.databind.node.ObjectNode n =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(withFactors);
        JsonNode factorsJson = n.at("/detail/run/eta/factors");
        ((com.fasterxml.jackson.databind.node.ObjectNode) factorsJson).put("historicalAccuracy", 0.8);
        Eta eta = TrackerEvents.read(n.toString()).run().eta();
        assertThat(eta.estimatedCompletion())
                .isEqualTo(Instant.parse(
                        n.at("/detail/run/eta/estimatedCompletion").asText()));
        assertThat(eta.factors())
                .isEqualTo(new EtaFactors(
                        factorsJson.get("currentThroughput").asDouble(),
                        factorsJson.get("averageThroughput").asDouble(),
                        factorsJson.get("rateLimitImpact").asDouble(),
                        factorsJson.get("complexityFactor").asDouble(),
                        0.8));
        assertThat(eta.method()).isEqualTo(n.at("/detail/run/eta/method").asText());
    }

    @Test
    void everyRecordedDetailIsValidUnderTheSchemaShippedHere() throws Exception {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        for (String line : Recorded.envelopes()) {
            JsonNode tree = JSON.readTree(line);
            DetailType type = DetailType.find(tree.get("detail-type").asText()).orElseThrow();
            assertThat(factory.getSchema(EventSchemas.schema(type)).validate(tree.get("detail")))
                    .as(line)
                    .isEmpty();
        }
    }

    @Test
    void everyDetailTypeHasItsSchemaInThisJar() throws Exception {
        for (DetailType type : DetailType.values()) {
            JsonNode schema = JSON.readTree(EventSchemas.schema(type));
            assertThat(schema.at("/properties/type/enum")).as(type.wireName()).hasSize(1);
            assertThat(schema.at("/properties/type/enum/0").asText()).isEqualTo(type.wireName());
            assertThat(schema.get("title").asText()).startsWith(type.wireName() + " ");
            assertThat(schema.get("description").asText()).contains("detail-type " + type.wireName() + ":");
            assertThat(EventSchemas.resourceName(type)).startsWith("dev/progresstracker/events/schemas/");
            for (String original : type.originalFields()) {
                assertThat(schema.at("/properties/" + original).isObject())
                        .as(type + " schema has " + original)
                        .isTrue();
            }
        }
    }
}

package dev.progresstracker.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.OriginalFields;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.test.SampleRuns;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every event the sample runs emit (all 17 types) validates against its detail type's schema. */
class EventSchemasTest {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private final Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);

    private JsonSchema schema(EventType type) {
        return schemas.computeIfAbsent(type, t -> FACTORY.getSchema(EventSchemas.schema(t)));
    }

    private static List<ProgressEvent> allSamples() {
        List<ProgressEvent> all = new ArrayList<>(SampleRuns.upgrade("schema-1"));
        all.addAll(SampleRuns.failure("schema-2"));
        all.addAll(SampleRuns.usage("schema-3"));
        return all;
    }

    @Test
    void everyEmittedEventIsValid() throws Exception {
        Set<EventType> seen = EnumSet.noneOf(EventType.class);
        for (ProgressEvent e : allSamples()) {
            for (boolean originalFields : new boolean[] {true, false}) {
                JsonNode json = WireFormat.reader().readTree(WireFormat.toJson(e, originalFields));
                Set<ValidationMessage> errors = schema(e.type()).validate(json);
                assertThat(errors)
                        .as(e.type() + " #" + e.sequence() + ": " + json)
                        .isEmpty();
            }
            seen.add(e.type());
        }
        assertThat(seen).containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void theSevenOriginalSchemasDescribeTheOriginalsFields() throws Exception {
        for (EventType t : EventType.values()) {
            JsonNode props =
                    WireFormat.reader().readTree(EventSchemas.schema(t)).get("properties");
            for (String field : OriginalFields.NAMES) {
                assertThat(props.has(field))
                        .as(t.wireName() + " schema has " + field)
                        .isEqualTo(OriginalFields.BY_TYPE
                                .getOrDefault(t, List.of())
                                .contains(field));
            }
        }
    }

    @Test
    void aMalformedOriginalFieldIsRejected() throws Exception {
        ProgressEvent e = SampleRuns.upgrade("schema-4").stream()
                .filter(x -> x.type() == EventType.TASK_COMPLETED)
                .findFirst()
                .orElseThrow();
        ObjectNode json = (ObjectNode) WireFormat.reader().readTree(WireFormat.toJson(e, true));
        json.put("duration", 7.0);
        assertThat(schema(EventType.TASK_COMPLETED).validate(json))
                .as("duration as a number")
                .isNotEmpty();
        json.put("duration", "7 s");
        assertThat(schema(EventType.TASK_COMPLETED).validate(json))
                .as("duration not in timedelta form")
                .isNotEmpty();
        json.put("duration", "0:00:07");
        json.put("task_id", "");
        assertThat(schema(EventType.TASK_COMPLETED).validate(json))
                .as("empty task_id")
                .isNotEmpty();
    }

    @Test
    void aTrimmedEventIsValid() throws Exception {
        ProgressEvent e = SampleRuns.upgrade("schema-3").stream()
                .filter(x -> x.type() == EventType.TASK_PROGRESS)
                .findFirst()
                .orElseThrow();
        ObjectNode json = (ObjectNode) WireFormat.reader().readTree(WireFormat.toJson(e));
        json.put("truncated", true);
        ((ObjectNode) json.get("task")).putObject("details");
        assertThat(schema(EventType.TASK_PROGRESS).validate(json)).isEmpty();
    }

    @Test
    void schemasRejectWhatIsNotAnEventOfTheirType() throws Exception {
        for (ProgressEvent e : allSamples()) {
            ObjectNode json = (ObjectNode) WireFormat.reader().readTree(WireFormat.toJson(e));
            ObjectNode noRun = json.deepCopy();
            noRun.remove("runId");
            assertThat(schema(e.type()).validate(noRun))
                    .as("without runId: " + e.type())
                    .isNotEmpty();
            ObjectNode badSeq = json.deepCopy();
            badSeq.put("sequence", 0);
            assertThat(schema(e.type()).validate(badSeq))
                    .as("sequence 0: " + e.type())
                    .isNotEmpty();
            assertThat(json.has("delivery"))
                    .as("the samples were delivered: " + e.type())
                    .isTrue();
            ObjectNode negative = json.deepCopy();
            ((ObjectNode) negative.get("delivery")).put("previous", -1);
            assertThat(schema(e.type()).validate(negative))
                    .as("delivery.previous -1: " + e.type())
                    .isNotEmpty();
            ObjectNode unknownType = json.deepCopy();
            ((ObjectNode) unknownType.get("delivery")).put("previousType", "task.lost");
            assertThat(schema(e.type()).validate(unknownType))
                    .as("delivery.previousType unknown: " + e.type())
                    .isNotEmpty();
            EventType other =
                    e.type() == EventType.UPGRADE_STARTED ? EventType.UPGRADE_COMPLETED : EventType.UPGRADE_STARTED;
            assertThat(schema(other).validate(json))
                    .as(e.type() + " against " + other)
                    .isNotEmpty();
        }
    }
}

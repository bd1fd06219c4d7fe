package dev.progresstracker.dynamodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.state.RunProjection;
import dev.progresstracker.core.state.RunState;
import dev.progresstracker.test.SampleRuns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemCodecTest {

    private final ItemCodec codec = new ItemCodec(8192);

    @Test
    void eventItemsRoundTripThroughTheWireFormat() {
        for (ProgressEvent e : SampleRuns.upgrade("r1")) {
            Map<String, AttributeValue> item = codec.eventItem(e, codec.eventBody(e), "w1", 42L);
            assertThat(WireFormat.toJson(ItemCodec.event(item))).isEqualTo(WireFormat.toJson(e));
            assertThat(item.get("sk").s()).isEqualTo(TableLayout.eventSk(e.sequence(), "w1"));
            assertThat(item.get("expiresAt").n()).isEqualTo("42");
        }
    }

    @Test
    void sortKeysOrderLikeSequences() {
        assertThat(TableLayout.eventSk(9, "b")).isLessThan(TableLayout.eventSk(10, "a"));
        assertThat(TableLayout.eventSk(10)).isLessThan(TableLayout.eventSk(10, "0"));
        assertThat(TableLayout.eventSk(10, "ffffffffffffffff")).isLessThan(TableLayout.eventSkEnd(10));
        assertThat(TableLayout.eventSkEnd(10)).isLessThan(TableLayout.eventSk(11));
    }

    @Test
    void oversizedDetailsAreReplacedByAMarkerAndNothingElseChanges() {
        List<ProgressEvent> events = SampleRuns.record("r2", (t, c) -> {
            t.addTask("t", "T", TaskType.UPGRADE_STEP, null);
            t.startTask("t");
            t.updateTaskProgress("t", 10, "msg", Map.of("log", "y".repeat(30_000)));
        });
        ProgressEvent big = events.get(2);
        String body = codec.eventBody(big);
        assertThat(body.length()).isLessThan(8192);
        TaskEvent trimmed = (TaskEvent) WireFormat.fromJson(body);
        assertThat(trimmed.task().details())
                .containsEntry(ItemCodec.TRIMMED_MARKER, true)
                .doesNotContainKey("log");
        assertThat(trimmed.task().message()).isEqualTo("msg");
        assertThat(trimmed.sequence()).isEqualTo(big.sequence());
        assertThat(trimmed.eventId()).isEqualTo(big.eventId());
    }

    @Test
    void runItemsHoldTheWholeStateCompressedAndTrimWhenNeeded() {
        List<ProgressEvent> events = SampleRuns.upgrade("r3");
        RunProjection p = new RunProjection("r3", RunProjection.Mode.CONTIGUOUS);
        events.forEach(p::apply);
        RunState state = p.snapshot();
        ItemCodec.RunItemPlan plan = codec.runItem(state, "head", "w1:1", null, "w1", 1 << 20);
        assertThat(plan.chunks()).isEmpty();
        Map<String, AttributeValue> item = plan.runItem();
        assertThat(ItemCodec.inlineState(item)).isEqualTo(state);
        assertThat(ItemCodec.runInfo(item)).isEqualTo(state.info());
        assertThat(ItemCodec.itemSize(item)).isLessThanOrEqualTo(8192);
    }

    @Test
    void itemSizeCountsNamesAndValuesAsDynamoDbBills() {
        Map<String, AttributeValue> item = Map.of("ab", TableLayout.s("xyz"), "n", TableLayout.n(12345));
        assertThat(ItemCodec.itemSize(item)).isEqualTo(2 + 3 + 1 + 4);
        assertThat(ItemCodec.writeUnits(1)).isEqualTo(1);
        assertThat(ItemCodec.writeUnits(1024)).isEqualTo(1);
        assertThat(ItemCodec.writeUnits(1025)).isEqualTo(2);
    }

    private static RunState hugeState(int tasks) {
        RunProjection p = new RunProjection("huge", RunProjection.Mode.CONTIGUOUS);
        SampleRuns.record("huge", (t, c) -> {
                    for (int i = 0; i < tasks; i++) {
                        // Random text: gzip cannot shrink it much.
                        t.addTask(
                                "task-" + i,
                                "Task " + java.util.UUID.randomUUID() + java.util.UUID.randomUUID(),
                                TaskType.UPGRADE_STEP,
                                null);
                    }
                })
                .forEach(p::apply);
        return p.snapshot();
    }

    @Test
    void aStateThatOutgrowsTheItemIsSplitIntoChunksThatReassembleExactly() {
        RunState state = hugeState(400);
        ItemCodec small = new ItemCodec(4096);
        ItemCodec.RunItemPlan plan = small.runItem(state, "h", "w:1", 123L, "w", 1 << 20);
        assertThat(plan.chunks()).hasSizeGreaterThan(2);
        assertThat(plan.runItem()).doesNotContainKey(TableLayout.STATE).containsKey(TableLayout.STATE_KEY);
        assertThat(plan.runItem().get(TableLayout.STATE_CHUNKS).n())
                .isEqualTo(Integer.toString(plan.chunks().size()));
        assertThat(plan.chunks()).allSatisfy(c -> {
            assertThat(ItemCodec.itemSize(c)).isLessThanOrEqualTo(4096);
            assertThat(c.get(TableLayout.SK).s()).startsWith("STATE#" + plan.stateKey() + "#");
            assertThat(c.get(TableLayout.EXPIRES_AT).n()).isEqualTo("123");
        });
        assertThat(plan.chunks()).extracting(c -> c.get(TableLayout.SK).s()).isSorted();
        assertThat(ItemCodec.itemSize(plan.runItem())).isLessThanOrEqualTo(4096);
        assertThat(ItemCodec.chunkedState(plan.chunks())).isEqualTo(state);
    }

    @Test
    void aRunWhoseStateIsPastTheStateLimitIsRefusedWithAClearMessage() {
        RunState state = hugeState(400);
        ItemCodec small = new ItemCodec(4096);
        assertThatThrownBy(() -> small.runItem(state, "h", "w:1", null, "w", 10_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run 'huge'")
                .hasMessageContaining("400 tasks")
                .hasMessageContaining("maxRunStateBytes 10000");
    }
}

package dev.progresstracker.dynamodb.internal;

import static dev.progresstracker.dynamodb.internal.TableLayout.HEAD_EVENT_ID;
import static dev.progresstracker.dynamodb.internal.TableLayout.LAST_SEQ;
import static dev.progresstracker.dynamodb.internal.TableLayout.PK;
import static dev.progresstracker.dynamodb.internal.TableLayout.n;
import static dev.progresstracker.dynamodb.internal.TableLayout.s;

import dev.progresstracker.core.state.RunInfo;
import dev.progresstracker.core.state.RunProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Turns a batch of queued events into the items of one write of one run. Used under the writer's lock. */
final class FlightBuilder {

    private final String runId;
    private final String writerId;
    private final WriterContext shared;

    FlightBuilder(String runId, String writerId, WriterContext shared) {
        this.runId = runId;
        this.writerId = writerId;
        this.shared = shared;
    }

    /**
     * @param written the run's state with the batch applied
     * @throws IllegalStateException if the state passed {@code maxRunStateBytes}
     */
    Flight build(
            List<Pending> batch,
            long bytes,
            RunProjection written,
            WriterHistory writers,
            long headSeq,
            String headEventId) {
        RunInfo info = written.info();
        Long expiresAt = expiry(info);
        Pending last = batch.get(batch.size() - 1);
        String lastEventId = last.event.eventId().toString();
        long firstSeq = batch.get(0).event.sequence();
        ItemCodec codec = shared.codec();
        int units = 0;
        List<WriteRequest> items = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            Map<String, AttributeValue> item = codec.eventItem(p.event, p.body, writerId, expiresAt);
            items.add(WriteRequest.builder().putRequest(r -> r.item(item)).build());
            units += ItemCodec.writeUnits(ItemCodec.itemSize(item));
        }
        WriterHistory next = writerId.equals(writers.owner(firstSeq)) ? writers : writers.with(writerId, firstSeq);
        ItemCodec.RunItemPlan plan = codec.runItem(
                written.snapshot(),
                lastEventId,
                next.encode(),
                expiresAt,
                writerId,
                shared.config().maxRunStateBytes());
        for (Map<String, AttributeValue> chunk : plan.chunks()) {
            items.add(WriteRequest.builder().putRequest(r -> r.item(chunk)).build());
            units += ItemCodec.writeUnits(ItemCodec.itemSize(chunk));
        }
        units += ItemCodec.writeUnits(ItemCodec.itemSize(plan.runItem()));
        PutItemRequest.Builder put = PutItemRequest.builder()
                .tableName(shared.table())
                .item(plan.runItem())
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (headEventId == null) {
            put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
        } else {
            put.conditionExpression("#ls = :ls AND #h = :h")
                    .expressionAttributeNames(Map.of("#ls", LAST_SEQ, "#h", HEAD_EVENT_ID))
                    .expressionAttributeValues(Map.of(":ls", n(headSeq), ":h", s(headEventId)));
        }
        return new Flight(
                List.copyOf(batch),
                items,
                put.build(),
                firstSeq,
                last.event.sequence(),
                lastEventId,
                next,
                units,
                bytes,
                batch.stream().mapToLong(p -> p.growth).sum(),
                plan,
                WriteBudget.start(shared.config(), shared.stats()));
    }

    private Long expiry(RunInfo info) {
        long retention = shared.config().retention().toSeconds();
        if (retention == 0 || info.updatedAt() == null) {
            return null;
        }
        return info.updatedAt().getEpochSecond() + retention;
    }

    @Override
    public String toString() {
        return "FlightBuilder[" + runId + "/" + writerId + "]";
    }
}

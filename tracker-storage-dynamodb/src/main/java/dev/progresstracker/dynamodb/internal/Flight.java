package dev.progresstracker.dynamodb.internal;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One write of one run: its items (events, state chunks), then the conditional put of the run item
 * (possibly attempted several times within {@code budget}).
 *
 * @param bytes  the events' wire bytes
 * @param growth what they may add to the state (see {@link Pending#growth})
 */
record Flight(
        List<Pending> batch,
        List<WriteRequest> items,
        PutItemRequest runPut,
        long firstSeq,
        long lastSeq,
        String lastEventId,
        WriterHistory writers,
        int units,
        long bytes,
        long growth,
        ItemCodec.RunItemPlan plan,
        WriteBudget budget) {}

package dev.progresstracker.dynamodb.internal;

import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** What all {@link RunWriter}s of one store share; {@code where} names the table, region and endpoint for messages. */
public record WriterContext(
        DynamoDbAsyncClient client,
        String table,
        String where,
        DynamoDbStoreConfig config,
        ItemCodec codec,
        RunReader reader,
        BatchWriter batchWriter,
        ScheduledExecutorService scheduler,
        WriteStats stats) {}

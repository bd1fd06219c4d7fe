package dev.progresstracker.dynamodb;

import dev.progresstracker.test.aws.AwsEmulatorExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.test.ProgressStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The shared store contract against the emulator through the real SDK client. Coalescing is off:
 * the contract replays every event exactly. {@link #reopen} is a new store instance (as on another
 * host) over the same table.
 */
class DynamoDbProgressStoreContractIT extends ProgressStoreContract {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    private static DynamoDbAsyncClient client;
    private String table;

    @BeforeAll
    static void startClient() {
        client = DynamoDbTestSupport.client(MOTO);
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @Override
    protected ProgressStore createStore() {
        table = DynamoDbTestSupport.freshTable(client);
        return DynamoDbProgressStore.builder().client(client).config(DynamoDbTestSupport.noCoalescing(table)).build();
    }

    @Override
    protected ProgressStore reopen(ProgressStore store) {
        store.close();
        return DynamoDbProgressStore.builder().client(client).config(DynamoDbTestSupport.noCoalescing(table)).build();
    }
}

package dev.progresstracker.dynamodb;

import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.test.ProgressStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared store contract against the emulator through the real SDK client. Coalescing is off:
 * the contract replays every event exactly. {@link #reopen} is a new store instance (as on another
 * host) over the same table.
 */
class DynamoDbProgressStoreContractIT extends ProgressStoreContract {

    @RegisterExtension
    static final EmulatorClient DB = EmulatorClient.moto();

    private String table;

    @Override
    protected ProgressStore createStore() {
        table = DynamoDbTestSupport.freshTable(DB.client());
        return DynamoDbProgressStore.builder()
                .client(DB.client())
                .config(DynamoDbTestSupport.noCoalescing(table))
                .build();
    }

    @Override
    protected ProgressStore reopen(ProgressStore store) {
        store.close();
        return DynamoDbProgressStore.builder()
                .client(DB.client())
                .config(DynamoDbTestSupport.noCoalescing(table))
                .build();
    }
}

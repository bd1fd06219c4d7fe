package dev.progresstracker.dynamodb;

import dev.progresstracker.test.aws.AwsEmulatorExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Base of the tests that get a new client and a new table for every test method; the client is
 * closed after it. Subclasses register their emulator as a static extension and return it from
 * {@link #emulator()}.
 */
abstract class WithFreshTable {

    protected DynamoDbAsyncClient client;
    protected String table;

    /** The emulator the subclass registered with {@code @RegisterExtension}. */
    abstract AwsEmulatorExtension emulator();

    @BeforeEach
    void openClientAndTable() {
        client = DynamoDbTestSupport.client(emulator());
        table = DynamoDbTestSupport.freshTable(client);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** A store over this test's table. */
    DynamoDbProgressStore store(DynamoDbStoreConfig config) {
        return DynamoDbProgressStore.builder().client(client).config(config).build();
    }

    /** A store over this test's table without coalescing. */
    DynamoDbProgressStore store() {
        return store(DynamoDbTestSupport.noCoalescing(table));
    }
}

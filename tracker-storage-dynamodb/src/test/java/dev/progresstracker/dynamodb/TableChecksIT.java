package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.test.SampleRuns;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Finding 7, table errors: a missing table fails every read and write with a message naming the
 * table, the region and the endpoint (not the SDK's bare "Requested resource not found"), and the
 * run can be written once the table exists; {@code createTableIfMissing} refuses an existing table
 * with another key schema or without the run indexes, naming what it expected and what it found.
 */
class TableChecksIT {

    @RegisterExtension
    static final EmulatorClient DB = EmulatorClient.moto();

    @Test
    void aMissingTableIsNamedWithItsRegionAndEndpointAndTheRunWorksOnceItExists() throws Exception {
        String table = "pt-missing-" + UUID.randomUUID().toString().substring(0, 8);
        try (DynamoDbProgressStore store = DynamoDbProgressStore.builder()
                .client(DB.client())
                .config(DynamoDbTestSupport.noCoalescing(table))
                .build()) {
            String where = "DynamoDB table '" + table + "' (region us-east-1, endpoint "
                    + DB.emulator().endpoint() + ")";
            assertThatThrownBy(() -> store.loadRun("r"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(where)
                    .hasMessageContaining("does not exist");
            assertThatThrownBy(store::listRuns).hasMessageContaining(where);
            assertThatThrownBy(() -> store.eventsSince("r", 0, 10)).hasMessageContaining(where);

            List<ProgressEvent> events = SampleRuns.upgrade("r");
            Throwable failed = cause(store.append(events.get(0)).toCompletableFuture());
            assertThat(failed)
                    .hasMessageContaining("run 'r'")
                    .hasMessageContaining("event #1")
                    .hasMessageContaining(where)
                    .hasMessageContaining("does not exist");
            assertThat(store.health("r").state()).isEqualTo(StoreHealth.State.WRITING);

            // Nothing was stored or assumed: once the table exists the same event is written.
            DynamoDbProgressStore.createTableIfMissing(DB.client(), table);
            for (ProgressEvent e : events) {
                store.append(e).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            assertThat(store.loadRun("r").orElseThrow().lastSequence()).isEqualTo(events.size());
        }
    }

    @Test
    void createTableIfMissingRefusesATableWithAnotherKeySchemaNamingBoth() throws Exception {
        String table = "pt-wrong-" + UUID.randomUUID().toString().substring(0, 8);
        DB.client()
                .createTable(b -> b.tableName(table)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attribute("id"))
                        .keySchema(key("id", KeyType.HASH)))
                .get();
        assertThatThrownBy(() -> DynamoDbProgressStore.createTableIfMissing(DB.client(), table))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'" + table + "'")
                .hasMessageContaining("[id HASH (S)]")
                .hasMessageContaining("[pk HASH (S), sk RANGE (S)]");
    }

    @Test
    void createTableIfMissingRefusesATableWithoutTheRunIndexes() throws Exception {
        String table = "pt-noidx-" + UUID.randomUUID().toString().substring(0, 8);
        DB.client()
                .createTable(b -> b.tableName(table)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attribute("pk"), attribute("sk"))
                        .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE)))
                .get();
        assertThatThrownBy(() -> DynamoDbProgressStore.createTableIfMissing(DB.client(), table))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runs-by-status")
                .hasMessageContaining("runs-by-cluster");
        // The right table passes, twice.
        String good = DynamoDbTestSupport.freshTable(DB.client());
        assertThat(DynamoDbProgressStore.createTableIfMissing(DB.client(), good))
                .isFalse();
    }

    private static Throwable cause(CompletableFuture<Void> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    // Built values, not Consumer<Builder> lambdas: a generic varargs array is an unchecked warning.
    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}

package dev.progresstracker.dynamodb;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/** Clients and fresh tables on the emulator. */
final class DynamoDbTestSupport {

    private DynamoDbTestSupport() {
    }

    static URI endpoint() {
        String e = System.getenv("TRACKER_TEST_DYNAMODB_ENDPOINT");
        return URI.create(e != null ? e : "http://127.0.0.1:45123");
    }

    static DynamoDbAsyncClient client(ExecutionInterceptor... interceptors) {
        return DynamoDbAsyncClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> {
                    c.apiCallTimeout(Duration.ofSeconds(30));
                    for (ExecutionInterceptor i : interceptors) {
                        c.addExecutionInterceptor(i);
                    }
                })
                .build();
    }

    /** A new table with the store's layout. */
    static String freshTable(DynamoDbAsyncClient client) {
        String table = "pt-" + UUID.randomUUID().toString().substring(0, 13);
        DynamoDbProgressStore.createTableIfMissing(client, table);
        return table;
    }

    static DynamoDbStoreConfig noCoalescing(String table) {
        return DynamoDbStoreConfig.builder().tableName(table).progressCoalesceInterval(Duration.ZERO)
                .writeRetryBaseDelay(Duration.ofMillis(5)).build();
    }
}

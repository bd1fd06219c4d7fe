package dev.progresstracker.dynamodb;

import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** Clients and fresh tables on the emulator. */
final class DynamoDbTestSupport {

    private DynamoDbTestSupport() {}

    static DynamoDbAsyncClient client(AwsEmulatorExtension emulator, ExecutionInterceptor... interceptors) {
        return client(emulator, emulator.endpoint(), interceptors);
    }

    /** A client of the emulator's region and credentials that talks to {@code endpoint} (a proxy in front of it). */
    static DynamoDbAsyncClient client(
            AwsEmulatorExtension emulator, java.net.URI endpoint, ExecutionInterceptor... interceptors) {
        return DynamoDbAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(emulator.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey())))
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
        return DynamoDbStoreConfig.builder()
                .tableName(table)
                .progressCoalesceInterval(Duration.ZERO)
                .writeRetryBaseDelay(Duration.ofMillis(5))
                .build();
    }
}

package dev.progresstracker.examples;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.util.Modules;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.dynamodb.DynamoDbFleetFeed;
import dev.progresstracker.dynamodb.DynamoDbProgressStore;
import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import dev.progresstracker.dynamodb.guice.DynamoDbStorageModule;
import dev.progresstracker.storage.FileStoreConfig;
import dev.progresstracker.storage.guice.FileStorageModule;
import dev.progresstracker.websocket.WebSocketProgressServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Where the demo keeps its runs: files under {@code --data-dir}, or a DynamoDB table (an emulator's
 * with {@code --dynamodb-endpoint}). With DynamoDB and the WebSocket server on, a fleet feed brings
 * the runs of every other process writing the table into this process's dashboard.
 */
final class DemoStorage {

    @Option(
            names = "--dynamodb-endpoint",
            description = "Keep runs in a DynamoDB table at this endpoint (e.g. the emulator of"
                    + " scripts/demo --local-aws --dynamodb) instead of files; this dashboard then shows the runs of every demo"
                    + " writing the table (TRACKER_DYNAMODB_ENDPOINT).")
    URI endpoint;

    @Option(
            names = "--dynamodb-table",
            description = "DynamoDB table, created if missing (default progress-tracker; TRACKER_DYNAMODB_TABLE).")
    String table;

    private DynamoDbAsyncClient client;
    private DynamoDbFleetFeed feed;

    boolean onDynamoDb(Function<String, String> env) {
        return endpoint != null || env.apply("TRACKER_DYNAMODB_ENDPOINT") != null;
    }

    Module module(Function<String, String> env, PrintStream out, Path dataDir) {
        if (!onDynamoDb(env)) {
            return new FileStorageModule(FileStoreConfig.fromEnvironment(env).toBuilder()
                    .directory(dataDir)
                    .build());
        }
        DynamoDbStoreConfig.Builder b =
                DynamoDbStoreConfig.fromEnvironment(env).toBuilder().createTableIfMissing(true);
        if (endpoint != null) {
            b.endpoint(endpoint);
        }
        if (table != null) {
            b.tableName(table);
        }
        DynamoDbStoreConfig config = b.build();
        String region = config.region() != null ? config.region() : "us-east-1";
        // An emulator accepts any credentials; spare the user the default chain's search.
        client = DynamoDbAsyncClient.builder()
                .endpointOverride(config.endpoint())
                .region(Region.of(region))
                .credentialsProvider(
                        env.apply("AWS_ACCESS_KEY_ID") == null
                                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))
                                : DefaultCredentialsProvider.builder().build())
                .build();
        out.println("Storage: DynamoDB table '" + config.tableName() + "' at " + config.endpoint());
        return Modules.combine(
                new DynamoDbStorageModule(config),
                binder -> OptionalBinder.newOptionalBinder(binder, DynamoDbAsyncClient.class)
                        .setBinding()
                        .toInstance(client));
    }

    /** On DynamoDB with a WebSocket server: feeds the other runs of the table into it (its own run reaches it directly). */
    void followFleet(Injector injector, String ownRunId, PrintStream out) {
        if (client == null || injector.getExistingBinding(Key.get(WebSocketProgressServer.class)) == null) {
            return;
        }
        WebSocketProgressServer server = injector.getInstance(WebSocketProgressServer.class);
        DynamoDbProgressStore store = injector.getInstance(DynamoDbProgressStore.class);
        feed = DynamoDbFleetFeed.start(store, new OtherRuns(server, ownRunId), DynamoDbFleetFeed.DEFAULT_POLL_INTERVAL);
        out.println(
                "Fleet: the dashboard also shows every other run in the table (demos started with the same --dynamodb-endpoint)");
    }

    void close() {
        if (feed != null) {
            feed.close();
        }
        if (client != null) {
            client.close();
        }
    }

    /** The feed's events of runs other than this process's own, which the tracker already publishes. */
    private record OtherRuns(WebSocketProgressServer server, String ownRunId) implements EventSink {
        @Override
        public void publish(ProgressEvent event) throws Exception {
            if (!event.runId().equals(ownRunId)) {
                server.publish(event);
            }
        }
    }
}

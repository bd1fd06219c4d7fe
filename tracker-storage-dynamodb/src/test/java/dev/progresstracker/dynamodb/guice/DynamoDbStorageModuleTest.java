package dev.progresstracker.dynamodb.guice;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.core.guice.TrackerModule;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.dynamodb.DynamoDbProgressStore;
import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

class DynamoDbStorageModuleTest {

    @Test
    void theStoreReplacesTheInMemoryDefaultAndUsesTheApplicationsClient() {
        try (DynamoDbAsyncClient client = DynamoDbAsyncClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .build()) {
            Injector injector = Guice.createInjector(
                    new TrackerModule(),
                    new DynamoDbStorageModule(
                            DynamoDbStoreConfig.builder().tableName("fleet").build()),
                    new AbstractModule() {
                        @Override
                        protected void configure() {
                            OptionalBinder.newOptionalBinder(binder(), DynamoDbAsyncClient.class)
                                    .setBinding()
                                    .toInstance(client);
                        }
                    });
            ProgressStore store = injector.getInstance(ProgressStore.class);
            assertThat(store).isInstanceOf(DynamoDbProgressStore.class);
            assertThat(((DynamoDbProgressStore) store).tableName()).isEqualTo("fleet");
            assertThat(injector.getInstance(ProgressStore.class)).isSameAs(store);
            store.close();
        }
    }

    @Test
    void withoutAClientBindingTheModuleBuildsOneFromTheConfig() {
        DynamoDbStoreConfig config = DynamoDbStoreConfig.builder()
                .endpoint(URI.create("http://127.0.0.1:9"))
                .region("eu-west-1")
                .build();
        try (DynamoDbAsyncClient built = DynamoDbStorageModule.buildClient(config)) {
            assertThat(built.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
            assertThat(built.serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:9"));
        }
    }
}

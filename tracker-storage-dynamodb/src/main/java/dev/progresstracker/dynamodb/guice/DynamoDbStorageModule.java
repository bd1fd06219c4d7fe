package dev.progresstracker.dynamodb.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.dynamodb.DynamoDbProgressStore;
import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import java.util.Objects;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;

/**
 * Makes a {@link DynamoDbProgressStore} the {@link ProgressStore} of {@code TrackerModule}
 * (through {@code OptionalBinder.setBinding()}). Install both modules.
 *
 * <p>The client is a {@code DynamoDbAsyncClient} binding if the application has one (its own
 * {@code OptionalBinder<DynamoDbAsyncClient>.setBinding()}); otherwise one built from the config's
 * {@code endpoint} and {@code region} and the SDK's default credentials, closed with the store.
 * With {@code createTableIfMissing} the table is created on first use (development only).
 */
public final class DynamoDbStorageModule extends AbstractModule {

    private final DynamoDbStoreConfig config;

    public DynamoDbStorageModule() {
        this(DynamoDbStoreConfig.defaults());
    }

    public DynamoDbStorageModule(DynamoDbStoreConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    @Override
    protected void configure() {
        bind(DynamoDbStoreConfig.class).toInstance(config);
        OptionalBinder.newOptionalBinder(binder(), DynamoDbAsyncClient.class);
        OptionalBinder.newOptionalBinder(binder(), ProgressStore.class)
                .setBinding()
                .to(DynamoDbProgressStore.class);
    }

    @Provides
    @Singleton
    DynamoDbProgressStore store(java.util.Optional<DynamoDbAsyncClient> bound) {
        DynamoDbAsyncClient client = bound.orElseGet(() -> buildClient(config));
        if (config.createTableIfMissing()) {
            DynamoDbProgressStore.createTableIfMissing(client, config.tableName());
        }
        return DynamoDbProgressStore.builder()
                .client(client)
                .config(config)
                .ownsClient(bound.isEmpty())
                .build();
    }

    static DynamoDbAsyncClient buildClient(DynamoDbStoreConfig config) {
        DynamoDbAsyncClientBuilder b = DynamoDbAsyncClient.builder();
        if (config.endpoint() != null) {
            b.endpointOverride(config.endpoint());
        }
        if (config.region() != null) {
            b.region(Region.of(config.region()));
        }
        return b.build();
    }
}

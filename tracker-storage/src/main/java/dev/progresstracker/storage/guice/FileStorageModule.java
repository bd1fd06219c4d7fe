package dev.progresstracker.storage.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.storage.FileProgressStore;
import dev.progresstracker.storage.FileStoreConfig;
import java.time.Clock;
import java.util.Objects;

/**
 * Makes a singleton {@link FileProgressStore} the {@link ProgressStore} of {@code TrackerModule}
 * (through {@code OptionalBinder.setBinding()}). With {@link FileStoreConfig#enabled()} false it
 * contributes nothing, so the in-memory default stays. The store uses the bound {@link Clock}
 * for retention ages.
 */
public final class FileStorageModule extends AbstractModule {

    private final FileStoreConfig config;

    /** Settings from {@link FileStoreConfig#fromEnvironment} over the process environment. */
    public FileStorageModule() {
        this(FileStoreConfig.fromEnvironment(System::getenv));
    }

    public FileStorageModule(FileStoreConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    @Override
    protected void configure() {
        if (!config.enabled()) {
            return;
        }
        OptionalBinder.newOptionalBinder(binder(), ProgressStore.class)
                .setBinding()
                .to(FileProgressStore.class);
    }

    @Provides
    @Singleton
    FileProgressStore fileProgressStore(Clock clock) {
        return FileProgressStore.builder().config(config).clock(clock).build();
    }
}

package dev.progresstracker.storage.guice;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.guice.TrackerModule;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.store.InMemoryProgressStore;
import dev.progresstracker.storage.FileProgressStore;
import dev.progresstracker.storage.FileStoreConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageModuleTest {

    @TempDir
    Path dir;

    @Test
    void installsTheFileStoreAsTheTrackersStore() {
        Injector injector = Guice.createInjector(
                TrackerModule.forRun(TrackerConfig.defaults(), "guice-run", null, null),
                new FileStorageModule(FileStoreConfig.builder().directory(dir).build()));
        ProgressStore store = injector.getInstance(ProgressStore.class);
        assertThat(store).isInstanceOf(FileProgressStore.class).isSameAs(injector.getInstance(FileProgressStore.class));
        ProgressTracker tracker = injector.getInstance(ProgressTracker.class);
        tracker.addTask("a", "A", TaskType.UPGRADE_STEP, null)
                .toCompletableFuture()
                .join();
        injector.getInstance(TrackerFactory.class).close();
        try (FileProgressStore reopened =
                FileProgressStore.builder().directory(dir).build()) {
            assertThat(reopened.loadRun("guice-run").orElseThrow().tasks()).hasSize(1);
        }
    }

    @Test
    void disabledContributesNothing() {
        Injector injector = Guice.createInjector(
                new TrackerModule(),
                new FileStorageModule(
                        FileStoreConfig.builder().directory(dir).enabled(false).build()));
        assertThat(injector.getInstance(ProgressStore.class)).isInstanceOf(InMemoryProgressStore.class);
        assertThat(dir.resolve("runs")).doesNotExist();
    }
}

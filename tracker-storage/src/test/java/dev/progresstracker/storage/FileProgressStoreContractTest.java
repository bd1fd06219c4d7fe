package dev.progresstracker.storage;

import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.test.ProgressStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileProgressStoreContractTest extends ProgressStoreContract {

    @TempDir
    Path dir;

    @Override
    protected ProgressStore createStore() {
        return FileProgressStore.builder().directory(dir).build();
    }

    @Override
    protected ProgressStore reopen(ProgressStore store) {
        store.close();
        return createStore();
    }
}

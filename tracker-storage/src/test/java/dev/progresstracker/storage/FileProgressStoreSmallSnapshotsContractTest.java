package dev.progresstracker.storage;

import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.journal.Durability;
import dev.progresstracker.test.ProgressStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract again with a snapshot every few events, tiny segments and BATCHED durability. */
class FileProgressStoreSmallSnapshotsContractTest extends ProgressStoreContract {

    @TempDir
    Path dir;

    @Override
    protected ProgressStore createStore() {
        return FileProgressStore.builder()
                .config(FileStoreConfig.builder()
                        .directory(dir)
                        .snapshotMinEvents(3)
                        .segmentBytes(4096)
                        .retainedEvents(1000)
                        .durability(Durability.BATCHED)
                        .build())
                .build();
    }

    @Override
    protected ProgressStore reopen(ProgressStore store) {
        store.close();
        return createStore();
    }
}

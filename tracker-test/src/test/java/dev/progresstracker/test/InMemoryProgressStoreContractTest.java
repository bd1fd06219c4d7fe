package dev.progresstracker.test;

import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.store.InMemoryProgressStore;

class InMemoryProgressStoreContractTest extends ProgressStoreContract {
    @Override
    protected ProgressStore createStore() {
        return new InMemoryProgressStore();
    }
}

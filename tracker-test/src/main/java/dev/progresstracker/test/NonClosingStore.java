package dev.progresstracker.test;

import dev.progresstracker.core.spi.ProgressStore;

/** Hands a store to a tracker (which owns and closes what it is given) without letting it close the store. */
public final class NonClosingStore extends ForwardingStore {

    public NonClosingStore(ProgressStore delegate) {
        super(delegate);
    }

    @Override
    public void close() {
        // owned by the test
    }
}

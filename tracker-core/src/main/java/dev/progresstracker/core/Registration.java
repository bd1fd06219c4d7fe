package dev.progresstracker.core;

/** Handle of a registered listener; {@link #close()} unregisters it. Idempotent, safe from any thread. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    @Override
    void close();
}

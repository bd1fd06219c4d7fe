package dev.progresstracker.core.spi;

import dev.progresstracker.core.event.ProgressEvent;
import java.io.IOException;
import java.time.Duration;

/**
 * An output of the tracker (EventBridge, callbacks, WebSocket, …). The tracker gives every sink
 * its own bounded queue and its own thread: {@link #publish}, {@link #flush} and {@link #close}
 * are always called from that one thread, with events in sequence order per run. A sink that is
 * slow or throws never delays the caller or the other sinks; what it throws is logged and counted.
 * While events keep coming, the sink's thread picks them up at least every millisecond without
 * being woken by the caller (which would cost the caller a system call per event); an event
 * therefore reaches {@link #publish} up to about 1 ms after the tracker call returned.
 */
public interface EventSink extends AutoCloseable {

    /** Name used in thread names, logs and metrics; default the simple class name. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Queue overflow policy; default {@link OverflowPolicy#CONFLATE}. */
    default OverflowPolicy overflowPolicy() {
        return OverflowPolicy.CONFLATE;
    }

    /** Queue capacity in events; 0 (default) takes {@code TrackerConfig.sinkQueueCapacity()}. */
    default int queueCapacity() {
        return 0;
    }

    /** Handles one event. Called on the sink's own thread. */
    void publish(ProgressEvent event) throws Exception;

    /**
     * Pushes out whatever the sink buffers (a pending batch, say). Called on the sink's thread once
     * every earlier event was published; default does nothing.
     */
    default void flush(Duration timeout) throws Exception {}

    /**
     * Releases resources; called once, on the sink's thread, after a final flush. Default nothing.
     * Throws {@link IOException} at most ({@link AutoCloseable} advises against
     * {@code InterruptedException}): a close that waits and is interrupted restores the interrupt
     * flag and throws {@link java.io.InterruptedIOException}.
     */
    @Override
    default void close() throws IOException {}
}

package dev.progresstracker.core.internal;

import dev.progresstracker.core.event.ProgressEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** What a {@link SinkChannel}'s worker does with each event (the store or a sink); called on that worker thread only. */
public interface ChannelDelivery extends AutoCloseable {
    void deliver(ProgressEvent event, CompletableFuture<Long> ack) throws Exception;

    void flush(Duration timeout) throws Exception;

    @Override
    void close() throws IOException;

    /**
     * Why {@code event}, still queued when the channel gave up draining after {@code timeout},
     * was never delivered; fails its ack. Called by the closing thread.
     */
    default Throwable notDelivered(ProgressEvent event, Duration timeout) {
        return new IllegalStateException(
                "not delivered: the channel closed after " + timeout + " with the event still queued");
    }
}

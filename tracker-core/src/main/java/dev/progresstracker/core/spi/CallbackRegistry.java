package dev.progresstracker.core.spi;

import dev.progresstracker.core.ProgressListener;
import dev.progresstracker.core.Registration;
import dev.progresstracker.core.event.ProgressEvent;
import java.util.function.Predicate;

/**
 * What {@code ProgressTracker.onEvent}/{@code onStatus} delegate to; implemented by
 * {@code tracker-callbacks}' {@code CallbackManager}. An {@link EventSink} that also implements
 * this interface is picked up by the tracker automatically.
 */
public interface CallbackRegistry {

    /**
     * Registers {@code listener} for every event accepted by {@code filter}. The filter runs on a
     * callback thread and must be cheap and side-effect free.
     *
     * @param name used in logs and metrics
     */
    Registration register(String name, Predicate<? super ProgressEvent> filter, ProgressListener listener);
}

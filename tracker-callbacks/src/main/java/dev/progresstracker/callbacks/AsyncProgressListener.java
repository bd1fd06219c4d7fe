package dev.progresstracker.callbacks;

import dev.progresstracker.core.event.ProgressEvent;
import java.util.concurrent.CompletionStage;

/**
 * A listener whose work finishes later. The invocation counts as running until the returned stage
 * completes; the listener's next event is not handed over before that (or before its timeout).
 * A stage that completes exceptionally, a {@code null} stage and a thrown exception are failures.
 */
@FunctionalInterface
public interface AsyncProgressListener {
    CompletionStage<?> onEvent(ProgressEvent event) throws Exception;
}

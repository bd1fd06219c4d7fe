package dev.progresstracker.core.internal;

import dev.progresstracker.core.ProgressListener;
import dev.progresstracker.core.Registration;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.core.spi.CallbackRegistry;
import java.util.Objects;
import java.util.function.Predicate;

/** The tracker's {@code onEvent}/{@code onStatus}: registrations on the dispatcher's callback sink. */
final class RunCallbacks {

    private RunCallbacks() {}

    static Registration onEvent(Dispatcher dispatcher, String runId, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        return registry(dispatcher).register("onEvent@" + runId, e -> e.runId().equals(runId), listener);
    }

    static Registration onStatus(Dispatcher dispatcher, String runId, TaskStatus status, ProgressListener listener) {
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        Predicate<ProgressEvent> filter = e -> e.runId().equals(runId)
                && e instanceof TaskEvent te
                && e.type().isLifecycle()
                && te.task().status() == status;
        return registry(dispatcher).register("onStatus(" + status + ")@" + runId, filter, listener);
    }

    private static CallbackRegistry registry(Dispatcher dispatcher) {
        CallbackRegistry r = dispatcher.callbackRegistry();
        if (r == null) {
            throw new IllegalStateException("callbacks are switched off: no CallbackRegistry sink is installed "
                    + "(add tracker-callbacks' CallbackManager as a sink, or install its CallbackModule)");
        }
        return r;
    }
}

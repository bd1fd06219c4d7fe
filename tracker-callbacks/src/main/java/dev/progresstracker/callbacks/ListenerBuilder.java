package dev.progresstracker.callbacks;

import dev.progresstracker.callbacks.internal.Filters;
import dev.progresstracker.core.ConfigChecks;
import dev.progresstracker.core.ProgressListener;
import dev.progresstracker.core.Registration;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.event.ProgressEvent;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A named registration being assembled, from {@link CallbackManager#listener(String)}. Every filter
 * method narrows the selection (they combine with AND); without any, the listener gets every event.
 * Ends with {@link #register} or {@link #registerAsync}. Not thread-safe; use it on one thread.
 */
public final class ListenerBuilder {

    private final CallbackManager manager;
    private final String name;
    private Predicate<ProgressEvent> filter = e -> true;
    private Duration timeout;
    private int disableAfterFailures;

    ListenerBuilder(CallbackManager manager, String name, Duration timeout, int disableAfterFailures) {
        this.manager = manager;
        this.name = name;
        this.timeout = timeout;
        this.disableAfterFailures = disableAfterFailures;
    }

    /** Events of any of the given types. */
    public ListenerBuilder on(EventType first, EventType... more) {
        Objects.requireNonNull(first, "type must not be null");
        Objects.requireNonNull(more, "types must not be null");
        EnumSet<EventType> set = EnumSet.of(first);
        for (EventType t : more) {
            set.add(Objects.requireNonNull(t, "types must not contain null"));
        }
        return and(Filters.types(set));
    }

    /** A task reaching {@code status} (see {@link CallbackManager#onStatus}). */
    public ListenerBuilder onStatus(TaskStatus status) {
        return and(Filters.taskStatus(status));
    }

    public ListenerBuilder task(String taskId) {
        return and(Filters.taskId(taskId));
    }

    public ListenerBuilder taskType(TaskType type) {
        return and(Filters.taskType(type));
    }

    /** A run moving to {@code status} (see {@link CallbackManager#onRunStatus}). */
    public ListenerBuilder runStatus(RunStatus status) {
        return and(Filters.runStatus(status));
    }

    /** Only events of the run {@code runId}. */
    public ListenerBuilder run(String runId) {
        return and(Filters.runId(runId));
    }

    /** Any condition; runs on the sink's thread, so keep it cheap and never block. */
    public ListenerBuilder when(Predicate<? super ProgressEvent> predicate) {
        Objects.requireNonNull(predicate, "predicate must not be null");
        return and(predicate::test);
    }

    /** Per-invocation timeout of this listener; default {@link CallbackConfig#listenerTimeout()}. */
    public ListenerBuilder timeout(Duration timeout) {
        this.timeout = ConfigChecks.requirePositive("timeout", timeout);
        return this;
    }

    /** Disable after this many consecutive failures or timeouts; 0 never. Default from the config. */
    public ListenerBuilder disableAfterFailures(int failures) {
        if (failures < 0) {
            throw new IllegalArgumentException("disableAfterFailures must be 0 (never) or positive, got " + failures);
        }
        this.disableAfterFailures = failures;
        return this;
    }

    public Registration register(ProgressListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        return manager.add(name, filter, listener, null, timeout, disableAfterFailures);
    }

    /** Registers a listener whose invocation lasts until its returned stage completes. */
    public Registration registerAsync(AsyncProgressListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        return manager.add(name, filter, null, listener, timeout, disableAfterFailures);
    }

    private ListenerBuilder and(Predicate<ProgressEvent> more) {
        filter = filter.and(more);
        return this;
    }
}

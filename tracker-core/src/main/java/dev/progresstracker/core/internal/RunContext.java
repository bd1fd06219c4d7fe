package dev.progresstracker.core.internal;

import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TrackerConfig;
import java.time.Clock;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the engine's verb groups ({@link TrackerEngine}, {@link TaskVerbs}, {@link UsageVerbs})
 * share: the run's lock and model, the input checks, the store gate, the emitter, and the checks of
 * the run's state that every call makes under the lock, before any change.
 */
final class RunContext {

    final ReentrantLock lock = new ReentrantLock();
    final RunModel model;
    final Clock clock;
    final TrackerConfig config;
    final CallInputs inputs;
    final StoreGate storeGate;
    RunEmitter emitter;
    volatile boolean closed;

    RunContext(RunModel model, Clock clock, TrackerConfig config, StoreGate storeGate) {
        this.model = model;
        this.clock = clock;
        this.config = config;
        this.inputs = new CallInputs(model.runId, config.limits(), config.maxMessageLength());
        this.storeGate = storeGate;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the tracker of run '" + model.runId + "' is closed");
        }
    }

    void checkRunMutable(String what) {
        if (model.status.isFinal()) {
            throw new IllegalStateException("cannot " + what + " run '" + model.runId + "': it is " + model.status
                    + " and accepts no further changes");
        }
    }

    void requireRunMove(RunStatus target, String verb) {
        if (!model.status.canMoveTo(target)) {
            throw new IllegalStateException("cannot " + verb + " run '" + model.runId + "': it is " + model.status
                    + " and " + model.status + " → " + target + " is not allowed");
        }
    }

    TaskNode requireTask(String taskId) {
        if (taskId == null) {
            throw new IllegalArgumentException("run '" + model.runId + "': taskId must not be null");
        }
        TaskNode n = model.task(taskId);
        if (n == null) {
            throw new NoSuchElementException("run '" + model.runId + "' has no task '" + taskId + "'");
        }
        return n;
    }
}

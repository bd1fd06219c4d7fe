package dev.progresstracker.core.state;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.TaskView;
import java.util.List;
import java.util.Objects;

/**
 * Immutable state of a run: its facts, every task in the order it was added, and the alerts that
 * are raised and not cleared. What a store returns from {@code loadRun} and what resume restores.
 */
public record RunState(RunInfo info, List<TaskView> tasks, List<Alert> activeAlerts) {
    public RunState {
        Objects.requireNonNull(info, "info");
        tasks = List.copyOf(tasks);
        activeAlerts = activeAlerts == null ? List.of() : List.copyOf(activeAlerts);
    }

    public String runId() {
        return info.runId();
    }

    public long lastSequence() {
        return info.lastSequence();
    }
}

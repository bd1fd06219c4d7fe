package dev.progresstracker.analytics;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import java.util.ArrayList;
import java.util.List;

/** The flat plan the analytics tests run: {@code n} upgrade steps {@code t0 … t(n-1)}. */
final class StepPlans {

    private StepPlans() {}

    /** Adds {@code n} steps to {@code t} and starts the upgrade. */
    static void start(ProgressTracker t, int n) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(TaskSpec.of("t" + i, "Task " + i, TaskType.UPGRADE_STEP));
        }
        t.addTasks(specs);
        t.startUpgrade(null);
    }
}

package dev.progresstracker.examples;

import dev.progresstracker.callbacks.CallbackManager;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.storage.FileProgressStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The least an upgrade agent writes: a tracker with durable storage and a callback, the plan as
 * tasks, and one call per step. Run it twice with the same run id to see it resume.
 */
public final class AgentIntegrationExample {

    public static void main(String[] args) throws Exception {
        String runId = args.length > 0 ? args[0] : "agent-example";
        CallbackManager callbacks = CallbackManager.create();
        try (ProgressTracker tracker = ProgressTracker.builder()
                .runId(runId)
                .clusterName("prod-eu")
                .planId("plan-1.31")
                .store(FileProgressStore.builder().directory(Path.of("data")).build())
                .sink(callbacks)
                .build()) {
            tracker.onStatus(
                    TaskStatus.FAILED,
                    e -> System.err.println(
                            "page the on-call: " + ((TaskEvent) e).task().message()));

            if (tracker.summary().status() == RunStatus.COMPLETED) {
                System.out.println("run " + runId + " is already complete");
                return;
            }
            if (tracker.tasks().isEmpty()) {
                tracker.addTasks(List.of(
                        TaskSpec.of("control-plane", "Upgrade control plane", TaskType.UPGRADE_STEP)
                                .withWeight(3),
                        TaskSpec.of("ng-1", "Roll node group 1", TaskType.UPGRADE_STEP)));
                tracker.startUpgrade("control-plane");
            }
            for (String step : List.of("control-plane", "ng-1")) {
                if (tracker.task(step).status() == TaskStatus.COMPLETED) {
                    continue; // done before a restart
                }
                if (tracker.task(step).status() != TaskStatus.IN_PROGRESS) {
                    tracker.startTask(step);
                }
                for (int pct = (int) tracker.task(step).percent() + 25; pct <= 100; pct += 25) {
                    tracker.updateTaskProgress(step, pct, pct + " %", Map.of("items", 1));
                }
                tracker.completeTask(step).toCompletableFuture().join(); // durable before we move on
            }
            tracker.completeUpgrade();
            System.out.println(tracker.summary());
        }
    }
}

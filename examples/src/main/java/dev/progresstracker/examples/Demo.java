package dev.progresstracker.examples;

import dev.progresstracker.core.ProgressSummary;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** The demo: a simulated EKS upgrade. */
@Command(name = "demo", mixinStandardHelpOptions = true, version = "progress-tracker demo 0.1",
        description = "Runs a simulated EKS cluster upgrade through the progress tracker.")
public final class Demo implements Callable<Integer> {

    @Option(names = "--speed", defaultValue = "1.0", description = "Time multiplier; 10 runs ten times faster (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--cluster", defaultValue = "demo-cluster", description = "Cluster name (default ${DEFAULT-VALUE}).")
    String cluster;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!(speed > 0)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--speed must be above 0, got " + speed);
        }
        String runId = "upgrade-" + System.currentTimeMillis();
        try (ProgressTracker t = ProgressTracker.builder().runId(runId).clusterName(cluster).planId("plan-1.31").build()) {
            List<TaskSpec> specs = new ArrayList<>(List.of(
                    TaskSpec.of("preflight", "Preflight checks", TaskType.VALIDATION),
                    TaskSpec.of("control-plane", "Upgrade control plane", TaskType.UPGRADE_STEP).withWeight(3),
                    TaskSpec.of("nodegroups", "Upgrade node groups", TaskType.UPGRADE_PLAN).withWeight(5)));
            for (int i = 1; i <= 3; i++) {
                specs.add(TaskSpec.child("nodegroups", "ng-" + i, "Node group " + i, TaskType.UPGRADE_STEP));
            }
            specs.add(TaskSpec.of("validate", "Post-upgrade validation", TaskType.VALIDATION));
            t.addTasks(specs);
            t.startUpgrade("preflight");
            step(t, "preflight", 4);
            t.setCurrentPhase("control-plane");
            step(t, "control-plane", 8);
            t.setCurrentPhase("data-plane");
            t.startTask("nodegroups");
            for (int i = 1; i <= 3; i++) {
                step(t, "ng-" + i, 6);
            }
            t.completeTask("nodegroups");
            t.setCurrentPhase("validation");
            step(t, "validate", 4);
            t.completeUpgrade();
            print(t.summary());
        }
        return 0;
    }

    private void step(ProgressTracker t, String taskId, int ticks) throws InterruptedException {
        t.startTask(taskId);
        for (int i = 1; i <= ticks; i++) {
            Thread.sleep(Math.max(1, (long) (500 / speed)));
            t.updateTaskProgress(taskId, 100.0 * i / ticks, i + "/" + ticks, Map.of("tick", i));
            print(t.summary());
        }
        t.completeTask(taskId);
    }

    private static void print(ProgressSummary s) {
        System.out.printf("%-11s %6.1f%%  phase=%-13s eta=%s%n", s.status(), s.percent(), s.currentPhase(),
                s.eta().map(e -> Duration.ofSeconds(e.seconds()).toString()).orElse("?"));
    }
}

package dev.progresstracker.benchmarks.eta;

import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.event.TaskEvent;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.SampleRuns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Records a trace from a real tracker driven like the demo's simulated EKS upgrade (nested node
 * groups drained node by node, a PDB pause, a throttled control-plane call that is retried), and
 * turns its events into trace rows. TODO: once the {@code examples} module has its demo, record
 * from the demo itself and keep this driver as the fallback.
 */
public final class DemoTraceRecorder {

    private DemoTraceRecorder() {
    }

    public static Trace record() {
        return new Trace("demo-recorded", toRows(SampleRuns.record("demo-recorded", DemoTraceRecorder::drive)));
    }

    /** Trace rows of a run's events: lifecycle and progress of every task, run start and end. */
    public static List<TraceRow> toRows(List<ProgressEvent> events) {
        List<TraceRow> rows = new ArrayList<>();
        for (ProgressEvent e : events) {
            java.time.Instant t = e.header().time();
            switch (e.type()) {
                case UPGRADE_STARTED -> rows.add(TraceRow.run(t, TraceRow.Action.RUN_STARTED));
                case UPGRADE_COMPLETED -> rows.add(TraceRow.run(t, TraceRow.Action.RUN_COMPLETED));
                case TASK_ADDED -> {
                    TaskView v = ((TaskEvent) e).task();
                    rows.add(TraceRow.added(t, v.taskId(), v.type().name(), v.weight(), v.parentTaskId()));
                }
                case TASK_PROGRESS -> rows.add(TraceRow.progress(t, ((TaskEvent) e).task().taskId(), ((TaskEvent) e).task().percent()));
                case TASK_STARTED -> rows.add(task(t, e, TraceRow.Action.STARTED));
                case TASK_COMPLETED -> rows.add(task(t, e, TraceRow.Action.COMPLETED));
                case TASK_FAILED -> rows.add(task(t, e, TraceRow.Action.FAILED));
                case TASK_PAUSED -> rows.add(task(t, e, TraceRow.Action.PAUSED));
                case TASK_RESUMED -> rows.add(task(t, e, TraceRow.Action.RESUMED));
                case TASK_SKIPPED -> rows.add(task(t, e, TraceRow.Action.SKIPPED));
                case TASK_CANCELLED -> rows.add(task(t, e, TraceRow.Action.CANCELLED));
                default -> { }
            }
        }
        return rows;
    }

    private static TraceRow task(java.time.Instant t, ProgressEvent e, TraceRow.Action a) {
        return TraceRow.of(t, ((TaskEvent) e).task().taskId(), a);
    }

    /** A simulated EKS upgrade: 4 node groups of 6..14 nodes, drained one node at a time. */
    static void drive(ProgressTracker t, MutableClock clock) {
        SplittableRandom r = new SplittableRandom(42);
        List<TaskSpec> specs = new ArrayList<>(List.of(
                TaskSpec.of("preflight", "Preflight checks", TaskType.VALIDATION),
                TaskSpec.of("control-plane", "Upgrade control plane", TaskType.UPGRADE_STEP).withWeight(3),
                TaskSpec.of("nodegroups", "Upgrade node groups", TaskType.UPGRADE_PLAN).withWeight(5),
                TaskSpec.of("addons", "Upgrade add-ons", TaskType.UPGRADE_STEP),
                TaskSpec.of("validation", "Post-upgrade validation", TaskType.VALIDATION),
                TaskSpec.of("cleanup", "Cleanup", TaskType.CLEANUP).withWeight(0.5)));
        int[] nodes = {6, 10, 14, 8};
        for (int g = 0; g < nodes.length; g++) {
            specs.add(TaskSpec.child("nodegroups", "ng-" + g, "Node group " + g, TaskType.UPGRADE_STEP).withWeight(nodes[g]));
        }
        t.addTasks(specs);
        t.startUpgrade("preflight");
        steps(t, clock, r, "preflight", 8, 6);
        t.setCurrentPhase("control-plane");
        t.startTask("control-plane");
        wait(clock, r, 120);
        t.updateTaskProgress("control-plane", 20);
        wait(clock, r, 40);
        t.failTask("control-plane", "API throttled");
        wait(clock, r, 30);
        steps(t, clock, r, "control-plane", 10, 60); // the retry
        t.setCurrentPhase("data-plane");
        t.startTask("nodegroups");
        for (int g = 0; g < nodes.length; g++) {
            String id = "ng-" + g;
            t.startTask(id);
            for (int n = 1; n <= nodes[g]; n++) {
                wait(clock, r, 25 + 15 * g); // later groups run bigger instances: slower drains
                if (g == 2 && n == 5) {
                    t.pauseTask(id, "waiting for PodDisruptionBudget");
                    wait(clock, r, 240);
                    t.resumeTask(id);
                }
                t.updateTaskProgress(id, 100.0 * n / nodes[g], n + "/" + nodes[g] + " nodes drained",
                        Map.of("items", n, "total", nodes[g]));
            }
            t.completeTask(id);
        }
        t.completeTask("nodegroups");
        t.setCurrentPhase("add-ons");
        steps(t, clock, r, "addons", 5, 20);
        t.setCurrentPhase("validation");
        steps(t, clock, r, "validation", 6, 30);
        steps(t, clock, r, "cleanup", 2, 10);
        t.completeUpgrade();
    }

    private static void steps(ProgressTracker t, MutableClock clock, SplittableRandom r, String id, int n, double each) {
        t.startTask(id);
        for (int i = 1; i < n; i++) {
            wait(clock, r, each);
            t.updateTaskProgress(id, 100.0 * i / n);
        }
        wait(clock, r, each);
        t.completeTask(id);
    }

    private static void wait(MutableClock clock, SplittableRandom r, double mean) {
        clock.advance(Duration.ofMillis(Math.round(1000 * mean * (0.7 + 0.6 * r.nextDouble()))));
    }
}

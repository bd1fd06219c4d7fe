package dev.progresstracker.examples;

import dev.progresstracker.core.CallOutcome;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.RunStatus;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TaskView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A realistic EKS upgrade, simulated: preflight checks, control plane, add-ons, node groups drained
 * in batches, validations (one fails once and is retried), cleanup. Every step looks at the
 * tracker's state first, so running it over a resumed run continues where the killed one stopped.
 * Each step also records what an agent would: its AWS API calls (some fail, some are throttled),
 * the model tokens it spent on planning and checking ({@link #MODEL}), a stage inside node-group
 * drains, and a quality score when it completes.
 */
public final class SimulatedUpgrade {

    /** One node group: its id and node count. */
    record NodeGroup(String id, int nodes) {}

    /** The model name the simulated agent reports tokens for; price it with {@code TRACKER_PRICING}. */
    public static final String MODEL = "agent-model";

    static final List<NodeGroup> NODE_GROUPS =
            List.of(new NodeGroup("ng-system", 6), new NodeGroup("ng-app-1", 18), new NodeGroup("ng-app-2", 12));

    private final ProgressTracker tracker;
    private final long tickMillis;
    private final Random random;
    private final BatchPlanner batches;

    /**
     * @param speed  time multiplier: 1 takes about a minute, 60 about a second
     * @param seed   seed of the simulated durations, so that runs are repeatable
     */
    public SimulatedUpgrade(ProgressTracker tracker, double speed, long seed, BatchPlanner batches) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a positive number, got " + speed);
        }
        this.tracker = tracker;
        this.tickMillis = Math.max(0, Math.round(180 / speed));
        this.random = new Random(seed);
        this.batches = batches;
    }

    /** The plan: every task the upgrade consists of, parents first. */
    public static List<TaskSpec> plan() {
        List<TaskSpec> specs = new ArrayList<>();
        specs.add(TaskSpec.of("preflight", "Preflight checks", TaskType.VALIDATION));
        specs.add(TaskSpec.of("control-plane", "Upgrade control plane to 1.31", TaskType.UPGRADE_STEP)
                .withWeight(3));
        specs.add(
                TaskSpec.of("addons", "Upgrade add-ons", TaskType.UPGRADE_PLAN).withWeight(2));
        for (String addon : List.of("vpc-cni", "coredns", "kube-proxy")) {
            specs.add(TaskSpec.child("addons", addon, "Upgrade " + addon, TaskType.UPGRADE_STEP));
        }
        specs.add(TaskSpec.of("nodegroups", "Upgrade node groups", TaskType.UPGRADE_PLAN)
                .withWeight(6));
        for (NodeGroup ng : NODE_GROUPS) {
            specs.add(TaskSpec.child(
                            "nodegroups",
                            ng.id(),
                            "Roll node group " + ng.id() + " (" + ng.nodes() + " nodes)",
                            TaskType.UPGRADE_STEP)
                    .withWeight(ng.nodes()));
        }
        specs.add(TaskSpec.of("validation", "Post-upgrade validation", TaskType.UPGRADE_PLAN)
                .withWeight(2));
        specs.add(TaskSpec.child("validation", "smoke-tests", "Smoke tests", TaskType.VALIDATION));
        specs.add(TaskSpec.child("validation", "workload-health", "Workload health", TaskType.VALIDATION));
        specs.add(TaskSpec.of("cleanup", "Remove old launch templates", TaskType.CLEANUP));
        return specs;
    }

    /** Runs (or continues) the upgrade to its end. */
    public void run() throws InterruptedException {
        if (tracker.summary().totalTasks() == 0) {
            tracker.addTasks(plan());
        }
        RunStatus status = tracker.summary().status();
        if (status == RunStatus.COMPLETED) {
            return;
        }
        if (status == RunStatus.NOT_STARTED || status == RunStatus.FAILED) {
            tracker.startUpgrade("preflight");
        }
        phase("preflight");
        leaf("preflight", 8, "checks");
        phase("control-plane");
        leaf("control-plane", 40, "steps");
        phase("add-ons");
        parent("addons", () -> {
            for (String addon : List.of("vpc-cni", "coredns", "kube-proxy")) {
                leaf(addon, 8, "steps");
            }
        });
        phase("data-plane");
        parent("nodegroups", () -> {
            for (NodeGroup ng : NODE_GROUPS) {
                drain(ng);
            }
        });
        phase("validation");
        parent("validation", () -> {
            leaf("smoke-tests", 10, "tests");
            leaf("workload-health", 12, "checks");
        });
        phase("cleanup");
        leaf("cleanup", 6, "templates");
        tracker.completeUpgrade();
    }

    private interface Steps {
        void run() throws InterruptedException;
    }

    private void phase(String phase) {
        tracker.setCurrentPhase(phase);
    }

    private boolean begin(String taskId) {
        TaskView t = tracker.task(taskId);
        switch (t.status()) {
            case COMPLETED:
            case SKIPPED:
            case CANCELLED:
                return false;
            case NOT_STARTED:
            case FAILED:
                tracker.startTask(taskId);
                return true;
            case PAUSED:
                tracker.resumeTask(taskId);
                return true;
            default:
                return true;
        }
    }

    private void parent(String taskId, Steps children) throws InterruptedException {
        if (!begin(taskId)) {
            return;
        }
        children.run();
        tracker.completeTask(taskId);
    }

    private void leaf(String taskId, int ticks, String unit) throws InterruptedException {
        if (!begin(taskId)) {
            return;
        }
        int done = (int) Math.round(tracker.task(taskId).percent() * ticks / 100.0);
        boolean failOnce =
                taskId.equals("workload-health") && tracker.task(taskId).attempt() == 1;
        while (done < ticks) {
            sleepTicks(1);
            done++;
            if (failOnce && done == ticks / 2) {
                tracker.failTask(taskId, "2 pods in CrashLoopBackOff after the upgrade");
                sleepTicks(4);
                tracker.startTask(taskId);
                done = 0;
                failOnce = false;
                continue;
            }
            tracker.updateTaskProgress(
                    taskId, 100.0 * done / ticks, done + "/" + ticks + " " + unit, Map.of(unit, done, "total", ticks));
            recordStepUsage(taskId, 1);
        }
        tracker.setQuality(taskId, 0.85 + random.nextInt(16) / 100.0);
        tracker.completeTask(taskId);
    }

    private void drain(NodeGroup ng) throws InterruptedException {
        if (!begin(ng.id())) {
            return;
        }
        int drained = (int) Math.round(tracker.task(ng.id()).percent() * ng.nodes() / 100.0);
        while (drained < ng.nodes()) {
            int size = Math.min(batches.nextBatchSize(), ng.nodes() - drained);
            tracker.updateTaskStage(ng.id(), "cordon and drain " + size + " node(s)", 0);
            long started = System.nanoTime();
            // a batch drains its nodes in parallel: time grows slower than the batch
            sleepTicks(2 + size + random.nextInt(2));
            int failed = random.nextInt(10) == 0 ? 1 : 0;
            batches.record(size, (System.nanoTime() - started) / 1_000_000, size - failed, failed);
            drained += size;
            tracker.updateTaskStage(ng.id(), "cordon and drain " + size + " node(s)", 100);
            tracker.updateTaskProgress(
                    ng.id(),
                    100.0 * drained / ng.nodes(),
                    drained + "/" + ng.nodes() + " nodes drained",
                    Map.of("drained", drained, "total", ng.nodes(), "batchSize", size, "items", size));
            recordStepUsage(ng.id(), size);
        }
        tracker.setQuality(ng.id(), 0.8 + random.nextInt(21) / 100.0);
        tracker.completeTask(ng.id());
    }

    /**
     * One step's worth of an agent's usage: {@code calls} AWS API calls (about 1 in 20 fails, about 1
     * in 12 is throttled and waits 0.5-2 s) and one model call planning or checking the step.
     */
    private void recordStepUsage(String taskId, int calls) {
        for (int i = 0; i < calls; i++) {
            if (random.nextInt(12) == 0) {
                tracker.recordRateLimit(taskId, Duration.ofMillis(500 + random.nextInt(1500)));
            }
            CallOutcome outcome = random.nextInt(20) == 0 ? CallOutcome.FAILED : CallOutcome.SUCCEEDED;
            tracker.recordApiCall(taskId, outcome, Duration.ofMillis(60 + random.nextInt(400)));
        }
        tracker.recordUsage(taskId, 600 + random.nextInt(1800), 80 + random.nextInt(400), MODEL);
    }

    private void sleepTicks(int ticks) throws InterruptedException {
        if (tickMillis > 0) {
            Thread.sleep(tickMillis * ticks);
        }
    }

    /** Chooses batch sizes for node drains and learns from how batches went. */
    public interface BatchPlanner {
        int nextBatchSize();

        void record(int batchSize, long durationMillis, int succeeded, int failed);

        /** Always the same size. */
        static BatchPlanner fixed(int size) {
            return new BatchPlanner() {
                @Override
                public int nextBatchSize() {
                    return size;
                }

                @Override
                public void record(int batchSize, long durationMillis, int succeeded, int failed) {}
            };
        }
    }
}

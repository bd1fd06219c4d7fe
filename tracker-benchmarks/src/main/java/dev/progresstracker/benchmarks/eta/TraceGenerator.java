package dev.progresstracker.benchmarks.eta;

import static dev.progresstracker.benchmarks.eta.TraceSimulation.at;
import static dev.progresstracker.benchmarks.eta.TraceSimulation.finish;
import static dev.progresstracker.benchmarks.eta.TraceSimulation.gaussian;
import static dev.progresstracker.benchmarks.eta.TraceSimulation.header;
import static dev.progresstracker.benchmarks.eta.TraceSimulation.phase;
import static dev.progresstracker.benchmarks.eta.TraceSimulation.run;

import dev.progresstracker.benchmarks.eta.TraceSimulation.Job;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.test.MutableClock;
import dev.progresstracker.test.SampleRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates the synthetic trace suite (deterministic: fixed seeds). Each scenario is a plan of
 * tasks run by a number of workers; a task reports progress every {@code tick} seconds (0: only
 * when it completes), may stall (no progress for a while) or fail and be retried.
 *
 * <p>Run {@code main(dir)} to rewrite the CSV files under {@code dir} (the shipped copies live in
 * {@code src/main/resources/eta-traces}). The suite's {@code demo-recorded} trace is not generated:
 * it is recorded from the demo by {@link DemoTraceRecorder}.
 */
public final class TraceGenerator {

    private TraceGenerator() {}

    /** What each generated trace models (written as a comment line into its CSV). */
    static final Map<String, String> MODELS = Map.ofEntries(
            Map.entry("steady", "30 steps of 54-66 s one after another: the easy case"),
            Map.entry("slow-start", "30 steps; the first 8 up to 3x slower (cold caches, image pulls): warm-up"),
            Map.entry("late-slowdown", "30 steps; the last 10 are 2.5x slower (the big node groups come last)"),
            Map.entry(
                    "bursty",
                    "8 batches of 6 parallel drains that report only when done, random idle waits between batches"),
            Map.entry("heavy-tailed", "40 steps with log-normal durations (median 40 s, sigma 1)"),
            Map.entry("stall", "30 steps; one stalls 10 minutes at 40 % (a blocked drain)"),
            Map.entry("retry", "30 steps; two fail (at 70 % and 30 %) and are retried after 45 s"),
            Map.entry(
                    "eks-mixed",
                    "EKS plan: preflight, a 15-minute control plane, 8 node groups two at a time, add-ons, validation"),
            Map.entry(
                    "eks-nested",
                    "a real tracker through a nested EKS plan: node groups drained node by node, later ones slower,"
                            + " a 4-minute PDB pause, a throttled control-plane call retried"),
            Map.entry(
                    "pdb-drain",
                    "24 node drains reporting per pod; two block on a PodDisruptionBudget for 12 and 5 minutes"),
            Map.entry(
                    "throttled",
                    "60 API calls two at a time; two rate-limit phases make calls 15-27 and 40-47 4x slower"),
            Map.entry(
                    "plan-grows",
                    "checks and a discovery step whose result adds 18 node replacements and 6 add-ons mid-run"),
            Map.entry(
                    "parallel-groups",
                    "7 node groups of 2-12 nodes (equal weights) three at a time, finishing out of order"),
            Map.entry("few-long", "5 long steps of 8-25 minutes reporting every 2 minutes"),
            Map.entry("many-short", "300 checks of 2-6 s, four at a time, reporting only when done"));

    /** The shipped synthetic suite (seed offset 0). */
    public static List<Trace> suite() {
        return suite(0);
    }

    /**
     * The same shapes drawn with every generator's seed moved by {@code seed} (0: the shipped
     * suite). Other offsets give fresh traces to check that a change holds beyond the suite.
     */
    public static List<Trace> suite(long seed) {
        List<Trace> out = new ArrayList<>(List.of(
                steady(seed),
                slowStart(seed),
                lateSlowdown(seed),
                bursty(seed),
                heavyTailed(seed),
                stall(seed),
                retry(seed),
                eksMixed(seed),
                eksNested(seed)));
        out.addAll(UpgradeTraces.all(seed));
        return out;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "tracker-benchmarks/src/main/resources/eta-traces");
        Files.createDirectories(dir);
        for (Trace t : suite()) {
            TraceCsv.write(t, dir.resolve(t.name() + ".csv"), List.of(MODELS.get(t.name())));
        }
        System.out.println("wrote " + suite().size() + " traces to " + dir.toAbsolutePath());
    }

    static Trace steady(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 1);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            jobs.add(new Job("step-" + i, "UPGRADE_STEP", 60 * (0.9 + 0.2 * r.nextDouble())));
        }
        return run("steady", jobs, r);
    }

    static Trace slowStart(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 2);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double warm = i < 8 ? 3.0 - 0.25 * i : 1.0; // cold caches, image pulls: the first steps are slow
            jobs.add(new Job("step-" + i, "UPGRADE_STEP", 60 * warm * (0.9 + 0.2 * r.nextDouble())));
        }
        return run("slow-start", jobs, r);
    }

    static Trace lateSlowdown(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 3);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double slow = i >= 20 ? 2.5 : 1.0; // the last node groups are the big ones
            jobs.add(new Job("step-" + i, "UPGRADE_STEP", 60 * slow * (0.9 + 0.2 * r.nextDouble())));
        }
        return run("late-slowdown", jobs, r);
    }

    /** Batches of 6 parallel drains that report only on completion, with idle waits between batches. */
    static Trace bursty(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 4);
        List<TraceRow> rows = header(48, i -> "drain-" + i, i -> "UPGRADE_STEP");
        double t = 0;
        for (int b = 0; b < 8; b++) {
            double end = t;
            for (int k = 0; k < 6; k++) {
                int i = b * 6 + k;
                double d = 50 + 20 * r.nextDouble();
                rows.add(TraceRow.of(at(t), "drain-" + i, TraceRow.Action.STARTED));
                rows.add(TraceRow.of(at(t + d), "drain-" + i, TraceRow.Action.COMPLETED));
                end = Math.max(end, t + d);
            }
            t = end + (-Math.log(1 - r.nextDouble()) * 90); // wait for the next maintenance slot
        }
        return finish("bursty", rows);
    }

    static Trace heavyTailed(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 5);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double z = gaussian(r);
            jobs.add(new Job("step-" + i, "UPGRADE_STEP", 40 * Math.exp(1.0 * z)));
        }
        return run("heavy-tailed", jobs, r);
    }

    static Trace stall(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 6);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Job j = new Job("step-" + i, "UPGRADE_STEP", 60 * (0.9 + 0.2 * r.nextDouble()));
            if (i == 12) {
                j.stallAt = 0.4; // a PodDisruptionBudget blocks the drain for 10 minutes
                j.stallSeconds = 600;
            }
            jobs.add(j);
        }
        return run("stall", jobs, r);
    }

    static Trace retry(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 7);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Job j = new Job("step-" + i, "UPGRADE_STEP", 60 * (0.9 + 0.2 * r.nextDouble()));
            if (i == 10 || i == 21) {
                j.failAt = i == 10 ? 0.7 : 0.3;
                j.retryDelay = 45;
            }
            jobs.add(j);
        }
        return run("retry", jobs, r);
    }

    /** An EKS-shaped plan: quick preflight checks, a long control plane, parallel node groups, add-ons, validation. */
    static Trace eksMixed(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 8);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(new Job("preflight-" + i, "VALIDATION", 30 * (0.8 + 0.4 * r.nextDouble())));
        }
        Job cp = new Job("control-plane", "CONTROL_PLANE", 900);
        cp.tick = 30;
        jobs.add(cp);
        for (int i = 0; i < 8; i++) {
            jobs.add(new Job("nodegroup-" + i, "NODE_GROUP", 240 * (0.8 + 0.4 * r.nextDouble())));
        }
        for (int i = 0; i < 4; i++) {
            jobs.add(new Job("addon-" + i, "ADDON", 60 * (0.8 + 0.4 * r.nextDouble())));
        }
        for (int i = 0; i < 2; i++) {
            jobs.add(new Job("validate-" + i, "VALIDATION", 120 * (0.8 + 0.4 * r.nextDouble())));
        }
        jobs.add(new Job("cleanup", "CLEANUP", 20));
        // Phases run one after another; node groups two at a time.
        List<TraceRow> rows = header(jobs.size(), i -> jobs.get(i).id, i -> jobs.get(i).type);
        double t = 0;
        t = phase(jobs.subList(0, 4), 1, t, rows, r);
        t = phase(jobs.subList(4, 12), 2, t, rows, r);
        phase(jobs.subList(12, jobs.size()), 1, t, rows, r);
        return finish("eks-mixed", rows);
    }

    /**
     * Events of a real tracker (injected clock) driven through a nested EKS-shaped plan: 4 node
     * groups of 6..14 nodes under one parent, drained one node at a time, later groups slower (bigger
     * instances), a 4-minute pause for a PodDisruptionBudget, and a throttled control-plane call
     * that fails and is retried. (Until the demo could be recorded this stood in for it, as
     * "demo-recorded".)
     */
    static Trace eksNested(long seed) {
        return Trace.fromEvents(
                "eks-nested", SampleRuns.record("eks-nested", (t, clock) -> driveNested(t, clock, seed)));
    }

    private static void driveNested(ProgressTracker t, MutableClock clock, long seed) {
        SplittableRandom r = new SplittableRandom(seed + 42);
        List<TaskSpec> specs = new ArrayList<>(List.of(
                TaskSpec.of("preflight", "Preflight checks", TaskType.VALIDATION),
                TaskSpec.of("control-plane", "Upgrade control plane", TaskType.UPGRADE_STEP)
                        .withWeight(3),
                TaskSpec.of("nodegroups", "Upgrade node groups", TaskType.UPGRADE_PLAN)
                        .withWeight(5),
                TaskSpec.of("addons", "Upgrade add-ons", TaskType.UPGRADE_STEP),
                TaskSpec.of("validation", "Post-upgrade validation", TaskType.VALIDATION),
                TaskSpec.of("cleanup", "Cleanup", TaskType.CLEANUP).withWeight(0.5)));
        int[] nodes = {6, 10, 14, 8};
        for (int g = 0; g < nodes.length; g++) {
            specs.add(TaskSpec.child("nodegroups", "ng-" + g, "Node group " + g, TaskType.UPGRADE_STEP)
                    .withWeight(nodes[g]));
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
                wait(clock, r, 25 + 15 * g);
                if (g == 2 && n == 5) {
                    t.pauseTask(id, "waiting for PodDisruptionBudget");
                    wait(clock, r, 240);
                    t.resumeTask(id);
                }
                t.updateTaskProgress(
                        id,
                        100.0 * n / nodes[g],
                        n + "/" + nodes[g] + " nodes drained",
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

    private static void steps(
            ProgressTracker t, MutableClock clock, SplittableRandom r, String id, int n, double each) {
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

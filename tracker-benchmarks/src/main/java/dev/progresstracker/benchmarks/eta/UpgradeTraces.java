package dev.progresstracker.benchmarks.eta;

import static dev.progresstracker.benchmarks.eta.TraceSimulation.at;

import dev.progresstracker.benchmarks.eta.TraceSimulation.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The suite's traces of shapes real upgrades show beyond the basic ones of {@link TraceGenerator}:
 * long waits on external systems, throttling phases, a plan that grows, parallel groups finishing
 * out of order, few long tasks and many short ones. Deterministic (fixed seeds).
 */
final class UpgradeTraces {

    private UpgradeTraces() {}

    static List<Trace> all(long seed) {
        return List.of(
                pdbDrain(seed), throttled(seed), planGrows(seed), parallelGroups(seed), fewLong(seed), manyShort(seed));
    }

    /**
     * 24 node drains one after another, each reporting per evicted pod; two drains block on a
     * PodDisruptionBudget (12 and 5 minutes with no progress) until the external system lets go.
     */
    static Trace pdbDrain(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 11);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Job j = new Job("drain-" + i, "NODE_DRAIN", 90 * (0.8 + 0.4 * r.nextDouble()));
            j.tick = 8;
            if (i == 7 || i == 16) {
                j.stallAt = i == 7 ? 0.6 : 0.3;
                j.stallSeconds = i == 7 ? 720 : 300;
            }
            jobs.add(j);
        }
        return TraceSimulation.run("pdb-drain", jobs, r);
    }

    /**
     * 60 add-on and IAM API calls, two at a time; from call 15 to 27 and from 40 to 47 the API
     * throttles (rate limit) and each call takes about 4× as long.
     */
    static Trace throttled(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 12);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            boolean throttled = i >= 15 && i < 28 || i >= 40 && i < 48;
            jobs.add(new Job("call-" + i, "API_CALL", 20 * (throttled ? 4 : 1) * (0.8 + 0.4 * r.nextDouble()))
                    .reporting(5));
        }
        return TraceSimulation.run("throttled", jobs, 2, r);
    }

    /**
     * The plan grows mid-run: a discovery step finds 18 nodes to replace and adds them under the
     * plan's "nodes" step (weight 4); after the 12th node a compatibility check adds 6 add-on
     * upgrades as new top-level tasks, so the run percent falls back.
     */
    static Trace planGrows(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 13);
        List<Job> first = new ArrayList<>();
        Job discover = new Job("discover", "DISCOVERY", 90);
        discover.tick = 15;
        first.add(discover);
        for (int i = 0; i < 4; i++) {
            first.add(new Job("check-" + i, "VALIDATION", 40 * (0.8 + 0.4 * r.nextDouble())));
        }
        List<TraceRow> rows = TraceSimulation.header(
                first.size() + 1,
                i -> i < first.size() ? first.get(i).id : "nodes",
                i -> i < first.size() ? first.get(i).type : "NODE_REPLACE");
        rows.set(first.size(), TraceRow.added(TraceSimulation.T0, "nodes", "NODE_REPLACE", 4.0, null));
        double t = TraceSimulation.phase(first.subList(0, 1), 1, 0, rows, r);
        List<Job> nodes = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            nodes.add(new Job("node-" + i, "NODE_REPLACE", 150 * (0.8 + 0.4 * r.nextDouble())));
            rows.add(TraceRow.added(at(t), "node-" + i, "NODE_REPLACE", 1.0, "nodes"));
        }
        t = TraceSimulation.phase(first.subList(1, first.size()), 1, t, rows, r);
        rows.add(TraceRow.of(at(t), "nodes", TraceRow.Action.STARTED));
        double grown = TraceSimulation.phase(nodes.subList(0, 12), 2, t, rows, r);
        List<Job> addons = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            addons.add(new Job("addon-" + i, "ADDON", 45 * (0.8 + 0.4 * r.nextDouble())));
            rows.add(TraceRow.added(at(grown), "addon-" + i, "ADDON", 1.0, null));
        }
        t = TraceSimulation.phase(nodes.subList(12, 18), 2, grown, rows, r);
        rows.add(TraceRow.of(at(t), "nodes", TraceRow.Action.COMPLETED));
        TraceSimulation.phase(addons, 1, t, rows, r);
        return TraceSimulation.finish("plan-grows", rows);
    }

    /**
     * 7 node groups of 2 to 12 nodes (equal weight: the plan does not know their sizes) upgraded
     * three at a time, each reporting per node; small groups finish first, so groups finish out of
     * order and the parallelism falls at the end.
     */
    static Trace parallelGroups(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 14);
        int[] sizes = {12, 3, 8, 2, 10, 5, 7};
        List<Job> jobs = new ArrayList<>();
        for (int g = 0; g < sizes.length; g++) {
            jobs.add(new Job("ng-" + g, "NODE_GROUP", sizes[g] * 75 * (0.85 + 0.3 * r.nextDouble())).reporting(75));
        }
        return TraceSimulation.run("parallel-groups", jobs, 3, r);
    }

    /** 5 long steps (8 to 25 minutes) that report progress only every 2 minutes. */
    static Trace fewLong(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 15);
        double[] minutes = {12, 8, 25, 15, 10};
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < minutes.length; i++) {
            jobs.add(new Job("long-" + i, "UPGRADE_STEP", 60 * minutes[i] * (0.9 + 0.2 * r.nextDouble()))
                    .reporting(120));
        }
        return TraceSimulation.run("few-long", jobs, r);
    }

    /** 300 short checks (2 to 6 s, log-normal) run four at a time, reporting only when done. */
    static Trace manyShort(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 16);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            jobs.add(new Job("check-" + i, "VALIDATION", 3.5 * Math.exp(0.35 * TraceSimulation.gaussian(r)))
                    .reporting(0));
        }
        return TraceSimulation.run("many-short", jobs, 4, r);
    }
}

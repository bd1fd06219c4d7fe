package dev.progresstracker.benchmarks.eta;

import dev.progresstracker.analytics.RunHistory;
import dev.progresstracker.analytics.TrackerAnalytics;
import dev.progresstracker.benchmarks.eta.EtaHarness.Point;
import dev.progresstracker.benchmarks.eta.EtaHarness.Replay;
import dev.progresstracker.benchmarks.eta.TraceSimulation.Job;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Priors from earlier runs: the same EKS plan run {@value #RUNS} times into one store, each run's
 * estimator starting from {@link RunHistory#priors()} of the runs before it. Tasks vary by ±15 %
 * and each run's pace by a few percent; run {@value #SLOW_RUN} (1-based) is on a slower cluster
 * (everything 1.6× as long), which the estimate must notice rather than trust its history.
 */
public final class RepeatedRuns {

    static final int RUNS = 5;
    static final int SLOW_RUN = 4;
    static final String PLAN = "eks-1-31";

    /** Each run's replay with priors (run 1 has none), and each without (to compare). */
    public record Result(List<Replay> withPriors, List<Replay> without) {

        /** Error of remaining time at {@code checkpoint} of run {@code run} (1-based). */
        public double error(int run, double checkpoint, boolean priors) {
            return point(priors ? withPriors : without, run, checkpoint).apeOfRemaining();
        }

        public Point point(List<Replay> replays, int run, double checkpoint) {
            return replays.get(run - 1).points().stream()
                    .filter(p -> p.checkpoint() == checkpoint)
                    .findFirst()
                    .orElseThrow();
        }

        /** Mean true remaining time of the runs before {@code run} at {@code checkpoint}: what the history alone says. */
        public double historyRemaining(int run, double checkpoint) {
            double sum = 0;
            for (int r = 1; r < run; r++) {
                sum += point(withPriors, r, checkpoint).actualSeconds();
            }
            return sum / (run - 1);
        }

        public String table() {
            StringBuilder b = new StringBuilder(
                    "| run | at 10 % with priors | without | at 25 % with priors | without | true remaining at 25 % | history says |\n"
                            + "|---|---:|---:|---:|---:|---:|---:|\n");
            for (int r = 1; r <= RUNS; r++) {
                b.append(String.format(
                        Locale.ROOT,
                        "| %d%s | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.0f s | %s |%n",
                        r,
                        r == SLOW_RUN ? " (slower cluster)" : "",
                        100 * error(r, 10, true),
                        100 * error(r, 10, false),
                        100 * error(r, 25, true),
                        100 * error(r, 25, false),
                        point(withPriors, r, 25).actualSeconds(),
                        r == 1
                                ? "—"
                                : String.format(
                                        Locale.ROOT,
                                        "%.0f s (estimate %d s)",
                                        historyRemaining(r, 25),
                                        point(withPriors, r, 25).eta().seconds())));
            }
            return b.toString();
        }
    }

    private RepeatedRuns() {}

    public static Result run() {
        List<Replay> with = new ArrayList<>();
        List<Replay> without = new ArrayList<>();
        try (InMemoryProgressStore store = new InMemoryProgressStore()) {
            for (int r = 1; r <= RUNS; r++) {
                Trace trace = trace(r);
                TrackerAnalytics analytics = TrackerAnalytics.of(TrackingMode.ENHANCED)
                        .withPriors(RunHistory.of(store, PLAN).priors());
                with.add(EtaHarness.replay(
                        trace,
                        "adaptive+history",
                        ProgressTracker.builder()
                                .runId(trace.name())
                                .planId(PLAN)
                                .store(store)
                                .analytics(analytics)));
                without.add(EtaHarness.replay(
                        trace, "adaptive", EtaHarness.estimators().get("adaptive")));
            }
        }
        return new Result(with, without);
    }

    /** Run {@code r} (1-based) of the plan: preflight, control plane, node groups two at a time, add-ons, validation. */
    static Trace trace(int r) {
        SplittableRandom rnd = new SplittableRandom(100 + r);
        double pace = (r == SLOW_RUN ? 1.6 : 1.0) * Math.exp(0.05 * TraceSimulation.gaussian(rnd));
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(job("preflight-" + i, "VALIDATION", 30, pace, rnd));
        }
        Job cp = job("control-plane", "CONTROL_PLANE", 900, pace, rnd);
        cp.tick = 30;
        jobs.add(cp);
        for (int i = 0; i < 8; i++) {
            jobs.add(job("nodegroup-" + i, "NODE_GROUP", 240, pace, rnd));
        }
        for (int i = 0; i < 4; i++) {
            jobs.add(job("addon-" + i, "ADDON", 60, pace, rnd));
        }
        for (int i = 0; i < 2; i++) {
            jobs.add(job("validate-" + i, "VALIDATION", 120, pace, rnd));
        }
        jobs.add(job("cleanup", "CLEANUP", 20, pace, rnd));
        List<TraceRow> rows = TraceSimulation.header(jobs.size(), i -> jobs.get(i).id, i -> jobs.get(i).type);
        double t = TraceSimulation.phase(jobs.subList(0, 4), 1, 0, rows, rnd);
        t = TraceSimulation.phase(jobs.subList(4, 12), 2, t, rows, rnd);
        TraceSimulation.phase(jobs.subList(12, jobs.size()), 1, t, rows, rnd);
        return TraceSimulation.finish("repeat-" + r, rows);
    }

    private static Job job(String id, String type, double seconds, double pace, SplittableRandom r) {
        return new Job(id, type, seconds * pace * (0.85 + 0.3 * r.nextDouble()));
    }

    /** Prints the table of docs/performance.md ("Priors from earlier runs"). */
    public static void main(String[] args) {
        System.out.println(run().table());
    }
}

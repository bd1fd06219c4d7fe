package dev.progresstracker.benchmarks.eta;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * The simulation behind the synthetic traces: a plan of {@link Job}s run by a number of workers, each
 * task reporting progress every {@code tick} seconds, stalling or failing once as its job says, written
 * as {@link TraceRow}s from {@link #T0}. Deterministic for a given random source. Stateless.
 */
final class TraceSimulation {

    /** Seconds between one task's end and the worker's next start. */
    static final double GAP = 2;

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    /** One task of a plan. */
    static final class Job {
        final String id;
        final String type;
        final double seconds;
        double tick = 10;
        double stallAt = -1; // fraction of the task at which it stalls
        double stallSeconds;
        double failAt = -1; // fraction at which the first attempt fails
        double retryDelay = 30;

        Job(String id, String type, double seconds) {
            this.id = id;
            this.type = type;
            this.seconds = seconds;
        }

        /** Reports progress every {@code seconds} (0: only when done). */
        Job reporting(double seconds) {
            this.tick = seconds;
            return this;
        }
    }

    private TraceSimulation() {}

    /** Runs {@code jobs} one after another. */
    static Trace run(String name, List<Job> jobs, SplittableRandom r) {
        return run(name, jobs, 1, r);
    }

    /** Runs {@code jobs} in order on {@code workers} workers. */
    static Trace run(String name, List<Job> jobs, int workers, SplittableRandom r) {
        List<TraceRow> rows = header(jobs.size(), i -> jobs.get(i).id, i -> jobs.get(i).type);
        phase(jobs, workers, 0, rows, r);
        return finish(name, rows);
    }

    /** Runs {@code jobs} in order on {@code workers} workers from {@code start}; returns when the last ends. */
    static double phase(List<Job> jobs, int workers, double start, List<TraceRow> rows, SplittableRandom r) {
        double[] free = new double[workers];
        Arrays.fill(free, start);
        double end = start;
        for (Job j : jobs) {
            int w = 0;
            for (int k = 1; k < workers; k++) {
                if (free[k] < free[w]) {
                    w = k;
                }
            }
            free[w] = simulate(j, free[w] + GAP, rows, r);
            end = Math.max(end, free[w]);
        }
        return end;
    }

    /** Emits one task's rows from {@code start}; returns when it completed. */
    private static double simulate(Job j, double start, List<TraceRow> rows, SplittableRandom r) {
        double t = start;
        if (j.failAt > 0) {
            rows.add(TraceRow.of(at(t), j.id, TraceRow.Action.STARTED));
            t = progress(j, t, j.seconds * j.failAt, rows, r);
            rows.add(TraceRow.of(at(t), j.id, TraceRow.Action.FAILED));
            t += j.retryDelay;
        }
        rows.add(TraceRow.of(at(t), j.id, TraceRow.Action.STARTED));
        t = progress(j, t, j.seconds, rows, r);
        rows.add(TraceRow.of(at(t), j.id, TraceRow.Action.COMPLETED));
        return t;
    }

    /** Progress rows of {@code j} from {@code start} for {@code work} seconds of work; returns the end time. */
    private static double progress(Job j, double start, double work, List<TraceRow> rows, SplittableRandom r) {
        double done = 0;
        double t = start;
        boolean stalled = false;
        while (j.tick > 0) {
            double step = j.tick * (0.8 + 0.4 * r.nextDouble());
            if (done + step >= work) {
                break;
            }
            done += step;
            t += step;
            if (!stalled && j.stallAt > 0 && done >= j.seconds * j.stallAt) {
                stalled = true;
                t += j.stallSeconds;
            }
            rows.add(TraceRow.progress(at(t), j.id, Math.floor(1000 * done / j.seconds) / 10));
        }
        return t + (work - done);
    }

    static List<TraceRow> header(int n, IntFunction<String> id, IntFunction<String> type) {
        List<TraceRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(TraceRow.added(T0, id.apply(i), type.apply(i), 1.0, null));
        }
        rows.add(TraceRow.run(T0, TraceRow.Action.RUN_STARTED));
        return rows;
    }

    static Trace finish(String name, List<TraceRow> rows) {
        List<TraceRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(TraceRow::time)); // stable: same-instant rows keep their order
        sorted.add(TraceRow.run(sorted.get(sorted.size() - 1).time(), TraceRow.Action.RUN_COMPLETED));
        return new Trace(name, sorted);
    }

    static Instant at(double seconds) {
        return T0.plusNanos(Math.round(seconds * 1000) * 1_000_000L);
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}

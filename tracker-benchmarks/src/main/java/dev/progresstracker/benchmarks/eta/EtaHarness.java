package dev.progresstracker.benchmarks.eta;

import dev.progresstracker.analytics.AdaptiveEstimator;
import dev.progresstracker.analytics.EmaEstimator;
import dev.progresstracker.analytics.SlidingWindowEstimator;
import dev.progresstracker.analytics.TrackerAnalytics;
import dev.progresstracker.core.Eta;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskSpec;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackingMode;
import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.LinearEstimator;
import dev.progresstracker.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Replays progress traces through a real {@link ProgressTracker} per estimator and measures, at the
 * first moment the run reaches 10, 25, 50, 75 and 90 %: the absolute error of the predicted finish
 * time as a percentage of the run's true duration (the headline MAPE), the same error as a
 * percentage of the true remaining time (harsher near the end), whether the true remaining time
 * lay inside the {@code low..high} band, and the band's width relative to the true remaining time.
 * A missing estimate counts as 100 % error and not covered.
 *
 * <p>{@code main} prints the table recorded in {@code docs/performance.md} (section "ETA accuracy").
 */
public final class EtaHarness {

    /** The checkpoints, in run percent. */
    public static final double[] CHECKPOINTS = {10, 25, 50, 75, 90};

    /** The four shipped estimators, by name. */
    public static Map<String, Supplier<? extends EtaEstimator>> estimators() {
        Map<String, Supplier<? extends EtaEstimator>> m = new LinkedHashMap<>();
        m.put("linear", LinearEstimator::new);
        m.put("ema", EmaEstimator::new);
        m.put("window", SlidingWindowEstimator::new);
        m.put("adaptive", AdaptiveEstimator::new);
        return m;
    }

    /** One checkpoint of one replay. */
    public record Point(double checkpoint, double actualSeconds, double runSeconds, Eta eta) {
        /** Error of the predicted finish time as a fraction of the run's true duration. */
        public double ape() {
            return eta == null ? 1.0 : Math.abs(eta.seconds() - actualSeconds) / Math.max(runSeconds, 1);
        }

        /** Error of the predicted remaining time as a fraction of the true remaining time. */
        public double apeOfRemaining() {
            return eta == null ? 1.0 : Math.abs(eta.seconds() - actualSeconds) / Math.max(actualSeconds, 1);
        }

        public boolean covered() {
            return eta != null && eta.low() <= actualSeconds + 0.5 && actualSeconds - 0.5 <= eta.high();
        }

        public double relativeBandWidth() {
            return eta == null ? 0 : (eta.high() - eta.low()) / Math.max(actualSeconds, 1);
        }
    }

    /** Result of one estimator on one trace. */
    public record Replay(String trace, String estimator, List<Point> points) {
        public double mape() {
            return points.stream().mapToDouble(Point::ape).average().orElse(1);
        }

        public double mapeOfRemaining() {
            return points.stream().mapToDouble(Point::apeOfRemaining).average().orElse(1);
        }

        public double coverage() {
            return points.stream().filter(Point::covered).count() / (double) points.size();
        }
    }

    private EtaHarness() {}

    public static EtaReport run(List<Trace> traces, Map<String, Supplier<? extends EtaEstimator>> estimators) {
        List<Replay> out = new ArrayList<>();
        for (Trace t : traces) {
            for (Map.Entry<String, Supplier<? extends EtaEstimator>> e : estimators.entrySet()) {
                out.add(replay(t, e.getKey(), e.getValue()));
            }
        }
        return new EtaReport(out);
    }

    /** Replays {@code trace} through a fresh in-memory tracker using {@code estimator}. */
    public static Replay replay(Trace trace, String name, Supplier<? extends EtaEstimator> estimator) {
        return replay(
                trace,
                name,
                ProgressTracker.builder()
                        .runId("eta-" + trace.name() + "-" + name)
                        .etaEstimator(estimator)
                        .analytics(TrackerAnalytics.of(TrackingMode.ENHANCED)));
    }

    /** Replays {@code trace} through the tracker {@code builder} makes (given a clock and the ENHANCED config here). */
    static Replay replay(Trace trace, String name, ProgressTracker.Builder builder) {
        List<TraceRow> rows = trace.rows();
        Instant end = rows.get(rows.size() - 1).time();
        Instant start = rows.stream()
                .filter(r -> r.action() == TraceRow.Action.RUN_STARTED)
                .findFirst()
                .orElse(rows.get(0))
                .time();
        double runSeconds = Duration.between(start, end).toMillis() / 1000.0;
        MutableClock clock = new MutableClock(rows.get(0).time());
        TrackerConfig config =
                TrackerConfig.builder().trackingMode(TrackingMode.ENHANCED).build();
        List<Point> points = new ArrayList<>();
        int next = 0;
        try (ProgressTracker t = builder.clock(clock).config(config).build()) {
            for (TraceRow row : rows) {
                clock.set(row.time());
                apply(t, row);
                double percent = t.summary().percent();
                while (next < CHECKPOINTS.length
                        && percent >= CHECKPOINTS[next]
                        && row.action() != TraceRow.Action.RUN_COMPLETED) {
                    Optional<Eta> eta = t.eta();
                    double actual = Duration.between(row.time(), end).toMillis() / 1000.0;
                    points.add(new Point(CHECKPOINTS[next], actual, runSeconds, eta.orElse(null)));
                    next++;
                }
            }
        }
        return new Replay(trace.name(), name, points);
    }

    private static void apply(ProgressTracker t, TraceRow r) {
        String id = r.taskId();
        switch (r.action()) {
            case RUN_STARTED -> t.startUpgrade(null);
            case RUN_COMPLETED -> t.completeUpgrade();
            case ADDED -> t.addTask(new TaskSpec(id, id, TaskType.of(r.type()), r.parent(), r.weight()));
            case STARTED -> t.startTask(id);
            case PROGRESS -> t.updateTaskProgress(id, r.percent());
            case COMPLETED -> t.completeTask(id);
            case FAILED -> t.failTask(id, "failed in trace");
            case PAUSED -> t.pauseTask(id);
            case RESUMED -> t.resumeTask(id);
            case SKIPPED -> t.skipTask(id);
            case CANCELLED -> t.cancelTask(id);
            default -> throw new IllegalArgumentException("unknown action " + r.action());
        }
    }

    /**
     * Prints the table for the shipped suite, for the CSV files given as arguments, or with
     * {@code --seeds 1000,2000} for fresh traces of the generator's shapes drawn with those seed
     * offsets (a check that a change holds beyond the suite; never asserted on).
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--seeds")) {
            StringBuilder summary = new StringBuilder(EtaReport.SUMMARY_HEADER);
            List<Replay> all = new ArrayList<>();
            for (String seed : args[1].split(",")) {
                EtaReport report = run(TraceGenerator.suite(Long.parseLong(seed.trim())), estimators());
                System.out.println("seed offset " + seed.trim() + ":\n\n" + report.table());
                summary.append(report.summaryRow("+" + seed.trim()));
                all.addAll(report.replays());
            }
            System.out.println(summary);
            System.out.println(new EtaReport(all).calibrationTable("adaptive"));
            return;
        }
        List<Trace> traces = new ArrayList<>();
        if (args.length == 0) {
            traces.addAll(TraceCsv.suite());
        }
        for (String a : args) {
            java.nio.file.Path p = java.nio.file.Path.of(a);
            try (var in = java.nio.file.Files.newInputStream(p)) {
                traces.add(TraceCsv.read(p.getFileName().toString().replace(".csv", ""), in));
            }
        }
        EtaReport report = run(traces, estimators());
        System.out.println(report.table());
        System.out.println();
        System.out.println(report.calibrationTable("adaptive"));
    }
}

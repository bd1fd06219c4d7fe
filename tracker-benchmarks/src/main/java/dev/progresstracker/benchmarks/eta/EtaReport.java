package dev.progresstracker.benchmarks.eta;

import dev.progresstracker.benchmarks.eta.EtaHarness.Point;
import dev.progresstracker.benchmarks.eta.EtaHarness.Replay;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Results of all estimators on all traces, and the tables of {@code docs/performance.md}. The
 * headline is the MAPE of remaining time: the error of the predicted remaining time as a share of
 * the true remaining time, averaged over the checkpoints.
 */
public record EtaReport(List<Replay> replays) {

    public EtaReport {
        replays = List.copyOf(replays);
    }

    public List<String> estimators() {
        return replays.stream().map(Replay::estimator).distinct().toList();
    }

    public List<String> traces() {
        return replays.stream().map(Replay::trace).distinct().toList();
    }

    public Replay replay(String trace, String estimator) {
        return replays.stream()
                .filter(r -> r.trace().equals(trace) && r.estimator().equals(estimator))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no replay of " + estimator + " on " + trace));
    }

    /** MAPE of the finish time as a share of the run's duration. */
    public double mape(String estimator) {
        return mean(points(estimator, p -> true), Point::ape);
    }

    public double mapeOfRemaining(String estimator) {
        return mean(points(estimator, p -> true), Point::apeOfRemaining);
    }

    /** MAPE of remaining time over the points taken at {@code checkpoint} (one of {@link EtaHarness#CHECKPOINTS}). */
    public double mapeOfRemainingAt(String estimator, double checkpoint) {
        return mean(points(estimator, p -> p.checkpoint() == checkpoint), Point::apeOfRemaining);
    }

    public double coverage(String estimator) {
        List<Point> p = points(estimator, x -> true);
        return p.stream().filter(Point::covered).count() / (double) p.size();
    }

    /** Band width over true remaining time at quantile {@code q} (0.5: median) of the estimator's points. */
    public double bandWidth(String estimator, double q) {
        return quantile(points(estimator, p -> true), q);
    }

    /** Mean stated confidence of the estimator's points (a missing estimate states 0). */
    public double meanConfidence(String estimator) {
        return mean(
                points(estimator, p -> true), p -> p.eta() == null ? 0 : p.eta().confidence());
    }

    private List<Point> points(String estimator, Predicate<Point> filter) {
        List<Point> out = new ArrayList<>();
        for (Replay r : replays) {
            if (r.estimator().equals(estimator)) {
                r.points().stream().filter(filter).forEach(out::add);
            }
        }
        return out;
    }

    static double mean(List<Point> points, java.util.function.ToDoubleFunction<Point> f) {
        return points.stream().mapToDouble(f).average().orElse(1);
    }

    static double quantile(List<Point> points, double q) {
        double[] w =
                points.stream().mapToDouble(Point::relativeBandWidth).sorted().toArray();
        if (w.length == 0) {
            return 0;
        }
        double pos = q * (w.length - 1); // interpolated: the median of an even count is the mean of the middle two
        int i = (int) Math.floor(pos);
        return i + 1 < w.length ? w[i] + (pos - i) * (w[i + 1] - w[i]) : w[i];
    }

    /**
     * Per trace: MAPE of remaining time of every estimator, then the band of {@code banded} (coverage,
     * median and 90th-percentile width over true remaining); then the suite rows.
     */
    public String table() {
        List<String> names = estimators();
        String banded = names.get(names.size() - 1);
        StringBuilder b = new StringBuilder("| trace |");
        names.forEach(n -> b.append(' ').append(n).append(" |"));
        b.append(" ")
                .append(banded)
                .append(" coverage | median width | p90 width |\n|---|")
                .append("---:|".repeat(names.size() + 3))
                .append('\n');
        for (String t : traces()) {
            b.append("| ").append(t).append(" |");
            for (String n : names) {
                b.append(pct(replay(t, n).mapeOfRemaining()));
            }
            List<Point> p = replay(t, banded).points();
            b.append(String.format(
                    Locale.ROOT,
                    " %.0f %% | %.2f | %.2f |%n",
                    100 * replay(t, banded).coverage(),
                    quantile(p, 0.5),
                    quantile(p, 0.9)));
        }
        row(
                b,
                "**MAPE of remaining time**",
                names,
                n -> String.format(Locale.ROOT, "**%.1f %%**", 100 * mapeOfRemaining(n)));
        for (double c : EtaHarness.CHECKPOINTS) {
            row(
                    b,
                    String.format(Locale.ROOT, "… at %.0f %%", c),
                    names,
                    n -> pct(mapeOfRemainingAt(n, c)).trim().replace(" |", ""));
        }
        row(
                b,
                "MAPE of finish time (/ run duration)",
                names,
                n -> pct(mape(n)).trim().replace(" |", ""));
        row(b, "band coverage", names, n -> String.format(Locale.ROOT, "%.0f %%", 100 * coverage(n)));
        row(b, "median band width / remaining", names, n -> String.format(Locale.ROOT, "%.2f", bandWidth(n, 0.5)));
        row(b, "p90 band width / remaining", names, n -> String.format(Locale.ROOT, "%.2f", bandWidth(n, 0.9)));
        return b.toString();
    }

    /** Stated confidence (in bins of 10 points) against the share of those checkpoints inside the band. */
    public String calibrationTable(String estimator) {
        StringBuilder b = new StringBuilder(
                "| stated confidence | checkpoints | mean stated | inside the band |\n|---|---:|---:|---:|\n");
        for (int bin = 0; bin < 10; bin++) {
            List<Point> in = bin(estimator, bin);
            if (!in.isEmpty()) {
                b.append(String.format(
                        Locale.ROOT,
                        "| %d-%d %% | %d | %.0f %% | %.0f %% |%n",
                        10 * bin,
                        10 * bin + 10,
                        in.size(),
                        100 * mean(in, p -> p.eta().confidence()),
                        100 * coverage(in)));
            }
        }
        b.append(String.format(
                Locale.ROOT,
                "| all | %d | %.0f %% | %.0f %% |%n",
                points(estimator, p -> true).size(),
                100 * meanConfidence(estimator),
                100 * coverage(estimator)));
        return b.toString();
    }

    /**
     * Largest gap between mean stated confidence and the share inside the band over the confidence
     * bins (of 10 points) holding at least {@code minPoints} checkpoints.
     */
    public double calibrationGap(String estimator, int minPoints) {
        double gap = 0;
        for (int bin = 0; bin < 10; bin++) {
            List<Point> in = bin(estimator, bin);
            if (in.size() >= minPoints) {
                gap = Math.max(gap, Math.abs(mean(in, p -> p.eta().confidence()) - coverage(in)));
            }
        }
        return gap;
    }

    private List<Point> bin(String estimator, int bin) {
        return points(
                estimator,
                p -> p.eta() != null
                        && Math.min(9, (int) Math.floor(10 * p.eta().confidence())) == bin);
    }

    private static double coverage(List<Point> points) {
        return points.stream().filter(Point::covered).count() / (double) points.size();
    }

    static final String SUMMARY_HEADER =
            "| traces | linear | adaptive | change | worst trace / linear | traces > 1.05x linear"
                    + " | checkpoints 10/25/50/75/90 % / linear | coverage | median width |\n|---|---:|---:|---:|---:|---:|---|---:|---:|\n";

    /** Largest ratio of adaptive's MAPE of remaining time to linear's over the traces. */
    public double worstTraceRatio() {
        return traces().stream().mapToDouble(this::traceRatio).max().orElse(0);
    }

    double traceRatio(String trace) {
        return replay(trace, "adaptive").mapeOfRemaining()
                / replay(trace, "linear").mapeOfRemaining();
    }

    /** One row: adaptive against linear on this report's traces (see {@link EtaHarness#main}). */
    String summaryRow(String label) {
        double lin = mapeOfRemaining("linear");
        double ada = mapeOfRemaining("adaptive");
        List<String> over = traces().stream()
                .filter(t -> traceRatio(t) > 1.05)
                .map(t -> String.format(Locale.ROOT, "%s %.2f", t, traceRatio(t)))
                .toList();
        StringBuilder cps = new StringBuilder();
        for (double c : EtaHarness.CHECKPOINTS) {
            cps.append(cps.length() == 0 ? "" : " / ")
                    .append(String.format(
                            Locale.ROOT, "%.2f", mapeOfRemainingAt("adaptive", c) / mapeOfRemainingAt("linear", c)));
        }
        return String.format(
                Locale.ROOT,
                "| %s | %.1f %% | %.1f %% | %+.0f %% | %.2f | %s | %s | %.0f %% | %.2f |%n",
                label,
                100 * lin,
                100 * ada,
                100 * (ada / lin - 1),
                worstTraceRatio(),
                over.isEmpty() ? "none" : String.join(", ", over),
                cps,
                100 * coverage("adaptive"),
                bandWidth("adaptive", 0.5));
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, " %.1f %% |", 100 * v);
    }

    private static void row(StringBuilder b, String label, List<String> names, Function<String, String> f) {
        b.append("| ").append(label).append(" |");
        names.forEach(n -> b.append(' ').append(f.apply(n)).append(" |"));
        b.append(" | | |\n");
    }
}

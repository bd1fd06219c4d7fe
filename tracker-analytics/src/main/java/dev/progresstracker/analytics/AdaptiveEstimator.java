package dev.progresstracker.analytics;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.TaskView;
import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.eta.EtaSample;
import dev.progresstracker.core.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The default estimator: blends five {@code BlendModel}s by how well each one's recent predictions
 * came true, shrinks the blend towards linear on priced work unless its record over a long horizon
 * earns it, prices remaining work by task type (optionally starting from {@link EtaPriors} of
 * earlier runs), leaves paused and stalled time out of the work time, and states an empirical band
 * learnt from its own misses, with the band's expected coverage as confidence. How and why:
 * {@code docs/eta.md}.
 *
 * <p>Not thread-safe (the tracker calls it under its lock). {@link #observe} is O(task types) and
 * allocates only when it records a snapshot (at most every 0.5 s of work time, spacing growing
 * with the run); {@link #estimate} is O(task types).
 */
public final class AdaptiveEstimator implements EtaEstimator {

    private static final int MODELS = BlendModel.COUNT;
    private static final double MIN_WINDOW_SECONDS = 30;
    private static final double WINDOW_FRACTION = 0.25;
    private static final double GAP_WINDOWS = 4;
    private static final double ERROR_FLOOR = 0.03;

    private static final double PRIOR_ERROR = 0.5;
    /** Starting error of a work model priced by earlier runs: it knows the plan's shape, percent models do not. */
    private static final double HISTORY_ERROR = PRIOR_ERROR / 4;
    /** The recent window spans at least this many mean task durations: a shorter one measures a task, not the run. */
    private static final double TASK_WINDOWS = 2;

    // Slots after the models in a prediction: the blend, the estimate, its band's log distances down and up, the
    // anchor.
    private static final int BLEND = MODELS;
    private static final int FINAL = MODELS + 1;
    private static final int DOWN = MODELS + 2;
    private static final int UP = MODELS + 3;
    private static final int ANCHOR = MODELS + 4;

    private final WorkModel work;
    private final WorkClock clock;
    private final boolean hasPriors;
    private final EmaEstimator ema = new EmaEstimator();
    private final Snapshots snapshots = new Snapshots();
    private final double[] error = new double[MODELS];
    private final boolean[] scored = new boolean[MODELS];
    private final double[] scratch = new double[ANCHOR + 1];
    private final AnchorShrink shrink = new AnchorShrink(PRIOR_ERROR, ERROR_FLOOR);
    private final BandQuantiles band = new BandQuantiles(PRIOR_ERROR);
    private boolean started;
    private double lastLearnAt;
    private double percent;
    private long version;
    private long cachedVersion = -1;
    private Instant cachedAt;
    private Optional<Eta> cached = Optional.empty();

    /** An estimator that learns everything from the run itself. */
    public AdaptiveEstimator() {
        this(EtaPriors.none());
    }

    /** An estimator whose work models start from {@code priors} (per-type durations of earlier runs). */
    public AdaptiveEstimator(EtaPriors priors) {
        java.util.Objects.requireNonNull(priors, "priors must not be null");
        work = new WorkModel(priors);
        clock = new WorkClock(work);
        hasPriors = !priors.isEmpty();
        // Without a track record, trust whole-run rates more than recent ones (less variance).
        for (BlendModel m : BlendModel.ALL) {
            error[m.ordinal()] = m.recent ? PRIOR_ERROR : PRIOR_ERROR / 2;
            if (m.refines() != null && !priors.isEmpty()) {
                error[m.ordinal()] = m.recent ? 2 * HISTORY_ERROR : HISTORY_ERROR;
                scored[m.ordinal()] = true;
            }
        }
    }

    @Override
    public String name() {
        return "adaptive";
    }

    @Override
    public void observe(EtaSample s) {
        clock.advance(s.time(), started);
        if (s.task() != null) {
            work.apply(s.task(), clock.workTime(), clock.active());
        }
        percent = s.runPercent();
        if (!started && (s.type() == EventType.UPGRADE_STARTED || s.type() == EventType.TASK_STARTED)) {
            started = true;
            snapshots.clear();
            snapshots.add(0, percent, work.doneVector());
        } else if (started) {
            double eff = clock.workTime();
            work.at(eff);
            clock.trackGaps();
            eff = clock.workTime();
            work.at(eff);
            // The EMA sees work time too, so a stall or pause is not one very slow step to it.
            ema.observeAt(eff, s.type(), percent);
            // Snapshots are spaced in work time (≥ 0.5 s, growing with the run); learning happens
            // only when one is added, so a flood of updates costs O(1) each.
            if (snapshots.due(eff)) {
                snapshots.add(eff, percent, work.doneVector());
                learn(eff, s.time());
            }
        }
        version++;
    }

    @Override
    public void resumed(Instant now, double runPercent) {
        resumed(now, runPercent, List.of());
    }

    @Override
    public void resumed(Instant now, double runPercent, List<TaskView> tasks) {
        Instant first = null;
        Instant last = null;
        for (TaskView t : tasks) {
            if (t.startedAt() != null && (first == null || t.startedAt().isBefore(first))) {
                first = t.startedAt();
            }
            Instant end = t.finishedAt() != null ? t.finishedAt() : t.startedAt();
            if (end != null && (last == null || end.isAfter(last))) {
                last = end;
            }
        }
        percent = runPercent;
        started = true;
        snapshots.clear();
        double active = 0;
        if (first != null && last.isAfter(first) && runPercent > 0) {
            // The work before the restart took (about) this long; the downtime is not part of it.
            active = WorkModel.seconds(Duration.between(first, last));
            snapshots.add(0, 0, new double[0]);
        }
        clock.restart(now, active);
        for (TaskView t : tasks) {
            // On the restored work-time axis the run began at 0, so a task started when it did.
            double start = first == null || t.startedAt() == null
                    ? 0
                    : WorkModel.seconds(Duration.between(first, t.startedAt()));
            work.apply(t, Math.min(start, active));
        }
        work.at(active);
        ema.resumedAt(active, runPercent);
        snapshots.add(active, percent, work.doneVector());
        version++;
    }

    @Override
    public Optional<Eta> estimate(Instant now) {
        if (percent >= 100) {
            return Optional.of(new Eta(0, 0, 0, 1.0, name()));
        }
        if (cachedVersion == version && now.equals(cachedAt)) {
            return cached;
        }
        cachedVersion = version;
        cachedAt = now;
        cached = compute(clock.effectiveAt(now, started), now);
        return cached;
    }

    private Optional<Eta> compute(double a, Instant now) {
        if (!models(a, now, scratch)) {
            return Optional.empty();
        }
        double seconds = Math.exp(estimate(scratch));
        long s = Math.round(seconds);
        long low = Math.min(s, Math.round(seconds * Math.exp(-scratch[DOWN])));
        long high = Math.max(s, Math.round(seconds * Math.exp(scratch[UP])));
        return Optional.of(new Eta(s, low, high, band.confidence(scratch[DOWN], scratch[UP]), name()));
    }

    /**
     * From the models in {@code out}: the estimate (returned as its log, also in {@code out[FINAL]})
     * and its band as log distances below and above ({@code out[DOWN]}, {@code out[UP]}): how far past
     * predictions were off (learnt quantiles of the true / implied rate), widened by the models'
     * disagreement and, early on, by the road ahead. That widens the slow side only: what a run has
     * not shown yet (stalls, slowdowns, throttling, tasks added) makes it longer; a faster pace shows
     * up in the learnt quantiles.
     */
    private double estimate(double[] out) {
        double mean = combine(out);
        double spread = 0;
        double sw = 0;
        for (int i = 0; i < MODELS; i++) {
            if (!Double.isNaN(out[i])) {
                double d = Math.log(Math.max(out[i], 1) / out[BLEND]);
                spread += weight(i) * d * d;
                sw += weight(i);
            }
        }
        double ahead = 1 - percent / 100;
        // The models' disagreement counts in full where the estimate follows the blend, half where it
        // sits on the anchor (whose own misses the learnt quantiles already hold).
        double share = Double.isNaN(out[ANCHOR]) ? 1 : shrink.weight();
        double extra = 0.03 + (0.5 + 0.5 * share) * Math.sqrt(spread / sw);
        out[DOWN] = Math.max(0, band.high()) + extra; // faster than predicted: less time
        out[UP] = Math.max(0, -band.low()) + extra + 0.3 * ahead * ahead; // slower than predicted: more time
        return mean;
    }

    /**
     * The estimate: the blend shrunk towards the anchor (see {@link AnchorShrink}). Stores the blend,
     * the anchor and the estimate in {@code out}; returns the estimate's log.
     */
    private double combine(double[] out) {
        double b = blend(out);
        // The anchor: linear on priced work once a task type is priced (by the run or its history), else on percent.
        double anchor = !Double.isNaN(out[BlendModel.WORK_RUN.ordinal()]) || hasPriors
                ? out[BlendModel.WORK_RUN.ordinal()]
                : out[BlendModel.PERCENT_RUN.ordinal()];
        out[ANCHOR] = anchor;
        double log = Double.isNaN(anchor) ? b : shrink.combine(b, Math.log(Math.max(anchor, 1)));
        out[FINAL] = Math.exp(log);
        return log;
    }

    /** Weighted mean of the models' log remaining time; also stores the blend in {@code out[BLEND]}. */
    private double blend(double[] out) {
        double sw = 0;
        double mean = 0;
        for (int i = 0; i < MODELS; i++) {
            if (!Double.isNaN(out[i])) {
                double w = weight(i);
                sw += w;
                mean += w * Math.log(Math.max(out[i], 1));
            }
        }
        mean /= sw;
        out[BLEND] = Math.exp(mean);
        return mean;
    }

    /**
     * A model's smoothed backtest error. A work model not scored yet (none of its predictions has
     * come due) counts as good as the percent model over the same span, which it refines; a prior
     * would otherwise make it lose against a percent model that merely had its first scores.
     */
    private double error(int i) {
        BlendModel m = BlendModel.ALL[i];
        BlendModel refined = m.refines();
        double e = refined != null && !scored[i] ? error[refined.ordinal()] : error[i];
        // With priors, a percent model's near-term hits say little: it and the work models agree on the
        // next minutes and differ on the plan's slow parts ahead, which only the priced work foresees.
        return m.byPercent && hasPriors ? e + HISTORY_ERROR : e;
    }

    /**
     * Falls with the cube of the model's error. Not of its excess over the best model's: a score is
     * noisy in proportion to its size, so when every model errs by 40 % a lead of 5 points is luck,
     * and betting the blend on it made the estimator jump between models on independent traces.
     */
    private double weight(int i) {
        double e = Math.max(error(i), ERROR_FLOOR);
        return 1 / (e * e * e);
    }

    /** Remaining seconds per model at work time {@code a}; NaN where a model has no rate. */
    private boolean models(double a, Instant now, double[] out) {
        Arrays.fill(out, Double.NaN);
        if (!started || snapshots.isEmpty()) {
            return false;
        }
        work.at(a);
        int recent = snapshots.at(a - window(a));
        double doneWork = work.doneWork();
        double remainingWork = work.remainingWork(a);
        boolean any = false;
        for (int k = 0; k < 2; k++) {
            int i = k == 0 ? 0 : recent;
            double dt = a - snapshots.active(i);
            if (dt <= 0 || k == 1 && dt < MIN_WINDOW_SECONDS / 2) {
                continue; // a rate over a few seconds is noise, not a trend
            }
            double dp = percent - snapshots.percent(i);
            if (dp > 0) {
                out[BlendModel.of(true, k).ordinal()] = (100 - percent) * dt / dp;
                any = true;
            }
            double dw = doneWork - work.work(snapshots.done(i));
            if (dw > 0 && work.priced()) {
                out[BlendModel.of(false, k).ordinal()] = remainingWork * dt / dw;
                any = true;
            }
        }
        if (!Double.isNaN(out[BlendModel.PERCENT_RUN.ordinal()])) {
            out[BlendModel.EMA.ordinal()] = ema.remainingSeconds();
        }
        return any;
    }

    /**
     * Scores each model's prediction from half a window ago against the progress made since, in
     * the model's own units. Windows without progress teach nothing.
     */
    private void learn(double a, Instant now) {
        if (!models(a, now, scratch)) {
            return;
        }
        estimate(scratch);
        snapshots.predict(scratch);
        learnLong(a);
        double horizon = window(a) / 2;
        int j = snapshots.at(a - horizon);
        double[] then = snapshots.predicted(j);
        double dt = a - snapshots.active(j);
        if (then == null || dt <= 0) {
            return;
        }
        double weight = 1 - Math.exp(-Math.max(0, a - lastLearnAt) / horizon);
        lastLearnAt = Math.max(lastLearnAt, a);
        double dp = percent - snapshots.percent(j);
        double dw = work.doneWork() - work.work(snapshots.done(j));
        double remainingThen = work.remainingWork(a) + dw;
        for (int i = 0; i < MODELS; i++) {
            double r = then[i];
            if (Double.isNaN(r) || r <= 0) {
                continue;
            }
            boolean byPercent = BlendModel.ALL[i].byPercent;
            double implied = byPercent ? (100 - snapshots.percent(j)) / r : remainingThen / r;
            double actual = (byPercent ? dp : dw) / dt;
            if (actual > 0 && implied > 0) {
                double before = error(i); // a work model's first score continues from what it stood in for
                error[i] = (1 - weight) * before + weight * Math.min(Math.abs(Math.log(actual / implied)), 5);
                scored[i] = true;
            }
        }
        double r = then[FINAL];
        if (r > 0 && dp > 0) {
            double z = Math.max(-3, Math.min(3, Math.log(dp / dt * r / (100 - snapshots.percent(j)))));
            band.score(z, weight);
        }
    }

    /**
     * Scores the blend and the anchor on a long horizon (the remaining time then predicted, at most
     * half the run so far): a pace that held for a few minutes can still mislead over the rest.
     */
    private void learnLong(double a) {
        double horizon = Math.max(window(a) / 2, Math.min(scratch[FINAL], (a - snapshots.active(0)) / 2));
        int j = snapshots.at(a - horizon);
        double[] then = snapshots.predicted(j);
        double dt = a - snapshots.active(j);
        double dp = percent - snapshots.percent(j);
        if (then == null || dt <= 0 || dp <= 0) {
            return;
        }
        shrink.score(a, horizon, dp / dt, 100 - snapshots.percent(j), then[BLEND], then[ANCHOR]);
    }

    private double window(double a) {
        double gap = clock.typicalGap();
        double floor = Math.max(Math.max(MIN_WINDOW_SECONDS, GAP_WINDOWS * gap), TASK_WINDOWS * work.meanTaskSeconds());
        return Math.max(floor, WINDOW_FRACTION * (a - snapshots.active(0)));
    }

    /** Seconds of stall excluded from work time so far (for tests). */
    double stalledSeconds() {
        return clock.stalled();
    }
}

package dev.progresstracker.analytics;

/**
 * The models an {@link AdaptiveEstimator} blends (docs/eta.md): remaining time from the run percent
 * or from priced work, over the whole run or a recent window, and the EMA of the percent rate.
 */
enum BlendModel {
    PERCENT_RUN(true, false),
    PERCENT_RECENT(true, true),
    WORK_RUN(false, false),
    WORK_RECENT(false, true),
    EMA(true, true);

    static final BlendModel[] ALL = values();
    static final int COUNT = ALL.length;

    /** Measured in run percent (else in priced work). */
    final boolean byPercent;
    /** Follows recent progress (else the whole run): noisier, so trusted less without a track record. */
    final boolean recent;

    BlendModel(boolean byPercent, boolean recent) {
        this.byPercent = byPercent;
        this.recent = recent;
    }

    /** The percent model over the same span that a work model refines; null for the others. */
    BlendModel refines() {
        return this == WORK_RUN ? PERCENT_RUN : this == WORK_RECENT ? PERCENT_RECENT : null;
    }

    /** The whole-run (k = 0) or recent (k = 1) model in percent or work. */
    static BlendModel of(boolean byPercent, int k) {
        return byPercent ? (k == 0 ? PERCENT_RUN : PERCENT_RECENT) : (k == 0 ? WORK_RUN : WORK_RECENT);
    }
}

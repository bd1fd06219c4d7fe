package dev.progresstracker.analytics;

import dev.progresstracker.core.TaskStatus;
import dev.progresstracker.core.TaskType;

/**
 * Per type: weight of live leaves, weight done, completed durations per weight, and sums over
 * running leaves that make their own pace (see {@link WorkModel#remainingWork}) and the provisional
 * price (see {@link WorkModel#secondsPerWeight}) linear in "now", so both cost O(1) per type.
 */
final class WorkType {
    final int index;
    final TaskType type;
    double totalUnits;
    double totalWeight; // Σ weight of live leaves (converts a per-weight prior to a per-share price)
    double prior = Double.NaN; // seconds per weight from earlier runs, NaN without
    double doneUnits;
    int completed;
    double secondsPerWeightSum;
    double paceW; // Σ (1-p)            over paced leaves
    double paceWA; // Σ (1-p)·start
    double paceWPS; // Σ (1-p)·p·size
    int provN; // provisional leaves
    double provInv; // Σ 1/(p·size)
    double provA; // Σ start/(p·size)
    int silentN; // running leaves still at 0 %
    double silentStart; // Σ start over them
    double silentSize; // Σ size over them
    int runningReported; // running leaves that reported in their current attempt
    int gaps; // gaps between one leaf's reports (from its attempt's start), active time
    double gapSum;
    double gapSquares;

    WorkType(int index, TaskType type) {
        this.index = index;
        this.type = type;
    }

    void clearSums() {
        paceW = 0;
        paceWA = 0;
        paceWPS = 0;
        provN = 0;
        provInv = 0;
        provA = 0;
        silentN = 0;
        silentStart = 0;
        silentSize = 0;
        runningReported = 0;
    }

    /**
     * Adds ({@code sign} 1) or removes (-1) a leaf's terms of the running-leaf sums (the run counts
     * its running leaves that have not reported yet itself).
     */
    void contribute(WorkLeaf t, int sign) {
        double p = t.percent;
        if (t.status == TaskStatus.IN_PROGRESS && t.reported) {
            runningReported += sign;
        }
        if (t.silent()) {
            silentN += sign;
            silentStart += sign * t.attemptStart;
            silentSize += sign * t.size;
        }
        if (t.paced()) {
            paceW += sign * (1 - p);
            paceWA += sign * (1 - p) * t.attemptStart;
            paceWPS += sign * (1 - p) * p * t.size;
        }
        if (t.provisional()) {
            double inv = 1 / (p * t.size);
            provN += sign;
            provInv += sign * inv;
            provA += sign * t.attemptStart * inv;
        }
    }

    /** One gap between a leaf's reports (already capped, so one stall does not hide later ones). */
    void addGap(double gap) {
        gaps++;
        gapSum += gap;
        gapSquares += gap * gap;
    }

    /**
     * How long one of this type's tasks normally goes between reports, weighted by time (what a
     * random moment sees: Σgap² / Σgap), times {@code factor}; infinite until {@code minGaps} were seen.
     */
    double stallCap(double factor, int minGaps) {
        return gaps < minGaps || gapSum <= 0 ? Double.POSITIVE_INFINITY : factor * gapSquares / gapSum;
    }
}

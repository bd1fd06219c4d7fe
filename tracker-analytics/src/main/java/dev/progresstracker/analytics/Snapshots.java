package dev.progresstracker.analytics;

import java.util.Arrays;

/**
 * Past states of a run on the work-time axis, for rates over a recent window. Spacing grows with
 * the run (at most {@value #CAPACITY} entries; when full every other entry is dropped), so memory
 * is bounded and lookups are a binary search. Not thread-safe.
 */
final class Snapshots {

    static final int CAPACITY = 256;

    private final double[] active = new double[CAPACITY];
    private final double[] percent = new double[CAPACITY];
    private final double[][] done = new double[CAPACITY][];
    private final double[][] predicted = new double[CAPACITY][];
    private int size;
    private double spacing = 0.5;

    void clear() {
        size = 0;
        spacing = 0.5;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(double a, double p, double[] d) {
        if (size == CAPACITY) {
            thin();
        }
        active[size] = a;
        percent[size] = p;
        done[size] = d;
        predicted[size] = null;
        size++;
    }

    /** Records the models' predictions (remaining seconds) at the newest entry. */
    void predict(double[] remaining) {
        if (size > 0) {
            predicted[size - 1] = remaining.clone();
        }
    }

    double active(int i) {
        return active[i];
    }

    /** The predictions recorded at entry {@code i}, or null. */
    double[] predicted(int i) {
        return predicted[i];
    }

    double lastActive() {
        return size == 0 ? Double.NaN : active[size - 1];
    }

    /** True if a state at {@code a} should be added: none yet, or the newest is at least the current spacing older. */
    boolean due(double a) {
        return size == 0 || a - active[size - 1] >= spacing;
    }

    private void thin() {
        int j = 1; // keep the first entry: it anchors the whole-run rates
        for (int i = 2; i < size; i += 2) {
            active[j] = active[i];
            percent[j] = percent[i];
            done[j] = done[i];
            predicted[j] = predicted[i];
            j++;
        }
        Arrays.fill(done, j, size, null);
        Arrays.fill(predicted, j, size, null);
        size = j;
        spacing *= 2;
    }

    /** Index of the newest entry at or before {@code a}, or 0 if none. */
    int at(double a) {
        int lo = 0;
        int hi = size - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (active[mid] <= a) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    double percent(int i) {
        return percent[i];
    }

    double[] done(int i) {
        return done[i];
    }
}

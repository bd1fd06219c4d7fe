package dev.progresstracker.analytics;

import java.util.Arrays;

/** Completed durations of one type (the newest {@value #SAMPLES} kept for medians). */
final class TypeDurations {

    static final int SAMPLES = 256;

    int count;
    double sumSeconds;
    double maxSeconds;
    final double[] recent = new double[SAMPLES];
    private double median = Double.NaN; // cached until the next sample

    void add(double seconds) {
        median = Double.NaN;
        recent[count % SAMPLES] = seconds;
        count++;
        sumSeconds += seconds;
        maxSeconds = Math.max(maxSeconds, seconds);
    }

    double median() {
        int n = Math.min(count, SAMPLES);
        if (n > 0 && Double.isNaN(median)) {
            double[] c = Arrays.copyOf(recent, n);
            Arrays.sort(c);
            median = n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
        }
        return median;
    }
}

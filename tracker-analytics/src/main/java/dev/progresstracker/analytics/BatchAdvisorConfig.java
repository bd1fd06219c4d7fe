package dev.progresstracker.analytics;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link BatchSizeAdvisor}. Build with {@link #builder()}; the constructor
 * names the field it rejects.
 *
 * @param minBatchSize     recommendations never go below; default {@value #DEFAULT_MIN_BATCH_SIZE}
 * @param maxBatchSize     recommendations never go above; default {@value #DEFAULT_MAX_BATCH_SIZE}
 * @param initialBatchSize recommended before any batch was recorded; default {@value #DEFAULT_INITIAL_BATCH_SIZE}
 * @param window           recent batches the performance score looks at; default {@value #DEFAULT_WINDOW}
 * @param cooldown         minimum time between two size changes; default 5 min
 * @param successWeight    share of the score given to the success rate (the rest to relative throughput), 0..1; default {@value #DEFAULT_SUCCESS_WEIGHT}
 * @param historySize      batches kept for efficiency and time prediction; default {@value #DEFAULT_HISTORY_SIZE}
 */
public record BatchAdvisorConfig(int minBatchSize, int maxBatchSize, int initialBatchSize, int window, Duration cooldown,
                                 double successWeight, int historySize) {

    public static final int DEFAULT_MIN_BATCH_SIZE = 1;
    public static final int DEFAULT_MAX_BATCH_SIZE = 100;
    public static final int DEFAULT_INITIAL_BATCH_SIZE = 5;
    public static final int DEFAULT_WINDOW = 5;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
    public static final double DEFAULT_SUCCESS_WEIGHT = 0.6;
    public static final int DEFAULT_HISTORY_SIZE = 100;

    public BatchAdvisorConfig {
        if (minBatchSize < 1) {
            throw new IllegalArgumentException("minBatchSize must be at least 1, got " + minBatchSize);
        }
        if (maxBatchSize < minBatchSize) {
            throw new IllegalArgumentException("maxBatchSize (" + maxBatchSize + ") must be at least minBatchSize (" + minBatchSize + ")");
        }
        if (initialBatchSize < minBatchSize || initialBatchSize > maxBatchSize) {
            throw new IllegalArgumentException("initialBatchSize must be within minBatchSize..maxBatchSize ("
                    + minBatchSize + ".." + maxBatchSize + "), got " + initialBatchSize);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 batch, got " + window);
        }
        Objects.requireNonNull(cooldown, "cooldown must not be null");
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown must not be negative, got " + cooldown);
        }
        if (!(successWeight >= 0 && successWeight <= 1)) {
            throw new IllegalArgumentException("successWeight must be within 0..1, got " + successWeight);
        }
        if (historySize < window) {
            throw new IllegalArgumentException("historySize must be at least window (" + window + "), got " + historySize);
        }
    }

    public static BatchAdvisorConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private int minBatchSize = DEFAULT_MIN_BATCH_SIZE;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private int initialBatchSize = DEFAULT_INITIAL_BATCH_SIZE;
        private int window = DEFAULT_WINDOW;
        private Duration cooldown = DEFAULT_COOLDOWN;
        private double successWeight = DEFAULT_SUCCESS_WEIGHT;
        private int historySize = DEFAULT_HISTORY_SIZE;

        private Builder() {
        }

        public Builder minBatchSize(int v) { minBatchSize = v; return this; }

        public Builder maxBatchSize(int v) { maxBatchSize = v; return this; }

        public Builder initialBatchSize(int v) { initialBatchSize = v; return this; }

        public Builder window(int v) { window = v; return this; }

        public Builder cooldown(Duration v) { cooldown = v; return this; }

        public Builder successWeight(double v) { successWeight = v; return this; }

        public Builder historySize(int v) { historySize = v; return this; }

        public BatchAdvisorConfig build() {
            return new BatchAdvisorConfig(minBatchSize, maxBatchSize, initialBatchSize, window, cooldown, successWeight, historySize);
        }
    }
}

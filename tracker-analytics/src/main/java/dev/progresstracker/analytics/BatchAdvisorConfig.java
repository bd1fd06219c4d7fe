package dev.progresstracker.analytics;

import dev.progresstracker.core.config.ConfigBuilder;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import java.time.Duration;

/**
 * Immutable settings of a {@link BatchSizeAdvisor}. Build with {@link #builder()}; {@link #defaults()}
 * holds the defaults. Each property is declared once below as a {@link Setting}; the builder checks
 * every value as it is set and names the property it refuses; {@link Builder#build()} the rules
 * across properties.
 */
public record BatchAdvisorConfig(
        int minBatchSize,
        int maxBatchSize,
        int initialBatchSize,
        int window,
        Duration cooldown,
        double successWeight,
        int historySize) {

    public static final Setting<Integer> MIN_BATCH_SIZE =
            Setting.integer("minBatchSize", 1).atLeast(1).doc("recommendations never go below");
    public static final Setting<Integer> MAX_BATCH_SIZE = Setting.integer("maxBatchSize", 100)
            .atLeast(1)
            .doc("recommendations never go above; at least `minBatchSize`");
    public static final Setting<Integer> INITIAL_BATCH_SIZE = Setting.integer("initialBatchSize", 5)
            .atLeast(1)
            .doc("recommended before any batch was recorded; within `minBatchSize..maxBatchSize`");
    public static final Setting<Integer> WINDOW =
            Setting.integer("window", 5).atLeast(1).doc("recent batches the performance score looks at");
    public static final Setting<Duration> COOLDOWN = Setting.duration("cooldown", Duration.ofMinutes(5))
            .atLeast(Duration.ZERO)
            .doc("minimum time between two size changes");
    public static final Setting<Double> SUCCESS_WEIGHT = Setting.number("successWeight", 0.6)
            .range(0.0, 1.0)
            .doc("share of the score given to the success rate (the rest to relative throughput)");
    public static final Setting<Integer> HISTORY_SIZE = Setting.integer("historySize", 100)
            .atLeast(1)
            .doc("batches kept for efficiency and time prediction; at least `window`");

    public static final ConfigSpec<BatchAdvisorConfig> SPEC = ConfigSpec.of(
            BatchAdvisorConfig.class,
            MIN_BATCH_SIZE,
            MAX_BATCH_SIZE,
            INITIAL_BATCH_SIZE,
            WINDOW,
            COOLDOWN,
            SUCCESS_WEIGHT,
            HISTORY_SIZE);

    public BatchAdvisorConfig {
        SPEC.validate(minBatchSize, maxBatchSize, initialBatchSize, window, cooldown, successWeight, historySize);
        if (maxBatchSize < minBatchSize) {
            throw new IllegalArgumentException(
                    "maxBatchSize (" + maxBatchSize + ") must be at least minBatchSize (" + minBatchSize + ")");
        }
        if (initialBatchSize < minBatchSize || initialBatchSize > maxBatchSize) {
            throw new IllegalArgumentException("initialBatchSize must be within minBatchSize..maxBatchSize ("
                    + minBatchSize + ".." + maxBatchSize + "), got " + initialBatchSize);
        }
        if (historySize < window) {
            throw new IllegalArgumentException(
                    "historySize must be at least window (" + window + "), got " + historySize);
        }
    }

    public static BatchAdvisorConfig defaults() {
        return SPEC.defaults();
    }

    public static Builder builder() {
        return new Builder(null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builder with the defaults; each setter checks its value. */
    public static final class Builder extends ConfigBuilder<BatchAdvisorConfig, Builder> {
        /** A builder holding {@code from}'s values, or the defaults when it is null. */
        private Builder(BatchAdvisorConfig from) {
            super(SPEC, from);
        }

        public Builder minBatchSize(int v) {
            return set(MIN_BATCH_SIZE, v);
        }

        public Builder maxBatchSize(int v) {
            return set(MAX_BATCH_SIZE, v);
        }

        public Builder initialBatchSize(int v) {
            return set(INITIAL_BATCH_SIZE, v);
        }

        public Builder window(int v) {
            return set(WINDOW, v);
        }

        public Builder cooldown(Duration v) {
            return set(COOLDOWN, v);
        }

        public Builder successWeight(double v) {
            return set(SUCCESS_WEIGHT, v);
        }

        public Builder historySize(int v) {
            return set(HISTORY_SIZE, v);
        }
    }
}

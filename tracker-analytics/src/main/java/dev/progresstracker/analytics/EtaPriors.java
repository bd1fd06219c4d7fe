package dev.progresstracker.analytics;

import dev.progresstracker.core.TaskType;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link AdaptiveEstimator} assumes before a run has shown its own pace: the typical
 * seconds per unit of weight of a leaf task of each type, from earlier runs ({@link RunHistory#priors()}).
 * A run's own completed tasks take over as they come in (each prior counts as
 * {@value #STRENGTH} tasks of its type), so a run slower than its history moves away from it.
 *
 * @param secondsPerWeight per task type: median seconds of a completed leaf task divided by its weight (> 0)
 * @param runs             how many runs they were learnt from
 */
public record EtaPriors(Map<TaskType, Double> secondsPerWeight, int runs) {

    /** How many completed tasks of its type one prior is worth. */
    public static final double STRENGTH = 2;

    private static final EtaPriors NONE = new EtaPriors(Map.of(), 0);

    public EtaPriors {
        Objects.requireNonNull(secondsPerWeight, "secondsPerWeight must not be null");
        secondsPerWeight = Map.copyOf(secondsPerWeight);
        secondsPerWeight.forEach((type, s) -> {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException(
                        "the prior of task type " + type + " must be a positive number of seconds, got " + s);
            }
        });
        if (runs < 0) {
            throw new IllegalArgumentException("runs must not be negative, got " + runs);
        }
    }

    /** No priors: the estimator learns everything from the run itself. */
    public static EtaPriors none() {
        return NONE;
    }

    public boolean isEmpty() {
        return secondsPerWeight.isEmpty();
    }
}

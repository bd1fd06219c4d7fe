package dev.progresstracker.core.spi;

import dev.progresstracker.core.Alert;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link RunObserver} wants done to the run's alerts: the tracker clears {@code clear} first,
 * then raises {@code raise}, exactly as {@code ProgressTracker.clearAlert} and {@code raiseAlert}
 * would (an id already raised, or not raised, is left alone).
 *
 * @param raise alerts to raise, in order
 * @param clear ids of alerts to clear
 */
public record AlertChanges(List<Alert> raise, List<String> clear) {

    /** Nothing to change. */
    public static final AlertChanges NONE = new AlertChanges(List.of(), List.of());

    public AlertChanges {
        raise = List.copyOf(Objects.requireNonNull(raise, "raise must not be null"));
        clear = List.copyOf(Objects.requireNonNull(clear, "clear must not be null"));
    }

    public boolean isEmpty() {
        return raise.isEmpty() && clear.isEmpty();
    }
}

package dev.progresstracker.core.eta;

import dev.progresstracker.core.Eta;
import dev.progresstracker.core.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the replaced system did: remaining = elapsed / percent × (100 − percent), elapsed counted
 * from the first observation. No band (low = high = estimate); confidence grows with progress.
 */
public final class LinearEstimator implements EtaEstimator {

    private Instant start;
    private Instant lastTime;
    private double percent;

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public void observe(EtaSample sample) {
        if (start == null || sample.type() == EventType.UPGRADE_STARTED) {
            start = sample.time();
        }
        lastTime = sample.time();
        percent = sample.runPercent();
    }

    @Override
    public Optional<Eta> estimate(Instant now) {
        if (start == null || percent <= 0) {
            return Optional.empty();
        }
        if (percent >= 100) {
            return Optional.of(new Eta(0, 0, 0, 1.0, name()));
        }
        double elapsed =
                Duration.between(start, now.isBefore(lastTime) ? lastTime : now).toMillis() / 1000.0;
        long seconds = Math.round(elapsed / percent * (100 - percent));
        return Optional.of(new Eta(seconds, seconds, seconds, percent / 100.0, name()));
    }
}

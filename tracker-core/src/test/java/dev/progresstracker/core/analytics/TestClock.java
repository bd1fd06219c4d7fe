package dev.progresstracker.core.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock moved by hand (tracker-test's MutableClock cannot be used here: module cycle). */
final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-23T10:00:00Z");

    TestClock advance(Duration d) {
        now = now.plus(d);
        return this;
    }

    TestClock advanceSeconds(double s) {
        return advance(Duration.ofMillis(Math.round(s * 1000)));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}

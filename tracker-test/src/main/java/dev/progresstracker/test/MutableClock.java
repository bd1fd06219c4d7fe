package dev.progresstracker.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one test clock of the project: a UTC {@link Clock} that stands still until a test moves it
 * ({@link #advance}, {@link #advanceSeconds}, {@link #set}). Hand it to
 * {@code ProgressTracker.Builder.clock}, {@code TrackerFactory.Builder.clock} or any component
 * that takes a {@link Clock}, so that timestamps, ETAs, stall timeouts and idle times follow the
 * test's script instead of the machine's load. Thread-safe: readers on other threads (a sink's, a
 * timer's) see each move at once. Do not write another test clock: extend this one if it lacks
 * something.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /** A clock standing at {@code start}. */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** A clock standing at {@code isoInstant}, e.g. {@code "2026-11-23T10:00:00Z"}. */
    public static MutableClock at(String isoInstant) {
        return new MutableClock(Instant.parse(isoInstant));
    }

    /** Moves the clock forward by {@code d} (backwards if negative); returns this clock. */
    public synchronized MutableClock advance(Duration d) {
        now = now.plus(d);
        return this;
    }

    /** Moves the clock by {@code seconds}, rounded to the millisecond. */
    public MutableClock advanceSeconds(double seconds) {
        return advance(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    /** Puts the clock at {@code instant}. */
    public void set(Instant instant) {
        now = instant;
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

package dev.progresstracker.core;

import dev.progresstracker.core.eta.EtaEstimator;
import dev.progresstracker.core.internal.Dispatcher;
import dev.progresstracker.core.internal.RunOpening;
import dev.progresstracker.core.spi.AnalyticsHook;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.ProgressStore;
import dev.progresstracker.core.store.InMemoryProgressStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Shares one store and one set of sinks (one queue and thread each) among many trackers, one per
 * run: what an agent that upgrades several clusters, or the Guice {@code TrackerModule}, uses.
 * Closing a tracker it built flushes; closing the factory drains and closes sinks and store.
 * Thread-safe.
 */
public final class TrackerFactory implements AutoCloseable {

    private final Dispatcher dispatcher;
    private final Clock clock;
    private final TrackerConfig config;
    private final Supplier<? extends EtaEstimator> estimator;
    private final AnalyticsHook analytics;
    /** Open trackers by run id; the value's tracker is null while it is being built. */
    private final Map<String, Open> openRuns = new ConcurrentHashMap<>();

    private static final class Open {
        final Instant openedAt;
        volatile ProgressTracker tracker;

        Open(Instant openedAt) {
            this.openedAt = openedAt;
        }
    }

    private TrackerFactory(Builder b) {
        this.clock = b.clock;
        this.config = b.config;
        this.estimator = b.estimator;
        this.analytics = b.analytics;
        ProgressStore store = b.store != null ? b.store : new InMemoryProgressStore();
        RunOpening.requireFits(b.config, store);
        this.dispatcher = new Dispatcher(store, b.sinks, b.config);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder for one run's tracker; set its run id (and plan, cluster, attributes) and build. */
    public ProgressTracker.Builder tracker() {
        return new ProgressTracker.Builder(this);
    }

    /** A tracker for {@code runId}, resumed if the store has it. */
    public ProgressTracker tracker(String runId) {
        return tracker().runId(runId).build();
    }

    public ProgressStore store() {
        return dispatcher.store();
    }

    ProgressTracker open(ProgressTracker.Builder builder) {
        String runId = builder.runId();
        Open open = new Open(clock.instant());
        if (openRuns.putIfAbsent(runId, open) != null) {
            throw new IllegalStateException("run '" + runId + "' already has an open tracker in this factory");
        }
        try {
            ProgressTracker t = builder.buildShared(dispatcher, () -> openRuns.remove(runId, open));
            open.tracker = t;
            return t;
        } catch (RuntimeException e) {
            openRuns.remove(runId, open);
            throw e;
        }
    }

    /** The run ids of the trackers this factory built that are not closed yet, sorted. */
    public List<String> openRuns() {
        List<String> ids = new ArrayList<>();
        openRuns.forEach((id, o) -> {
            if (o.tracker != null) {
                ids.add(id);
            }
        });
        ids.sort(null);
        return ids;
    }

    /** The open tracker of {@code runId}, if this factory has one. */
    public Optional<ProgressTracker> openTracker(String runId) {
        Open o = openRuns.get(runId);
        return o == null ? Optional.empty() : Optional.ofNullable(o.tracker);
    }

    /**
     * Closes the open trackers whose run has had no event for longer than {@code idleFor} (by the
     * factory's clock; a tracker without events counts from when it was opened) and returns their
     * run ids, sorted. Closing flushes and leaves the run as it is in the store, to be resumed by a
     * new tracker. O(open runs).
     *
     * @throws IllegalArgumentException if {@code idleFor} is negative
     */
    public List<String> closeIdle(Duration idleFor) {
        Objects.requireNonNull(idleFor, "idleFor must not be null");
        if (idleFor.isNegative()) {
            throw new IllegalArgumentException("idleFor must not be negative, got " + idleFor);
        }
        Instant now = clock.instant();
        List<String> closed = new ArrayList<>();
        for (Map.Entry<String, Open> e : openRuns.entrySet()) {
            ProgressTracker t = e.getValue().tracker;
            if (t == null) {
                continue;
            }
            Instant updated = t.lastEventTime();
            Instant last = updated == null || updated.isBefore(e.getValue().openedAt) ? e.getValue().openedAt : updated;
            if (Duration.between(last, now).compareTo(idleFor) > 0) {
                t.close();
                closed.add(e.getKey());
            }
        }
        closed.sort(null);
        return closed;
    }

    Clock clock() {
        return clock;
    }

    TrackerConfig config() {
        return config;
    }

    Supplier<? extends EtaEstimator> estimator() {
        return estimator;
    }

    AnalyticsHook analytics() {
        return analytics;
    }

    /** Drains and closes every sink, then the store, within {@link TrackerConfig#closeTimeout()}. */
    @Override
    public void close() {
        dispatcher.close(config.closeTimeout());
    }

    /** Same defaults as {@link ProgressTracker#builder()}. */
    public static final class Builder {
        private ProgressStore store;
        private final List<EventSink> sinks = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private TrackerConfig config = TrackerConfig.defaults();
        private Supplier<? extends EtaEstimator> estimator;
        private AnalyticsHook analytics = AnalyticsHook.NONE;

        private Builder() {}

        public Builder store(ProgressStore store) {
            this.store = Objects.requireNonNull(store, "store must not be null");
            return this;
        }

        public Builder sink(EventSink sink) {
            this.sinks.add(Objects.requireNonNull(sink, "sink must not be null"));
            return this;
        }

        public Builder sinks(Collection<? extends EventSink> sinks) {
            sinks.forEach(this::sink);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        public Builder config(TrackerConfig config) {
            this.config = Objects.requireNonNull(config, "config must not be null");
            return this;
        }

        public Builder etaEstimator(Supplier<? extends EtaEstimator> estimator) {
            this.estimator = Objects.requireNonNull(estimator, "estimator must not be null");
            return this;
        }

        /** The analytics installed on every tracker; default {@link AnalyticsHook#NONE}. */
        public Builder analytics(AnalyticsHook analytics) {
            this.analytics = Objects.requireNonNull(analytics, "analytics must not be null");
            return this;
        }

        /**
         * Builds the factory.
         *
         * @throws IllegalArgumentException if the config's largest event exceeds the store's {@code maxEventBytes()}
         */
        public TrackerFactory build() {
            return new TrackerFactory(this);
        }
    }
}

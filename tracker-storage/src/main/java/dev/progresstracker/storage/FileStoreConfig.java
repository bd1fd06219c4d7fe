package dev.progresstracker.storage;

import dev.progresstracker.core.ConfigChecks;
import dev.progresstracker.core.EnvSettings;
import dev.progresstracker.journal.Durability;
import dev.progresstracker.journal.GroupCommitter;
import dev.progresstracker.journal.JournalConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Immutable settings of a {@link FileProgressStore}. Build with {@link #builder()}; {@link #defaults()}
 * holds the documented defaults; every builder checks its values and names the field it rejects.
 *
 * @param enabled            whether the Guice module installs the file store; default true
 * @param directory          root directory (runs live in {@code <directory>/runs/<runId>/}); default {@code data/progress-tracker}
 * @param durability         when an append completes; default {@link Durability#SYNC}
 * @param batchInterval      longest gap between fsyncs in BATCHED mode; default 50 ms
 * @param segmentBytes       journal segment size before rollover; default 64 MiB
 * @param maxEventBytes      largest event JSON accepted; default 8 MiB
 * @param maxQueuedBytes     journal bytes queued for the writer before appends wait; default 32 MiB
 * @param snapshotMinEvents  a snapshot is written once at least this many events arrived since the last
 *                           one; default {@value #DEFAULT_SNAPSHOT_MIN_EVENTS}
 * @param snapshotEventsPerTask and at least this many events per task of the last snapshot: bounds what a
 *                           crash leaves to replay (≈ 4 µs per event vs ≈ 1.4 µs per snapshot task) against
 *                           the volume of snapshot writes in big runs; default {@value #DEFAULT_SNAPSHOT_EVENTS_PER_TASK}
 * @param retainedEvents     events kept in the journal behind the newest snapshot for {@code eventsSince};
 *                           default {@value #DEFAULT_RETAINED_EVENTS}
 * @param snapshotOnClose    whether {@code close()} writes a final snapshot (fast next start); default true
 * @param retentionMaxAge    finished runs older than this are deleted; null keeps them; default 30 days
 * @param retentionKeepLast  at most this many finished runs are kept (newest first); 0 for no limit; default 0
 * @param retentionInterval  how often retention runs in the background; default 1 hour
 * @param acceptLoss         whether opening a run that cannot be restored up to the highest sequence its files
 *                           evidence loads what is left (WARN naming both numbers, recorded in the run marker)
 *                           instead of throwing; default false. Prefer the per-run
 *                           {@link FileProgressStore#loadRunAcceptingLoss(String)} after looking at the run
 */
public record FileStoreConfig(
        boolean enabled,
        Path directory,
        Durability durability,
        Duration batchInterval,
        long segmentBytes,
        int maxEventBytes,
        long maxQueuedBytes,
        long snapshotMinEvents,
        double snapshotEventsPerTask,
        long retainedEvents,
        boolean snapshotOnClose,
        Duration retentionMaxAge,
        int retentionKeepLast,
        Duration retentionInterval,
        boolean acceptLoss) {

    public static final Path DEFAULT_DIRECTORY = Path.of("data", "progress-tracker");
    public static final Durability DEFAULT_DURABILITY = Durability.SYNC;
    public static final Duration DEFAULT_BATCH_INTERVAL = JournalConfig.DEFAULT_BATCH_INTERVAL;
    public static final long DEFAULT_SEGMENT_BYTES = JournalConfig.DEFAULT_SEGMENT_BYTES;
    public static final int DEFAULT_MAX_EVENT_BYTES = JournalConfig.DEFAULT_MAX_RECORD_BYTES;
    public static final long DEFAULT_MAX_QUEUED_BYTES = GroupCommitter.DEFAULT_MAX_QUEUED_BYTES;
    public static final long DEFAULT_SNAPSHOT_MIN_EVENTS = 10_000;
    public static final double DEFAULT_SNAPSHOT_EVENTS_PER_TASK = 0.25;
    public static final long DEFAULT_RETAINED_EVENTS = 10_000;
    public static final Duration DEFAULT_RETENTION_MAX_AGE = Duration.ofDays(30);
    public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofHours(1);

    private static final FileStoreConfig DEFAULTS = builder().build();

    public FileStoreConfig {
        Objects.requireNonNull(directory, "directory must not be null");
        Objects.requireNonNull(retentionInterval, "retentionInterval must not be null");
        // JournalConfig checks durability, batchInterval, segmentBytes and maxEventBytes (as maxRecordBytes).
        try {
            new JournalConfig(durability, batchInterval, segmentBytes, maxEventBytes);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(e.getMessage().replace("maxRecordBytes", "maxEventBytes"), e);
        }
        if (maxQueuedBytes < 1024) {
            throw new IllegalArgumentException("maxQueuedBytes must be at least 1024, got " + maxQueuedBytes);
        }
        if (snapshotMinEvents < 1) {
            throw new IllegalArgumentException("snapshotMinEvents must be at least 1, got " + snapshotMinEvents);
        }
        ConfigChecks.requirePositive("snapshotEventsPerTask", snapshotEventsPerTask);
        if (retainedEvents < 0) {
            throw new IllegalArgumentException("retainedEvents must not be negative, got " + retainedEvents);
        }
        if (retentionMaxAge != null && (retentionMaxAge.isNegative() || retentionMaxAge.isZero())) {
            throw new IllegalArgumentException("retentionMaxAge must be positive (or null to keep runs), got "
                    + retentionMaxAge);
        }
        if (retentionKeepLast < 0) {
            throw new IllegalArgumentException("retentionKeepLast must not be negative, got " + retentionKeepLast);
        }
        if (retentionInterval.toMillis() < 1) {
            throw new IllegalArgumentException("retentionInterval must be at least 1 ms, got " + retentionInterval);
        }
    }

    public static FileStoreConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The journal settings of each run. */
    public JournalConfig journalConfig() {
        return new JournalConfig(durability, batchInterval, segmentBytes, maxEventBytes);
    }

    public Builder toBuilder() {
        return new Builder().enabled(enabled).directory(directory).durability(durability).batchInterval(batchInterval)
                .segmentBytes(segmentBytes).maxEventBytes(maxEventBytes).maxQueuedBytes(maxQueuedBytes)
                .snapshotMinEvents(snapshotMinEvents).snapshotEventsPerTask(snapshotEventsPerTask).retainedEvents(retainedEvents).snapshotOnClose(snapshotOnClose)
                .retentionMaxAge(retentionMaxAge).retentionKeepLast(retentionKeepLast)
                .retentionInterval(retentionInterval).acceptLoss(acceptLoss);
    }

    /**
     * Defaults overridden by {@code TRACKER_STORAGE_ENABLED}, {@code TRACKER_STORAGE_DIR},
     * {@code TRACKER_STORAGE_DURABILITY} (SYNC, BATCHED, NONE), {@code TRACKER_STORAGE_BATCH_INTERVAL},
     * {@code TRACKER_STORAGE_SEGMENT_BYTES}, {@code TRACKER_STORAGE_MAX_EVENT_BYTES},
     * {@code TRACKER_STORAGE_SNAPSHOT_MIN_EVENTS}, {@code TRACKER_STORAGE_SNAPSHOT_EVENTS_PER_TASK},
     * {@code TRACKER_STORAGE_RETAINED_EVENTS},
     * {@code TRACKER_STORAGE_SNAPSHOT_ON_CLOSE}, {@code TRACKER_STORAGE_RETENTION_MAX_AGE} (ISO-8601 such as
     * {@code P30D}, or {@code off}), {@code TRACKER_STORAGE_RETENTION_KEEP_LAST},
     * {@code TRACKER_STORAGE_RETENTION_INTERVAL}, {@code TRACKER_STORAGE_ACCEPT_LOSS}; durations are ISO-8601 or milliseconds.
     */
    public static FileStoreConfig fromEnvironment(Function<String, String> env) {
        Builder b = builder();
        EnvSettings s = new EnvSettings(env);
        s.bool("TRACKER_STORAGE_ENABLED").ifPresent(b::enabled);
        s.string("TRACKER_STORAGE_DIR").ifPresent(v -> b.directory(Path.of(v)));
        s.string("TRACKER_STORAGE_DURABILITY")
                .ifPresent(v -> b.durability(s.enumValue(Durability.class, "TRACKER_STORAGE_DURABILITY", v)));
        s.duration("TRACKER_STORAGE_BATCH_INTERVAL").ifPresent(b::batchInterval);
        s.integer("TRACKER_STORAGE_SEGMENT_BYTES").ifPresent(b::segmentBytes);
        s.integer("TRACKER_STORAGE_MAX_EVENT_BYTES").ifPresent(b::maxEventBytes);
        s.integer("TRACKER_STORAGE_SNAPSHOT_MIN_EVENTS").ifPresent(b::snapshotMinEvents);
        s.number("TRACKER_STORAGE_SNAPSHOT_EVENTS_PER_TASK").ifPresent(b::snapshotEventsPerTask);
        s.integer("TRACKER_STORAGE_RETAINED_EVENTS").ifPresent(b::retainedEvents);
        s.bool("TRACKER_STORAGE_SNAPSHOT_ON_CLOSE").ifPresent(b::snapshotOnClose);
        s.string("TRACKER_STORAGE_RETENTION_MAX_AGE").ifPresent(v -> b.retentionMaxAge(
                v.equalsIgnoreCase("off") ? null : s.duration("TRACKER_STORAGE_RETENTION_MAX_AGE").orElseThrow()));
        s.integer("TRACKER_STORAGE_RETENTION_KEEP_LAST").ifPresent(b::retentionKeepLast);
        s.duration("TRACKER_STORAGE_RETENTION_INTERVAL").ifPresent(b::retentionInterval);
        s.bool("TRACKER_STORAGE_ACCEPT_LOSS").ifPresent(b::acceptLoss);
        return b.build();
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static FileStoreConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private boolean enabled = true;
        private Path directory = DEFAULT_DIRECTORY;
        private Durability durability = DEFAULT_DURABILITY;
        private Duration batchInterval = DEFAULT_BATCH_INTERVAL;
        private long segmentBytes = DEFAULT_SEGMENT_BYTES;
        private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private long snapshotMinEvents = DEFAULT_SNAPSHOT_MIN_EVENTS;
        private double snapshotEventsPerTask = DEFAULT_SNAPSHOT_EVENTS_PER_TASK;
        private long retainedEvents = DEFAULT_RETAINED_EVENTS;
        private boolean snapshotOnClose = true;
        private Duration retentionMaxAge = DEFAULT_RETENTION_MAX_AGE;
        private int retentionKeepLast;
        private Duration retentionInterval = DEFAULT_RETENTION_INTERVAL;
        private boolean acceptLoss;

        private Builder() {
        }

        /** Load runs that cannot be restored in full instead of refusing them (logged at WARN); default false. */
        public Builder acceptLoss(boolean v) {
            this.acceptLoss = v;
            return this;
        }

        public Builder enabled(boolean v) {
            this.enabled = v;
            return this;
        }

        public Builder directory(Path v) {
            this.directory = v;
            return this;
        }

        public Builder durability(Durability v) {
            this.durability = v;
            return this;
        }

        public Builder batchInterval(Duration v) {
            this.batchInterval = v;
            return this;
        }

        public Builder segmentBytes(long v) {
            this.segmentBytes = v;
            return this;
        }

        public Builder maxEventBytes(int v) {
            this.maxEventBytes = v;
            return this;
        }

        public Builder maxQueuedBytes(long v) {
            this.maxQueuedBytes = v;
            return this;
        }

        public Builder snapshotMinEvents(long v) {
            this.snapshotMinEvents = v;
            return this;
        }

        public Builder retainedEvents(long v) {
            this.retainedEvents = v;
            return this;
        }

        public Builder snapshotEventsPerTask(double v) {
            this.snapshotEventsPerTask = v;
            return this;
        }

        public Builder snapshotOnClose(boolean v) {
            this.snapshotOnClose = v;
            return this;
        }

        /** Null keeps finished runs regardless of age. */
        public Builder retentionMaxAge(Duration v) {
            this.retentionMaxAge = v;
            return this;
        }

        public Builder retentionKeepLast(int v) {
            this.retentionKeepLast = v;
            return this;
        }

        public Builder retentionInterval(Duration v) {
            this.retentionInterval = v;
            return this;
        }

        public FileStoreConfig build() {
            return new FileStoreConfig(enabled, directory, durability, batchInterval, segmentBytes, maxEventBytes,
                    maxQueuedBytes, snapshotMinEvents, snapshotEventsPerTask, retainedEvents, snapshotOnClose, retentionMaxAge,
                    retentionKeepLast, retentionInterval, acceptLoss);
        }
    }
}

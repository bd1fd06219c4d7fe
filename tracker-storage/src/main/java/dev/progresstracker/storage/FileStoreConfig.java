package dev.progresstracker.storage;

import dev.progresstracker.core.config.ConfigBuilder;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import dev.progresstracker.journal.Durability;
import dev.progresstracker.journal.GroupCommitter;
import dev.progresstracker.journal.JournalConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Immutable settings of a {@link FileProgressStore}. Build with {@link #builder()}; {@link #defaults()}
 * holds the defaults. Each property is declared once below as a {@link Setting}; the journal's
 * ({@code durability}, {@code batchInterval}, {@code segmentBytes}, {@code maxEventBytes}) are those
 * of the {@link JournalConfig} it holds, declared in {@code JournalSettings} and read from
 * {@code TRACKER_STORAGE_}-prefixed variables. The builder checks every value as it is set and names
 * the property it refuses.
 */
public record FileStoreConfig(
        boolean enabled,
        Path directory,
        JournalConfig journalConfig,
        long maxQueuedBytes,
        long snapshotMinEvents,
        double snapshotEventsPerTask,
        long retainedEvents,
        boolean snapshotOnClose,
        Duration retentionMaxAge,
        int retentionKeepLast,
        Duration retentionInterval,
        boolean acceptLoss) {

    public static final Setting<Boolean> ENABLED = Setting.flag("enabled", true)
            .env("TRACKER_STORAGE_ENABLED")
            .doc("whether the Guice module installs the file store");
    public static final Setting<Path> DIRECTORY = Setting.path("directory", Path.of("data", "progress-tracker"))
            .env("TRACKER_STORAGE_DIR")
            .doc("root directory; runs live in `<directory>/runs/<runId>/`");
    public static final Setting<JournalConfig> JOURNAL = Setting.nested(
                    "journalConfig", JournalSettings.SPEC, "TRACKER_STORAGE_")
            .doc("the journal settings of each run");
    public static final Setting<Long> MAX_QUEUED_BYTES = Setting.longInteger(
                    "maxQueuedBytes", GroupCommitter.DEFAULT_MAX_QUEUED_BYTES)
            .atLeast(1024L)
            .bytes()
            .doc(
                    "journal bytes queued for the writer before appends wait; also the backlog of a failing run above which `health(runId)` says REFUSING");
    public static final Setting<Long> SNAPSHOT_MIN_EVENTS = Setting.longInteger("snapshotMinEvents", 10_000)
            .atLeast(1L)
            .env("TRACKER_STORAGE_SNAPSHOT_MIN_EVENTS")
            .doc("a snapshot is written once at least this many events arrived since the last one…");
    public static final Setting<Double> SNAPSHOT_EVENTS_PER_TASK = Setting.number("snapshotEventsPerTask", 0.25)
            .above(0.0)
            .env("TRACKER_STORAGE_SNAPSHOT_EVENTS_PER_TASK")
            .doc(
                    "…and at least this many per task of the last snapshot: bounds what a crash leaves to replay against the volume of snapshot writes");
    public static final Setting<Long> RETAINED_EVENTS = Setting.longInteger("retainedEvents", 10_000)
            .atLeast(0L)
            .env("TRACKER_STORAGE_RETAINED_EVENTS")
            .doc("events kept in the journal behind the newest snapshot for `eventsSince`");
    public static final Setting<Boolean> SNAPSHOT_ON_CLOSE = Setting.flag("snapshotOnClose", true)
            .env("TRACKER_STORAGE_SNAPSHOT_ON_CLOSE")
            .doc("whether `close()` writes a final snapshot (fast next start)");
    public static final Setting<Duration> RETENTION_MAX_AGE = Setting.duration("retentionMaxAge", Duration.ofDays(30))
            .above(Duration.ZERO)
            .optional("keep")
            .env("TRACKER_STORAGE_RETENTION_MAX_AGE")
            .doc("finished runs older than this are deleted; none (`off`) keeps them");
    public static final Setting<Integer> RETENTION_KEEP_LAST = Setting.integer("retentionKeepLast", 0)
            .atLeast(0)
            .env("TRACKER_STORAGE_RETENTION_KEEP_LAST")
            .doc("at most this many finished runs are kept (newest first); 0 for no limit");
    public static final Setting<Duration> RETENTION_INTERVAL = Setting.duration(
                    "retentionInterval", Duration.ofHours(1))
            .atLeast(Duration.ofMillis(1))
            .env("TRACKER_STORAGE_RETENTION_INTERVAL")
            .doc("how often retention runs in the background");
    public static final Setting<Boolean> ACCEPT_LOSS = Setting.flag("acceptLoss", false)
            .env("TRACKER_STORAGE_ACCEPT_LOSS")
            .doc(
                    "load a run that cannot be restored up to its evidenced sequence (WARN, recorded in `run.json`) instead of refusing it; prefer `loadRunAcceptingLoss(runId)`");

    public static final ConfigSpec<FileStoreConfig> SPEC = ConfigSpec.of(
            FileStoreConfig.class,
            ENABLED,
            DIRECTORY,
            JOURNAL,
            MAX_QUEUED_BYTES,
            SNAPSHOT_MIN_EVENTS,
            SNAPSHOT_EVENTS_PER_TASK,
            RETAINED_EVENTS,
            SNAPSHOT_ON_CLOSE,
            RETENTION_MAX_AGE,
            RETENTION_KEEP_LAST,
            RETENTION_INTERVAL,
            ACCEPT_LOSS);

    public FileStoreConfig {
        SPEC.validate(
                enabled,
                directory,
                journalConfig,
                maxQueuedBytes,
                snapshotMinEvents,
                snapshotEventsPerTask,
                retainedEvents,
                snapshotOnClose,
                retentionMaxAge,
                retentionKeepLast,
                retentionInterval,
                acceptLoss);
    }

    public static FileStoreConfig defaults() {
        return SPEC.defaults();
    }

    public static Builder builder() {
        return new Builder(null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** When an append completes: the journal's. */
    public Durability durability() {
        return journalConfig.durability();
    }

    /** Longest gap between fsyncs in BATCHED mode: the journal's. */
    public Duration batchInterval() {
        return journalConfig.batchInterval();
    }

    /** Journal segment size before rollover: the journal's. */
    public long segmentBytes() {
        return journalConfig.segmentBytes();
    }

    /** Largest event JSON accepted: the journal's largest record. */
    public int maxEventBytes() {
        return journalConfig.maxRecordBytes();
    }

    /**
     * Defaults overridden by the environment variables of the settings above and of the journal's,
     * prefixed {@code TRACKER_STORAGE_} ({@code TRACKER_STORAGE_DURABILITY}, …); {@code
     * TRACKER_STORAGE_RETENTION_MAX_AGE=off} keeps runs; durations are ISO-8601 or milliseconds.
     */
    public static FileStoreConfig fromEnvironment(Function<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static FileStoreConfig fromEnvironment(Map<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Builder with the defaults; each setter checks its value. */
    public static final class Builder extends ConfigBuilder<FileStoreConfig, Builder> {
        /** A builder holding {@code from}'s values, or the defaults when it is null. */
        private Builder(FileStoreConfig from) {
            super(SPEC, from);
        }

        public Builder enabled(boolean v) {
            return set(ENABLED, v);
        }

        public Builder directory(Path v) {
            return set(DIRECTORY, v);
        }

        public Builder journalConfig(JournalConfig v) {
            return set(JOURNAL, v);
        }

        public Builder durability(Durability v) {
            return set(JOURNAL, get(JOURNAL).toBuilder().durability(v).build());
        }

        public Builder batchInterval(Duration v) {
            return set(JOURNAL, get(JOURNAL).toBuilder().batchInterval(v).build());
        }

        public Builder segmentBytes(long v) {
            return set(JOURNAL, get(JOURNAL).toBuilder().segmentBytes(v).build());
        }

        /** The journal's {@code maxRecordBytes}. */
        public Builder maxEventBytes(int v) {
            return set(JOURNAL, get(JOURNAL).toBuilder().maxRecordBytes(v).build());
        }

        public Builder maxQueuedBytes(long v) {
            return set(MAX_QUEUED_BYTES, v);
        }

        public Builder snapshotMinEvents(long v) {
            return set(SNAPSHOT_MIN_EVENTS, v);
        }

        public Builder snapshotEventsPerTask(double v) {
            return set(SNAPSHOT_EVENTS_PER_TASK, v);
        }

        public Builder retainedEvents(long v) {
            return set(RETAINED_EVENTS, v);
        }

        public Builder snapshotOnClose(boolean v) {
            return set(SNAPSHOT_ON_CLOSE, v);
        }

        /** Null keeps finished runs regardless of age. */
        public Builder retentionMaxAge(Duration v) {
            return set(RETENTION_MAX_AGE, v);
        }

        public Builder retentionKeepLast(int v) {
            return set(RETENTION_KEEP_LAST, v);
        }

        public Builder retentionInterval(Duration v) {
            return set(RETENTION_INTERVAL, v);
        }

        /** Load runs that cannot be restored in full instead of refusing them (logged at WARN). */
        public Builder acceptLoss(boolean v) {
            return set(ACCEPT_LOSS, v);
        }
    }
}

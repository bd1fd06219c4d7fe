package dev.progresstracker.storage;

import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import dev.progresstracker.journal.Durability;
import dev.progresstracker.journal.JournalConfig;
import java.time.Duration;

/**
 * The journal's settings as the file store declares them: environment variables (relative; {@link
 * FileStoreConfig} puts {@code TRACKER_STORAGE_} in front), docs and bounds. The journal depends on
 * no other module and keeps its own checks; defaults and bounds are its constants, so the numbers
 * live in one place.
 */
final class JournalSettings {
    static final Setting<Durability> DURABILITY = Setting.choice(
                    "durability", Durability.class, JournalConfig.DEFAULT_DURABILITY)
            .env("DURABILITY")
            .doc("when an append completes: `SYNC`, `BATCHED`, `NONE`");
    static final Setting<Duration> BATCH_INTERVAL = Setting.duration(
                    "batchInterval", JournalConfig.DEFAULT_BATCH_INTERVAL)
            .atLeast(JournalConfig.MIN_BATCH_INTERVAL)
            .env("BATCH_INTERVAL")
            .doc("longest time between fsyncs in `BATCHED` mode");
    static final Setting<Long> SEGMENT_BYTES = Setting.longInteger("segmentBytes", JournalConfig.DEFAULT_SEGMENT_BYTES)
            .range(JournalConfig.MIN_SEGMENT_BYTES, JournalConfig.MAX_SEGMENT_BYTES)
            .bytes()
            .env("SEGMENT_BYTES")
            .doc("a segment file is rolled over once it would grow past this");
    static final Setting<Integer> MAX_RECORD_BYTES = Setting.integer(
                    "maxRecordBytes", JournalConfig.DEFAULT_MAX_RECORD_BYTES)
            .range(JournalConfig.MIN_RECORD_BYTES, JournalConfig.MAX_RECORD_BYTES)
            .bytes()
            .env("MAX_EVENT_BYTES")
            .doc(
                    "largest event JSON (`maxEventBytes`); longer appends are refused, a longer frame on disk counts as corrupt");

    static final ConfigSpec<JournalConfig> SPEC =
            ConfigSpec.of(JournalConfig.class, DURABILITY, BATCH_INTERVAL, SEGMENT_BYTES, MAX_RECORD_BYTES);

    private JournalSettings() {}
}

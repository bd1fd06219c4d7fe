package dev.progresstracker.storage.journal;

import dev.progresstracker.core.config.ConfigBuilder;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;

import java.time.Duration;

/**
 * Settings of a {@link Journal}. Build with {@link #builder()}; {@link #defaults()} holds the
 * defaults. Each property is declared once below as a {@link Setting}; the builder checks every
 * value as it is set and names the property it refuses. The environment variables are relative:
 * a configuration holding a journal's settings puts its prefix in front ({@code TRACKER_STORAGE_}).
 */
public record JournalConfig(Durability durability, Duration batchInterval, long segmentBytes, int maxRecordBytes) {

    /** Largest allowed {@code segmentBytes}: offsets inside a segment stay below 2 GiB. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;

    public static final Setting<Durability> DURABILITY = Setting.choice("durability", Durability.class, Durability.SYNC)
            .env("DURABILITY").doc("when an append completes: `SYNC`, `BATCHED`, `NONE`");
    public static final Setting<Duration> BATCH_INTERVAL = Setting.duration("batchInterval", Duration.ofMillis(50))
            .atLeast(Duration.ofMillis(1)).env("BATCH_INTERVAL").doc("longest time between fsyncs in `BATCHED` mode");
    public static final Setting<Long> SEGMENT_BYTES = Setting.longInteger("segmentBytes", 64L << 20)
            .range(4096L, MAX_SEGMENT_BYTES).bytes().env("SEGMENT_BYTES").doc("a segment file is rolled over once it would grow past this");
    public static final Setting<Integer> MAX_RECORD_BYTES = Setting.integer("maxRecordBytes", 8 << 20)
            .range(16, 256 << 20).bytes().env("MAX_EVENT_BYTES")
            .doc("largest record (event JSON); longer appends are refused, a longer frame on disk counts as corrupt");

    public static final ConfigSpec<JournalConfig> SPEC = ConfigSpec.of(JournalConfig.class, DURABILITY, BATCH_INTERVAL,
            SEGMENT_BYTES, MAX_RECORD_BYTES);

    public JournalConfig {
        SPEC.validate(durability, batchInterval, segmentBytes, maxRecordBytes);
    }

    public static JournalConfig defaults() {
        return SPEC.defaults();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builder with the defaults; each setter checks its value. */
    public static final class Builder extends ConfigBuilder<JournalConfig, Builder> {
        private Builder() {
            super(SPEC);
        }

        private Builder(JournalConfig from) {
            super(SPEC, from);
        }

        public Builder durability(Durability v) { return set(DURABILITY, v); }

        public Builder batchInterval(Duration v) { return set(BATCH_INTERVAL, v); }

        public Builder segmentBytes(long v) { return set(SEGMENT_BYTES, v); }

        public Builder maxRecordBytes(int v) { return set(MAX_RECORD_BYTES, v); }
    }
}

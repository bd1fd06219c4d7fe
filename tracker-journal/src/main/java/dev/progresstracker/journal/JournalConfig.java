package dev.progresstracker.journal;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link Journal}. Build with {@link #builder()}; {@link #defaults()} holds the
 * documented defaults. Every builder checks its values and names the field it rejects. The journal
 * depends on no other module, so this record keeps its own checks; the file store declares these
 * settings (environment variables, README table) from the constants here ({@code JournalSettings}).
 *
 * @param durability     when an append completes; default {@link Durability#SYNC}
 * @param batchInterval  longest time between fsyncs in {@link Durability#BATCHED} mode; default 50 ms
 * @param segmentBytes   a segment file is rolled over once it would grow past this; default 64 MiB
 * @param maxRecordBytes largest record payload; longer appends are rejected and a longer frame on disk
 *                       counts as corrupt; default {@value #DEFAULT_MAX_RECORD_BYTES}
 */
public record JournalConfig(Durability durability, Duration batchInterval, long segmentBytes, int maxRecordBytes) {

    public static final Durability DEFAULT_DURABILITY = Durability.SYNC;
    public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofMillis(50);
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;
    /** Bounds of the settings, public so that a configuration holding a journal's can declare them. */
    public static final Duration MIN_BATCH_INTERVAL = Duration.ofMillis(1);

    public static final long MIN_SEGMENT_BYTES = 4096;
    /** Largest allowed {@code segmentBytes}: offsets inside a segment stay below 2 GiB. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;

    public static final int MIN_RECORD_BYTES = 16;
    public static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;

    private static final JournalConfig DEFAULTS = builder().build();

    public JournalConfig {
        Objects.requireNonNull(durability, "durability must not be null");
        Objects.requireNonNull(batchInterval, "batchInterval must not be null");
        if (batchInterval.compareTo(MIN_BATCH_INTERVAL) < 0) {
            throw new IllegalArgumentException("batchInterval must be at least 1 ms, got " + batchInterval);
        }
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be between " + MIN_SEGMENT_BYTES + " and "
                    + MAX_SEGMENT_BYTES + ", got " + segmentBytes);
        }
        if (maxRecordBytes < MIN_RECORD_BYTES || maxRecordBytes > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("maxRecordBytes must be between " + MIN_RECORD_BYTES + " and "
                    + MAX_RECORD_BYTES + ", got " + maxRecordBytes);
        }
    }

    public static JournalConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .durability(durability)
                .batchInterval(batchInterval)
                .segmentBytes(segmentBytes)
                .maxRecordBytes(maxRecordBytes);
    }

    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private Durability durability = DEFAULT_DURABILITY;
        private Duration batchInterval = DEFAULT_BATCH_INTERVAL;
        private long segmentBytes = DEFAULT_SEGMENT_BYTES;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;

        private Builder() {}

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

        public Builder maxRecordBytes(int v) {
            this.maxRecordBytes = v;
            return this;
        }

        public JournalConfig build() {
            return new JournalConfig(durability, batchInterval, segmentBytes, maxRecordBytes);
        }
    }
}

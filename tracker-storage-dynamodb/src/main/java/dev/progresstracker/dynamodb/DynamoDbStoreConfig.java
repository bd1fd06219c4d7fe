package dev.progresstracker.dynamodb;

import dev.progresstracker.core.EnvSettings;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.Objects;
import java.net.URI;
import java.time.Duration;

/**
 * Immutable settings of a {@link DynamoDbProgressStore}. Build with {@link #builder()};
 * {@link #defaults()} holds the documented defaults. The builder names the field it rejects.
 *
 * @param tableName                the single table holding every run; default {@value #DEFAULT_TABLE_NAME}
 * @param progressCoalesceInterval how long a {@code task.progress} event may wait for a newer one of the same
 *                                 task to replace it; {@link Duration#ZERO} writes every event; default 1 s
 * @param retention                items expire (DynamoDB TTL) this long after their last write;
 *                                 {@link Duration#ZERO} sets no TTL attribute; default 30 days
 * @param maxItemBytes             largest item written; events whose wire JSON is longer than this less 512 bytes
 *                                 ({@code maxEventBytes()}) lose their task {@code details} (with a marker); default
 *                                 {@value #DEFAULT_MAX_ITEM_BYTES}, at most 400 KB (DynamoDB's limit)
 * @param writeAttempts            attempts per write (throttling, 5xx, timeouts) before the run's writes fail;
 *                                 default {@value #DEFAULT_WRITE_ATTEMPTS}
 * @param writeRetryBaseDelay      first retry delay, doubled per attempt with jitter (cap 5 s); default 50 ms
 * @param writeAttemptTimeout      longest one store attempt may take, the SDK's own retries included (the
 *                                 request's API call timeout); default 10 s
 * @param writeTimeout             longest one write may be retried before its events fail, whatever
 *                                 {@code writeAttempts} allows; default 60 s
 * @param retryWarnAfter           a write failing (or unanswered) for this long logs one WARN and counts in
 *                                 {@code stats().retryWarnings}; must be shorter than {@code writeTimeout}; default 5 s
 * @param maxRunStateBytes         largest compressed run state (split over several items when it outgrows one);
 *                                 the run is refused before it could grow past it; default {@value #DEFAULT_MAX_RUN_STATE_BYTES}
 * @param closeTimeout             how long {@code close()} waits for pending writes before failing them; default 30 s
 * @param endpoint                 endpoint override for the client the Guice module builds (emulators); default none
 * @param region                   region for the client the Guice module builds; default: the SDK's chain
 * @param createTableIfMissing     whether the Guice module creates the table on start (development); default false
 */
public record DynamoDbStoreConfig(
        String tableName,
        Duration progressCoalesceInterval,
        Duration retention,
        int maxItemBytes,
        int writeAttempts,
        Duration writeRetryBaseDelay,
        Duration writeAttemptTimeout,
        Duration writeTimeout,
        Duration retryWarnAfter,
        int maxRunStateBytes,
        Duration closeTimeout,
        URI endpoint,
        String region,
        boolean createTableIfMissing) {

    public static final String DEFAULT_TABLE_NAME = "progress-tracker";
    public static final Duration DEFAULT_PROGRESS_COALESCE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final int DEFAULT_MAX_ITEM_BYTES = 350_000;
    /** DynamoDB's hard limit on one item, attribute names included. */
    public static final int DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;
    public static final int DEFAULT_WRITE_ATTEMPTS = 8;
    public static final Duration DEFAULT_WRITE_RETRY_BASE_DELAY = Duration.ofMillis(50);
    public static final Duration DEFAULT_WRITE_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RETRY_WARN_AFTER = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_RUN_STATE_BYTES = 4 * 1024 * 1024;
    /** Bounds of {@code maxRunStateBytes}: 64 KiB to 64 MiB. */
    public static final int MIN_RUN_STATE_BYTES = 64 * 1024;
    public static final int MAX_RUN_STATE_BYTES = 64 * 1024 * 1024;
    /**
     * Share of the state a run may use ({@code maxRunStateBytes} less room for one event of
     * {@code maxItemBytes}) at which the run is reported with one WARN.
     */
    public static final double STATE_WARN_SHARE = 0.8;
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    private static final DynamoDbStoreConfig DEFAULTS = builder().build();

    public DynamoDbStoreConfig {
        if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
            throw new IllegalArgumentException("tableName must be 3-255 characters of a-z, A-Z, 0-9, '_', '-', '.', got '"
                    + tableName + "'");
        }
        requireNonNegative("progressCoalesceInterval", progressCoalesceInterval);
        requireNonNegative("retention", retention);
        if (!retention.isZero() && retention.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("retention must be zero (no TTL) or at least 1 s, got " + retention);
        }
        if (maxItemBytes < 4096 || maxItemBytes > DYNAMODB_MAX_ITEM_BYTES) {
            throw new IllegalArgumentException("maxItemBytes must be between 4096 and " + DYNAMODB_MAX_ITEM_BYTES
                    + ", got " + maxItemBytes);
        }
        if (writeAttempts < 1) {
            throw new IllegalArgumentException("writeAttempts must be at least 1, got " + writeAttempts);
        }
        requireNonNegative("writeRetryBaseDelay", writeRetryBaseDelay);
        requirePositive("writeAttemptTimeout", writeAttemptTimeout);
        requirePositive("writeTimeout", writeTimeout);
        requirePositive("retryWarnAfter", retryWarnAfter);
        if (retryWarnAfter.compareTo(writeTimeout) >= 0) {
            throw new IllegalArgumentException("retryWarnAfter (" + retryWarnAfter + ") must be shorter than writeTimeout ("
                    + writeTimeout + "): the warning is meant to come before the events fail");
        }
        if (maxRunStateBytes < MIN_RUN_STATE_BYTES || maxRunStateBytes > MAX_RUN_STATE_BYTES) {
            throw new IllegalArgumentException("maxRunStateBytes must be between " + MIN_RUN_STATE_BYTES + " and "
                    + MAX_RUN_STATE_BYTES + ", got " + maxRunStateBytes);
        }
        if (maxRunStateBytes < 2L * maxItemBytes) {
            // A run is refused once one more event could pass the limit: leave it room for more than one.
            throw new IllegalArgumentException("maxRunStateBytes (" + maxRunStateBytes + ") must be at least twice "
                    + "maxItemBytes (" + maxItemBytes + ")");
        }
        requireNonNegative("closeTimeout", closeTimeout);
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
            throw new IllegalArgumentException("endpoint must be an absolute URI like http://127.0.0.1:4566, got '"
                    + endpoint + "'");
        }
        if (region != null && region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
    }

    private static void requireNonNegative(String field, Duration d) {
        Objects.requireNonNull(d, field + " must not be null");
        if (d.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative, got " + d);
        }
    }

    private static void requirePositive(String field, Duration d) {
        requireNonNegative(field, d);
        if (d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + d);
        }
    }

    public static DynamoDbStoreConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().tableName(tableName).progressCoalesceInterval(progressCoalesceInterval)
                .retention(retention).maxItemBytes(maxItemBytes).writeAttempts(writeAttempts)
                .writeRetryBaseDelay(writeRetryBaseDelay).writeAttemptTimeout(writeAttemptTimeout)
                .writeTimeout(writeTimeout).retryWarnAfter(retryWarnAfter).maxRunStateBytes(maxRunStateBytes)
                .closeTimeout(closeTimeout).endpoint(endpoint)
                .region(region).createTableIfMissing(createTableIfMissing);
    }

    /**
     * Defaults overridden by {@code TRACKER_DYNAMODB_TABLE}, {@code TRACKER_DYNAMODB_COALESCE_INTERVAL},
     * {@code TRACKER_DYNAMODB_RETENTION}, {@code TRACKER_DYNAMODB_WRITE_RETRY_BASE_DELAY},
     * {@code TRACKER_DYNAMODB_WRITE_ATTEMPT_TIMEOUT}, {@code TRACKER_DYNAMODB_WRITE_TIMEOUT},
     * {@code TRACKER_DYNAMODB_RETRY_WARN_AFTER}, {@code TRACKER_DYNAMODB_CLOSE_TIMEOUT} (ISO-8601 like
     * {@code PT1S} or milliseconds), {@code TRACKER_DYNAMODB_MAX_ITEM_BYTES},
     * {@code TRACKER_DYNAMODB_MAX_STATE_BYTES}, {@code TRACKER_DYNAMODB_WRITE_ATTEMPTS},
     * {@code TRACKER_DYNAMODB_ENDPOINT}, {@code TRACKER_DYNAMODB_REGION} and
     * {@code TRACKER_DYNAMODB_CREATE_TABLE}, looked up in {@code env} (typically {@code System::getenv}).
     */
    public static DynamoDbStoreConfig fromEnvironment(Function<String, String> env) {
        Builder b = builder();
        EnvSettings s = new EnvSettings(env);
        s.string("TRACKER_DYNAMODB_TABLE").ifPresent(b::tableName);
        s.duration("TRACKER_DYNAMODB_COALESCE_INTERVAL").ifPresent(b::progressCoalesceInterval);
        s.duration("TRACKER_DYNAMODB_RETENTION").ifPresent(b::retention);
        s.integer("TRACKER_DYNAMODB_MAX_ITEM_BYTES").ifPresent(b::maxItemBytes);
        s.integer("TRACKER_DYNAMODB_WRITE_ATTEMPTS").ifPresent(b::writeAttempts);
        s.duration("TRACKER_DYNAMODB_WRITE_RETRY_BASE_DELAY").ifPresent(b::writeRetryBaseDelay);
        s.duration("TRACKER_DYNAMODB_WRITE_ATTEMPT_TIMEOUT").ifPresent(b::writeAttemptTimeout);
        s.duration("TRACKER_DYNAMODB_WRITE_TIMEOUT").ifPresent(b::writeTimeout);
        s.duration("TRACKER_DYNAMODB_RETRY_WARN_AFTER").ifPresent(b::retryWarnAfter);
        s.integer("TRACKER_DYNAMODB_MAX_STATE_BYTES").ifPresent(b::maxRunStateBytes);
        s.duration("TRACKER_DYNAMODB_CLOSE_TIMEOUT").ifPresent(b::closeTimeout);
        s.uri("TRACKER_DYNAMODB_ENDPOINT").ifPresent(b::endpoint);
        s.string("TRACKER_DYNAMODB_REGION").ifPresent(b::region);
        s.bool("TRACKER_DYNAMODB_CREATE_TABLE").ifPresent(b::createTableIfMissing);
        return b.build();
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static DynamoDbStoreConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private String tableName = DEFAULT_TABLE_NAME;
        private Duration progressCoalesceInterval = DEFAULT_PROGRESS_COALESCE_INTERVAL;
        private Duration retention = DEFAULT_RETENTION;
        private int maxItemBytes = DEFAULT_MAX_ITEM_BYTES;
        private int writeAttempts = DEFAULT_WRITE_ATTEMPTS;
        private Duration writeRetryBaseDelay = DEFAULT_WRITE_RETRY_BASE_DELAY;
        private Duration writeAttemptTimeout = DEFAULT_WRITE_ATTEMPT_TIMEOUT;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private Duration retryWarnAfter = DEFAULT_RETRY_WARN_AFTER;
        private int maxRunStateBytes = DEFAULT_MAX_RUN_STATE_BYTES;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private URI endpoint;
        private String region;
        private boolean createTableIfMissing;

        private Builder() {
        }

        public Builder tableName(String v) {
            this.tableName = v;
            return this;
        }

        public Builder progressCoalesceInterval(Duration v) {
            this.progressCoalesceInterval = v;
            return this;
        }

        public Builder retention(Duration v) {
            this.retention = v;
            return this;
        }

        public Builder maxItemBytes(int v) {
            this.maxItemBytes = v;
            return this;
        }

        public Builder writeAttempts(int v) {
            this.writeAttempts = v;
            return this;
        }

        public Builder writeRetryBaseDelay(Duration v) {
            this.writeRetryBaseDelay = v;
            return this;
        }

        public Builder writeAttemptTimeout(Duration v) {
            this.writeAttemptTimeout = v;
            return this;
        }

        public Builder writeTimeout(Duration v) {
            this.writeTimeout = v;
            return this;
        }

        public Builder retryWarnAfter(Duration v) {
            this.retryWarnAfter = v;
            return this;
        }

        public Builder maxRunStateBytes(int v) {
            this.maxRunStateBytes = v;
            return this;
        }

        public Builder closeTimeout(Duration v) {
            this.closeTimeout = v;
            return this;
        }

        public Builder endpoint(URI v) {
            this.endpoint = v;
            return this;
        }

        public Builder region(String v) {
            this.region = v;
            return this;
        }

        public Builder createTableIfMissing(boolean v) {
            this.createTableIfMissing = v;
            return this;
        }

        public DynamoDbStoreConfig build() {
            return new DynamoDbStoreConfig(tableName, progressCoalesceInterval, retention, maxItemBytes, writeAttempts,
                    writeRetryBaseDelay, writeAttemptTimeout, writeTimeout, retryWarnAfter, maxRunStateBytes, closeTimeout,
                    endpoint, region, createTableIfMissing);
        }
    }
}

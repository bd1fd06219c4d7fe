package dev.progresstracker.dynamodb;

import dev.progresstracker.core.config.ConfigBuilder;
import dev.progresstracker.core.config.ConfigSpec;
import dev.progresstracker.core.config.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Immutable settings of a {@link DynamoDbProgressStore}. Build with {@link #builder()};
 * {@link #defaults()} holds the defaults. Each property is declared once below as a {@link Setting};
 * the builder checks every value as it is set and names the property it refuses; the rules across
 * properties are checked by {@link Builder#build()}.
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

    /** DynamoDB's hard limit on one item, attribute names included. */
    public static final int DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;
    /** Bounds of {@code maxRunStateBytes}: 64 KiB to 64 MiB. */
    public static final int MIN_RUN_STATE_BYTES = 64 * 1024;

    public static final int MAX_RUN_STATE_BYTES = 64 * 1024 * 1024;
    /**
     * Share of the state a run may use ({@code maxRunStateBytes} less room for one event of
     * {@code maxItemBytes}) at which the run is reported with one WARN.
     */
    public static final double STATE_WARN_SHARE = 0.8;

    public static final Setting<String> TABLE_NAME = Setting.text("tableName", "progress-tracker")
            .matching("[a-zA-Z0-9_.-]{3,255}", "3..255 characters of a-z, A-Z, 0-9, '_', '-', '.'")
            .env("TRACKER_DYNAMODB_TABLE")
            .doc("the single table holding every run");
    public static final Setting<Duration> PROGRESS_COALESCE_INTERVAL = Setting.duration(
                    "progressCoalesceInterval", Duration.ofSeconds(1))
            .atLeast(Duration.ZERO)
            .env("TRACKER_DYNAMODB_COALESCE_INTERVAL")
            .doc(
                    "how long a `task.progress` may wait for a newer one of the same task to replace it; 0 writes every event");
    public static final Setting<Duration> RETENTION = Setting.duration("retention", Duration.ofDays(30))
            .atLeast(Duration.ofSeconds(1))
            .orZero()
            .env("TRACKER_DYNAMODB_RETENTION")
            .doc("TTL: an item expires this long after its last write; 0 writes no TTL attribute");
    public static final Setting<Integer> MAX_ITEM_BYTES = Setting.integer("maxItemBytes", 350_000)
            .range(4096, DYNAMODB_MAX_ITEM_BYTES)
            .env("TRACKER_DYNAMODB_MAX_ITEM_BYTES")
            .doc(
                    "largest item; `maxEventBytes()` = this − 512: longer events lose their task `details` (with a marker)");
    public static final Setting<Integer> WRITE_ATTEMPTS = Setting.integer("writeAttempts", 8)
            .atLeast(1)
            .env("TRACKER_DYNAMODB_WRITE_ATTEMPTS")
            .doc(
                    "store attempts per write (throttling, 5xx, timeouts), each with the SDK's own retries, before the run's writes fail");
    public static final Setting<Duration> WRITE_RETRY_BASE_DELAY = Setting.duration(
                    "writeRetryBaseDelay", Duration.ofMillis(50))
            .atLeast(Duration.ZERO)
            .env("TRACKER_DYNAMODB_WRITE_RETRY_BASE_DELAY")
            .doc("first retry delay, doubled per attempt with jitter, capped at 5 s");
    public static final Setting<Duration> WRITE_ATTEMPT_TIMEOUT = Setting.duration(
                    "writeAttemptTimeout", Duration.ofSeconds(10))
            .above(Duration.ZERO)
            .env("TRACKER_DYNAMODB_WRITE_ATTEMPT_TIMEOUT")
            .doc(
                    "longest one store attempt may take, the SDK's retries included (the API call timeout); also bounds reads");
    public static final Setting<Duration> WRITE_TIMEOUT = Setting.duration("writeTimeout", Duration.ofSeconds(60))
            .above(Duration.ZERO)
            .env("TRACKER_DYNAMODB_WRITE_TIMEOUT")
            .doc("longest one write is retried before its events fail, whatever `writeAttempts` allows");
    public static final Setting<Duration> RETRY_WARN_AFTER = Setting.duration("retryWarnAfter", Duration.ofSeconds(5))
            .above(Duration.ZERO)
            .env("TRACKER_DYNAMODB_RETRY_WARN_AFTER")
            .doc(
                    "a write failing or unanswered this long: health RETRYING, one WARN, `retryWarnings` + 1; shorter than `writeTimeout`");
    public static final Setting<Integer> MAX_STATE_BYTES = Setting.integer("maxRunStateBytes", 4 << 20)
            .range(MIN_RUN_STATE_BYTES, MAX_RUN_STATE_BYTES)
            .bytes()
            .env("TRACKER_DYNAMODB_MAX_STATE_BYTES")
            .doc(
                    "largest compressed run state (inline or in chunks), at least 2 × `maxItemBytes`; the run is refused before it could grow past it");
    public static final Setting<Duration> CLOSE_TIMEOUT = Setting.duration("closeTimeout", Duration.ofSeconds(30))
            .atLeast(Duration.ZERO)
            .env("TRACKER_DYNAMODB_CLOSE_TIMEOUT")
            .doc("how long `close()` waits for pending writes before failing them");
    public static final Setting<URI> ENDPOINT = Setting.uri("endpoint", null)
            .optional("none")
            .env("TRACKER_DYNAMODB_ENDPOINT")
            .doc("endpoint override of the client the Guice module builds (emulators)");
    public static final Setting<String> REGION = Setting.text("region", null)
            .optional("SDK chain")
            .env("TRACKER_DYNAMODB_REGION")
            .doc("region of the client the Guice module builds");
    public static final Setting<Boolean> CREATE_TABLE_IF_MISSING = Setting.flag("createTableIfMissing", false)
            .env("TRACKER_DYNAMODB_CREATE_TABLE")
            .doc("whether the Guice module creates the table on start (development)");

    public static final ConfigSpec<DynamoDbStoreConfig> SPEC = ConfigSpec.of(
            DynamoDbStoreConfig.class,
            TABLE_NAME,
            PROGRESS_COALESCE_INTERVAL,
            RETENTION,
            MAX_ITEM_BYTES,
            WRITE_ATTEMPTS,
            WRITE_RETRY_BASE_DELAY,
            WRITE_ATTEMPT_TIMEOUT,
            WRITE_TIMEOUT,
            RETRY_WARN_AFTER,
            MAX_STATE_BYTES,
            CLOSE_TIMEOUT,
            ENDPOINT,
            REGION,
            CREATE_TABLE_IF_MISSING);

    public DynamoDbStoreConfig {
        SPEC.validate(
                tableName,
                progressCoalesceInterval,
                retention,
                maxItemBytes,
                writeAttempts,
                writeRetryBaseDelay,
                writeAttemptTimeout,
                writeTimeout,
                retryWarnAfter,
                maxRunStateBytes,
                closeTimeout,
                endpoint,
                region,
                createTableIfMissing);
        if (retryWarnAfter.compareTo(writeTimeout) >= 0) {
            throw new IllegalArgumentException(
                    "retryWarnAfter (" + retryWarnAfter + ") must be shorter than writeTimeout (" + writeTimeout
                            + "): the warning is meant to come before the events fail");
        }
        if (maxRunStateBytes < 2L * maxItemBytes) {
            // A run is refused once one more event could pass the limit: leave it room for more than one.
            throw new IllegalArgumentException("maxRunStateBytes (" + maxRunStateBytes + ") must be at least twice "
                    + "maxItemBytes (" + maxItemBytes + ")");
        }
    }

    public static DynamoDbStoreConfig defaults() {
        return SPEC.defaults();
    }

    public static Builder builder() {
        return new Builder(null);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Defaults overridden by the environment variables of the settings above, looked up in {@code env}. */
    public static DynamoDbStoreConfig fromEnvironment(Function<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Same as {@link #fromEnvironment(Function)} over a map. */
    public static DynamoDbStoreConfig fromEnvironment(Map<String, String> env) {
        return SPEC.fromEnvironment(env);
    }

    /** Builder with the defaults; each setter checks its value. */
    public static final class Builder extends ConfigBuilder<DynamoDbStoreConfig, Builder> {
        /** A builder holding {@code from}'s values, or the defaults when it is null. */
        private Builder(DynamoDbStoreConfig from) {
            super(SPEC, from);
        }

        public Builder tableName(String v) {
            return set(TABLE_NAME, v);
        }

        public Builder progressCoalesceInterval(Duration v) {
            return set(PROGRESS_COALESCE_INTERVAL, v);
        }

        public Builder retention(Duration v) {
            return set(RETENTION, v);
        }

        public Builder maxItemBytes(int v) {
            return set(MAX_ITEM_BYTES, v);
        }

        public Builder writeAttempts(int v) {
            return set(WRITE_ATTEMPTS, v);
        }

        public Builder writeRetryBaseDelay(Duration v) {
            return set(WRITE_RETRY_BASE_DELAY, v);
        }

        public Builder writeAttemptTimeout(Duration v) {
            return set(WRITE_ATTEMPT_TIMEOUT, v);
        }

        public Builder writeTimeout(Duration v) {
            return set(WRITE_TIMEOUT, v);
        }

        public Builder retryWarnAfter(Duration v) {
            return set(RETRY_WARN_AFTER, v);
        }

        public Builder maxRunStateBytes(int v) {
            return set(MAX_STATE_BYTES, v);
        }

        public Builder closeTimeout(Duration v) {
            return set(CLOSE_TIMEOUT, v);
        }

        public Builder endpoint(URI v) {
            return set(ENDPOINT, v);
        }

        public Builder region(String v) {
            return set(REGION, v);
        }

        public Builder createTableIfMissing(boolean v) {
            return set(CREATE_TABLE_IF_MISSING, v);
        }
    }
}

package dev.progresstracker.dynamodb.internal;

import dev.progresstracker.core.spi.StoreHealth;
import dev.progresstracker.dynamodb.DynamoDbStoreConfig;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one run's writer can say about itself, kept in volatile fields so that {@link #get()} never
 * blocks: refusing (for good, or while the state is too close to {@code maxRunStateBytes}),
 * retrying (with the last cause, one WARN per episode longer than {@code retryWarnAfter}), or writing.
 * Writers update it under their own lock; any thread reads it.
 */
final class RunHealth {

    private static final Logger LOG = LoggerFactory.getLogger(RunHealth.class);

    private final String runId;
    private final String table;
    private final DynamoDbStoreConfig config;
    private final WriteStats stats;
    private final int maxEventBytes;

    private volatile StoreHealth refusal;
    private volatile String retryProblem;
    private volatile Instant retryingSince;
    private volatile boolean warned;
    private volatile boolean stateWarned;
    /** Compressed size of the last committed state. */
    private volatile long stateBytes;
    /** Events accepted but not yet committed, and their wire bytes. */
    private volatile long backlogEvents;

    private volatile long backlogBytes;
    /** An upper bound of what those events add to the state (uncompressed growth of the tasks they carry). */
    private volatile long backlogGrowth;

    RunHealth(String runId, DynamoDbStoreConfig config, WriteStats stats, int maxEventBytes, long stateBytes) {
        this.runId = runId;
        this.table = config.tableName();
        this.config = config;
        this.stats = stats;
        this.maxEventBytes = maxEventBytes;
        this.stateBytes = stateBytes;
    }

    StoreHealth get() {
        StoreHealth r = refusal;
        if (r != null) {
            return new StoreHealth(r.state(), r.problem(), r.since(), backlogEvents, backlogBytes);
        }
        if (stateBytes + backlogGrowth + maxEventBytes > config.maxRunStateBytes()) {
            return StoreHealth.refusing(stateLimitProblem(), Instant.now(), backlogEvents, backlogBytes);
        }
        String problem = retryProblem;
        if (problem != null) {
            return StoreHealth.retrying(problem, retryingSince, backlogEvents, backlogBytes);
        }
        long n = backlogEvents;
        return n == 0 ? StoreHealth.WRITING : new StoreHealth(StoreHealth.State.WRITING, null, null, n, backlogBytes);
    }

    /** Whether an event adding up to {@code growth} bytes could take the state past {@code maxRunStateBytes}. */
    boolean wouldPassStateLimit(long growth) {
        return stateBytes + backlogGrowth + growth > config.maxRunStateBytes();
    }

    String stateLimitProblem() {
        return "run '" + runId + "' is close to the DynamoDB store's state limit: its state is " + stateBytes
                + " bytes compressed, events not yet written may add " + backlogGrowth
                + " bytes, and one more event of up"
                + " to " + maxEventBytes + " bytes could pass maxRunStateBytes " + config.maxRunStateBytes()
                + " (TRACKER_DYNAMODB_MAX_STATE_BYTES); finish the run or raise the limit";
    }

    /** Why an event adding up to {@code growth} bytes was refused. */
    String passesLimitProblem(long seq, long growth) {
        return "run '" + runId + "': event #" + seq + " was refused: it may add " + growth + " bytes to a state of "
                + stateBytes + " bytes compressed (with " + backlogGrowth + " more from events not yet written), past "
                + "maxRunStateBytes " + config.maxRunStateBytes()
                + " (TRACKER_DYNAMODB_MAX_STATE_BYTES); nothing of it "
                + "was stored and the store refuses the run's later events";
    }

    boolean isRefusing() {
        return refusal != null;
    }

    void refuse(String problem) {
        if (refusal == null) {
            refusal = StoreHealth.refusing(problem, Instant.now(), 0, 0);
        }
    }

    void backlog(long events, long bytes, long growth) {
        backlogEvents = events;
        backlogBytes = bytes;
        backlogGrowth = growth;
    }

    /** A write attempt failed and will be retried. */
    void retrying(String problem) {
        if (retryingSince == null) {
            retryingSince = Instant.now();
        }
        retryProblem = problem;
    }

    /**
     * The watchdog's look at the write in flight: once it has run longer than {@code retryWarnAfter}
     * the run is RETRYING (with the last cause, or "unanswered") and one WARN says so.
     */
    void inFlightFor(Duration elapsed, String what) {
        if (elapsed.compareTo(config.retryWarnAfter()) < 0) {
            return;
        }
        if (retryProblem == null) {
            retrying(what + " unanswered for " + elapsed.toMillis() + " ms (the SDK may be retrying)");
        }
        if (!warned) {
            warned = true;
            stats.retryWarnings.increment();
            LOG.warn(
                    "run '{}': {} has not been stored in DynamoDB table '{}' for {} ms ({}); the store keeps trying for "
                            + "at most writeTimeout {} and then fails these events",
                    runId,
                    what,
                    table,
                    elapsed.toMillis(),
                    retryProblem,
                    config.writeTimeout());
        }
    }

    /** A commit succeeded: the episode (if any) is over. */
    void committed(long committedStateBytes) {
        stateBytes = committedStateBytes;
        if (retryProblem != null && warned) {
            LOG.info("run '{}': DynamoDB table '{}' accepts writes again after {}", runId, table, retryProblem);
        }
        retryProblem = null;
        retryingSince = null;
        warned = false;
        // The run is refused once one more event could pass the limit, so warn at 80 % of what it can use.
        long usable = config.maxRunStateBytes() - maxEventBytes;
        if (!stateWarned && committedStateBytes >= DynamoDbStoreConfig.STATE_WARN_SHARE * usable) {
            stateWarned = true;
            stats.stateSizeWarnings.increment();
            LOG.warn(
                    "run '{}': its state is {} bytes compressed, {} % of the {} bytes it may use (maxRunStateBytes {} "
                            + "(TRACKER_DYNAMODB_MAX_STATE_BYTES) less room for one event of up to {} bytes); the store refuses "
                            + "the run's events before its state could pass the limit",
                    runId,
                    committedStateBytes,
                    100 * committedStateBytes / usable,
                    usable,
                    config.maxRunStateBytes(),
                    maxEventBytes);
        }
    }
}

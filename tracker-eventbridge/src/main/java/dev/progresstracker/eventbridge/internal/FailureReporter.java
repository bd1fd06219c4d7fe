package dev.progresstracker.eventbridge.internal;

import dev.progresstracker.eventbridge.EventBridgeConfig;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each failure cause once at ERROR (once per error code for rejections), with the bus, the
 * endpoint, AWS's code and message and the remedy, until a call succeeds again. Not thread-safe:
 * guarded by the publisher's monitor.
 */
final class FailureReporter {
    /** The publisher's logger: operators filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    private final EventBridgeConfig config;
    private final Set<String> reported = new HashSet<>();

    FailureReporter(EventBridgeConfig config) {
        this.config = config;
    }

    void report(FailureCause cause, String code, String message) {
        String key = cause == FailureCause.REJECTED ? cause.tag() + ":" + code : cause.tag();
        if (!reported.add(key)) {
            return;
        }
        Object endpoint = config.endpointOverride() != null
                ? config.endpointOverride()
                : "AWS (region " + (config.region() != null ? config.region() : "from the SDK chain") + ")";
        String entries = cause.outage()
                ? "kept in " + config.outboxDirectory()
                : "tried " + config.maxAttempts() + " times, then written to "
                        + config.outboxDirectory().resolve("dead-letter.jsonl");
        LOG.error(
                "EventBridge PutEvents to bus '{}' at {} failed: {} ({}: {}). {}. Entries: {}",
                config.eventBusName(),
                endpoint,
                cause.tag(),
                code,
                message,
                cause.remedy(),
                entries);
    }

    /** A call succeeded: the next failure of any cause is reported again. */
    void reset() {
        reported.clear();
    }
}

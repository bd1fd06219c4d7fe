package dev.progresstracker.eventbridge.internal;

/**
 * Why a {@code PutEvents} call (or one of its entries) failed, with what the sink does about it and
 * what an operator should do. The {@link #tag()} is the {@code cause} tag of
 * {@code tracker.eventbridge.errors}.
 */
public enum FailureCause {
    /** Connection refused or reset, no answer within the call timeout: an outage. Retried without limit. */
    UNREACHABLE(
            "unreachable",
            true,
            "the entries are kept (in memory, then in the outbox) and sent when the endpoint answers again; "
                    + "if this lasts, check the network, proxy and endpointOverride"),
    /** Throttling, HTTP 429 or 5xx of a whole call. Retried without limit. */
    THROTTLED_OR_SERVER_ERROR(
            "throttled_or_server_error",
            true,
            "retried with backoff; if it persists, raise the account's PutEvents quota or lower the event rate"),
    /** The endpoint answers but is not EventBridge (HTTP 404/405, not an AWS answer), or its host does not resolve. */
    BAD_ENDPOINT(
            "bad_endpoint",
            false,
            "check TRACKER_EVENTBRIDGE_ENDPOINT (endpointOverride) and TRACKER_EVENTBRIDGE_REGION: they must name an "
                    + "EventBridge endpoint, e.g. https://events.<region>.amazonaws.com"),
    /** No credentials, or credentials AWS does not recognise (unknown key, bad signature, expired token). */
    BAD_CREDENTIALS(
            "bad_credentials",
            false,
            "give the process valid AWS credentials (default chain: environment, profile, IRSA/instance role), "
                    + "or pass one with EventBridgeSink.Builder.credentialsProvider"),
    /** Valid credentials without {@code events:PutEvents} on the bus. */
    ACCESS_DENIED(
            "access_denied",
            false,
            "allow events:PutEvents on the bus's ARN in the IAM policy of the process's role (see the module README)"),
    /** The event bus does not exist in this account and region. */
    MISSING_BUS(
            "missing_bus",
            false,
            "create the bus (aws events create-event-bus --name <bus>) or fix TRACKER_EVENTBRIDGE_BUS_NAME / region"),
    /** Any other rejection of the call or of an entry (validation, a non-retryable entry code). */
    REJECTED("rejected", false, "the dead-letter file holds each entry with AWS's reason");

    private final String tag;
    private final boolean outage;
    private final String remedy;

    FailureCause(String tag, boolean outage, String remedy) {
        this.tag = tag;
        this.outage = outage;
        this.remedy = remedy;
    }

    /** Meter tag value. */
    public String tag() {
        return tag;
    }

    /**
     * True for causes that pass by themselves (outage, throttling): retried without an attempt limit,
     * and they count towards {@code spillAfter}. The others are configuration errors: each entry is
     * tried {@code maxAttempts} times (credentials may be refreshed, a bus may just be being created),
     * then dead-lettered.
     */
    public boolean outage() {
        return outage;
    }

    /** What an operator should do. */
    public String remedy() {
        return remedy;
    }
}

package dev.progresstracker.eventbridge;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.OverflowPolicy;
import dev.progresstracker.eventbridge.internal.EntryMapper;
import dev.progresstracker.eventbridge.internal.FailureCause;
import dev.progresstracker.eventbridge.internal.FlushOutcome;
import dev.progresstracker.eventbridge.internal.JournalOutbox;
import dev.progresstracker.eventbridge.internal.Publisher;
import dev.progresstracker.eventbridge.internal.PublisherCounters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClientBuilder;

/**
 * Publishes every event to Amazon EventBridge: {@code Source} = {@link EventBridgeConfig#source()},
 * {@code DetailType} = the event type's wire name, {@code Detail} = the wire JSON, {@code Resources}
 * = the cluster ARN when configured. Entries are batched (10 entries / 256 KiB per call, or after
 * {@code maxBatchDelay}), {@code task.progress} is coalesced per task, failures are retried with
 * full-jitter backoff, entries EventBridge will never take go to {@code dead-letter.jsonl}, and
 * during an outage everything spills to a durable outbox that is drained in order later, also by
 * the next process using the same directory.
 *
 * <p>Threading: {@link #publish} only maps and enqueues (the dispatcher calls it on the sink's
 * thread); calls to AWS are asynchronous and their results are handled on the sink's own
 * scheduler thread. One sink per outbox directory.
 */
public final class EventBridgeSink implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeSink.class);

    private final String name;
    private final EventBridgeConfig config;
    private final EventBridgeAsyncClient client;
    private final boolean ownsClient;
    private final Publisher publisher;

    private EventBridgeSink(Builder b) {
        this.name = b.name;
        this.config = b.config;
        this.ownsClient = b.client == null;
        this.client = ownsClient ? createClient(config, b.credentials) : b.client;
        EntryMapper mapper = new EntryMapper(
                config.source(), config.clusterArn(), config.maxRequestBytes(), config.originalFields());
        try {
            this.publisher = new Publisher(
                    config,
                    client,
                    new JournalOutbox(config.outboxDirectory(), mapper),
                    mapper,
                    b.clock,
                    b.registry,
                    name);
        } catch (IOException e) {
            if (ownsClient) {
                client.close();
            }
            throw new UncheckedIOException("cannot open the EventBridge outbox " + config.outboxDirectory(), e);
        } catch (RuntimeException e) {
            if (ownsClient) {
                client.close();
            }
            throw e;
        }
    }

    public static Builder builder(EventBridgeConfig config) {
        return new Builder(config);
    }

    /**
     * An async client for {@code config}: its region (else the SDK's region chain), its endpoint
     * override, {@code credentials} (null = default chain), SDK retries off (the sink retries itself)
     * and the API call timeout. Its futures complete on the SDK's I/O thread: the sink's only callback
     * hands the result to its own thread, so the SDK's completion thread pool would just add a hop.
     */
    public static EventBridgeAsyncClient createClient(EventBridgeConfig config, AwsCredentialsProvider credentials) {
        EventBridgeAsyncClientBuilder b = EventBridgeAsyncClient.builder()
                .credentialsProvider(
                        credentials != null
                                ? credentials
                                : DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(s -> s.maxAttempts(1))
                        .apiCallTimeout(config.apiCallTimeout()))
                .asyncConfiguration(
                        a -> a.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run));
        if (config.region() != null) {
            b.region(Region.of(config.region()));
        }
        if (config.endpointOverride() != null) {
            b.endpointOverride(config.endpointOverride());
        }
        return b.build();
    }

    @Override
    public String name() {
        return name;
    }

    /** CONFLATE: the dispatcher's queue may replace a waiting {@code task.progress}; lifecycle events never. */
    @Override
    public OverflowPolicy overflowPolicy() {
        return OverflowPolicy.CONFLATE;
    }

    @Override
    public void publish(ProgressEvent event) throws Exception {
        publisher.publish(event);
    }

    /**
     * Sends what waits now; returns once it is accepted or dead-lettered, or, while EventBridge is
     * unreachable, durable in the outbox; or at the timeout. {@link #flushResult} says which.
     */
    @Override
    public void flush(Duration timeout) throws Exception {
        FlushResult r = flushResult(timeout);
        if (!r.published()) {
            LOG.debug("EventBridge sink '{}' flushed to {}", name, r);
        }
    }

    /**
     * Waits like {@link #flush} and says what it reached: {@code PUBLISHED} (accepted by EventBridge or
     * dead-lettered), {@code IN_OUTBOX} (EventBridge is unreachable; the rest is durable in the outbox
     * and is published when it answers) or {@code PENDING} (timeout with events only in memory).
     * Blocks the calling thread only.
     */
    public FlushResult flushResult(Duration timeout) throws IOException, InterruptedException {
        return result(publisher.flush(timeout, false));
    }

    /**
     * Sends what waits now and waits until everything received is accepted by EventBridge or
     * dead-lettered, through an outage, up to {@code timeout}; then says where the rest is.
     */
    public FlushResult awaitPublished(Duration timeout) throws IOException, InterruptedException {
        return result(publisher.flush(timeout, true));
    }

    private FlushResult result(FlushOutcome outcome) {
        PublisherCounters s = publisher.counters();
        return new FlushResult(FlushResult.Status.valueOf(outcome.name()), s.buffered(), s.outboxDepth());
    }

    /** Failed calls and individually rejected entries of one cause, as counted by {@code tracker.eventbridge.errors}. */
    public long errors(String cause) {
        for (FailureCause c : FailureCause.values()) {
            if (c.tag().equals(cause)) {
                return publisher.errors(c);
            }
        }
        throw new IllegalArgumentException("unknown cause '" + cause + "'; one of "
                + java.util.Arrays.stream(FailureCause.values())
                        .map(FailureCause::tag)
                        .toList());
    }

    /** Counters of this sink. */
    public Stats stats() {
        PublisherCounters s = publisher.counters();
        return new Stats(
                s.published(),
                s.failed(),
                s.retried(),
                s.conflated(),
                s.truncated(),
                s.requests(),
                s.buffered(),
                s.outboxDepth(),
                s.mode());
    }

    public EventBridgeConfig config() {
        return config;
    }

    /** Waits for calls in flight, keeps what is unsent in the outbox, closes the client if the sink built it. */
    @Override
    public void close() throws IOException {
        try {
            publisher.close();
        } finally {
            if (ownsClient) {
                client.close();
            }
        }
    }

    /**
     * Counters since the sink started.
     *
     * @param published   entries EventBridge accepted
     * @param failed      entries dead-lettered
     * @param retried     entries sent again
     * @param conflated   progress entries replaced by a newer one of the same task
     * @param truncated   oversized entries trimmed
     * @param requests    PutEvents calls made
     * @param buffered    entries in memory (waiting or in a call)
     * @param outboxDepth entries in the durable outbox
     * @param mode        DIRECT, SPILL_PENDING or SPILLING
     */
    public record Stats(
            long published,
            long failed,
            long retried,
            long conflated,
            long truncated,
            long requests,
            long buffered,
            long outboxDepth,
            String mode) {}

    /** Builder; only the config is required. */
    public static final class Builder {
        private final EventBridgeConfig config;
        private EventBridgeAsyncClient client;
        private AwsCredentialsProvider credentials;
        private MeterRegistry registry = Metrics.globalRegistry;
        private Clock clock = Clock.systemUTC();
        private String name = "eventbridge";

        private Builder(EventBridgeConfig config) {
            this.config = Objects.requireNonNull(config, "config must not be null");
        }

        /** The client to use (not closed by the sink); default: one built by {@link #createClient}. */
        public Builder client(EventBridgeAsyncClient client) {
            this.client = Objects.requireNonNull(client, "client must not be null");
            return this;
        }

        /** Credentials of the client the sink builds; default the SDK's default chain. */
        public Builder credentialsProvider(AwsCredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials must not be null");
            return this;
        }

        /** Where the sink's meters go; default {@link Metrics#globalRegistry}. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry must not be null");
            return this;
        }

        /** Wall clock for publish lag and backoff; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /** Sink name (thread, logs, meter tag); default {@code eventbridge}. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        public EventBridgeSink build() {
            return new EventBridgeSink(this);
        }
    }
}

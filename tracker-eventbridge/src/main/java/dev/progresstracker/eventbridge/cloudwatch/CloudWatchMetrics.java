package dev.progresstracker.eventbridge.cloudwatch;

import dev.progresstracker.core.spi.HealthCheck;
import dev.progresstracker.core.spi.OutputHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Publishes the {@link TrackerMetric} list to CloudWatch with {@code PutMetricData}: every
 * {@link CloudWatchConfig#step()} on its own thread ({@code tracker-cloudwatch}, never the caller's),
 * in calls of at most {@link CloudWatchConfig#batchSize()} data, and once more on {@link #close()} —
 * so a run shorter than a step still arrives. Counters are sent as the count since the last accepted
 * call (a failed call's counts go with the next one). Add {@link #sink()} to the tracker (closing it
 * closes this), and give {@link #registry()} to an EventBridge sink's builder for its publish lag and
 * outbox depth. Thread-safe.
 */
public final class CloudWatchMetrics implements AutoCloseable, HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchMetrics.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final CloudWatchConfig config;
    private final CloudWatchAsyncClient client;
    private final boolean ownsClient;
    private final Clock clock;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RunMetricsSink sink;
    private final ScheduledExecutorService scheduler;
    /** Counter totals already accepted by CloudWatch, by series; guarded by {@code this}. */
    private final Map<String, Double> sentTotals = new HashMap<>();

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();
    private final AtomicLong failedData = new AtomicLong();
    private volatile String problem;
    private volatile Instant problemSince;
    private volatile boolean closed;

    private CloudWatchMetrics(CloudWatchConfig config, CloudWatchAsyncClient client, boolean ownsClient, Clock clock) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.client = client;
        this.ownsClient = ownsClient;
        this.clock = clock;
        this.sink = new RunMetricsSink(config.includeRunId(), registry, clock);
        sink.onClose(this);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tracker-cloudwatch");
            t.setDaemon(true);
            return t;
        });
        if (config.enabled()) {
            long step = config.step().toMillis();
            scheduler.scheduleAtFixedRate(this::publishQuietly, step, step, TimeUnit.MILLISECONDS);
        }
    }

    /** With a client of the caller's (not closed here). */
    public static CloudWatchMetrics create(CloudWatchConfig config, CloudWatchAsyncClient client) {
        return create(config, client, Clock.systemUTC());
    }

    /** With a client of the caller's and a clock for {@link TrackerMetric#SECONDS_SINCE_PROGRESS} and timestamps. */
    public static CloudWatchMetrics create(CloudWatchConfig config, CloudWatchAsyncClient client, Clock clock) {
        return new CloudWatchMetrics(
                config,
                Objects.requireNonNull(client, "client must not be null"),
                false,
                Objects.requireNonNull(clock, "clock must not be null"));
    }

    /** With a client built from the config (region, endpoint) and {@code credentials} (null = default chain). */
    public static CloudWatchMetrics create(CloudWatchConfig config, AwsCredentialsProvider credentials) {
        CloudWatchAsyncClientBuilder b = CloudWatchAsyncClient.builder()
                .credentialsProvider(
                        credentials != null
                                ? credentials
                                : DefaultCredentialsProvider.builder().build());
        if (config.region() != null) {
            b.region(Region.of(config.region()));
        }
        if (config.endpointOverride() != null) {
            b.endpointOverride(config.endpointOverride());
        }
        return new CloudWatchMetrics(config, b.build(), true, Clock.systemUTC());
    }

    /** Where an EventBridge sink registers its meters, so its publish lag and outbox depth are published too. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The sink that turns events into metric values; add it to the tracker. Closing it closes this object. */
    public RunMetricsSink sink() {
        return sink;
    }

    public CloudWatchConfig config() {
        return config;
    }

    /**
     * What CloudWatch accepted so far.
     *
     * @param dataPoints       metric data accepted
     * @param calls            {@code PutMetricData} calls made
     * @param failedCalls      calls that failed (their counter values are sent again with the next call)
     * @param failedDataPoints metric data in the failed calls
     */
    public record Stats(long dataPoints, long calls, long failedCalls, long failedDataPoints) {}

    public Stats stats() {
        return new Stats(accepted.get(), calls.get(), failedCalls.get(), failedData.get());
    }

    /** UP while the last call was accepted (or none was made yet); DEGRADED after a failed one: metrics wait, the run does not. */
    @Override
    public OutputHealth check() {
        String p = problem;
        Stats s = stats();
        String counts = s.dataPoints() + " data points accepted in " + s.calls() + " calls";
        if (!config.enabled()) {
            return OutputHealth.up("cloudwatch", "disabled");
        }
        return p == null
                ? OutputHealth.up("cloudwatch", "publishing; " + counts)
                : OutputHealth.degraded("cloudwatch", "failing since " + problemSince + ": " + p + "; " + counts);
    }

    /** Publishes the current values now, on the caller's thread; false if a call failed. */
    public synchronized boolean publishNow() {
        if (!config.enabled()) {
            return true;
        }
        Instant now = clock.instant();
        List<MetricDatum> data = new ArrayList<>();
        Map<String, Double> totals = new HashMap<>();
        for (MetricSample s : sink.samples()) {
            double value = s.value();
            if (s.metric().kind() == TrackerMetric.Kind.COUNTER) {
                totals.put(s.seriesKey(), value);
                value -= sentTotals.getOrDefault(s.seriesKey(), 0.0);
            }
            if (Double.isFinite(value)) {
                data.add(datum(s, value, now));
            }
        }
        boolean ok = true;
        int size = config.batchSize();
        for (int from = 0; from < data.size(); from += size) {
            List<MetricDatum> batch = data.subList(from, Math.min(data.size(), from + size));
            calls.incrementAndGet();
            try {
                client.putMetricData(r -> r.namespace(config.namespace()).metricData(batch))
                        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                accepted.addAndGet(batch.size());
                for (MetricDatum d : batch) {
                    String key = keyOf(d);
                    if (totals.containsKey(key)) {
                        sentTotals.put(key, totals.get(key));
                    }
                }
            } catch (Exception e) {
                ok = false;
                failedCalls.incrementAndGet();
                failedData.addAndGet(batch.size());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                Throwable cause =
                        e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (problem == null) {
                    problemSince = now;
                }
                problem = cause.getClass().getSimpleName() + ": " + cause.getMessage();
                LOG.warn(
                        "PutMetricData of {} data to namespace {} failed: {}",
                        batch.size(),
                        config.namespace(),
                        problem);
            }
        }
        if (ok) {
            problem = null;
            problemSince = null;
        }
        return ok;
    }

    private MetricDatum datum(MetricSample s, double value, Instant now) {
        List<Dimension> dims = new ArrayList<>();
        s.dimensions()
                .forEach((k, v) -> dims.add(Dimension.builder().name(k).value(v).build()));
        return MetricDatum.builder()
                .metricName(s.metric().cloudWatchName())
                .dimensions(dims)
                .value(value)
                .unit(StandardUnit.fromValue(s.metric().unit().cloudWatch()))
                .timestamp(now)
                .storageResolution(config.highResolution() ? 1 : 60)
                .build();
    }

    /** The same key as {@link MetricSample#seriesKey()}, from a datum. */
    private static String keyOf(MetricDatum d) {
        Map<String, String> dims = new java.util.LinkedHashMap<>();
        d.dimensions().forEach(x -> dims.put(x.name(), x.value()));
        return d.metricName() + dims;
    }

    private void publishQuietly() {
        try {
            publishNow();
        } catch (RuntimeException e) {
            LOG.warn("publishing metrics to CloudWatch failed", e);
        }
    }

    /** Stops the schedule, publishes once more (so a short run's values arrive), and closes an owned client. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(CALL_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)) {
                scheduler.shutdownNow();
            }
            publishNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            registry.close();
            if (ownsClient) {
                client.close();
            }
        }
    }
}

package dev.progresstracker.benchmarks.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import dev.progresstracker.eventbridge.EventBridgeSink;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Load driver for the EventBridge sink against moto (started from {@code .venv}, see
 * {@code scripts/install-emulator.sh}). Workload: N tasks spread over R runs, each task added,
 * started, 10 progress updates, completed, at a paced rate. Passes in one process (after a warm-up):
 * <ol>
 *   <li>no sink: caller-side latency baseline; then a sink that does nothing (the dispatcher's share);</li>
 *   <li>sink to a bus without targets: entries per PutEvents, publish lag, caller latency (ratio to 1);</li>
 *   <li>sink to a bus whose rule routes every lifecycle event to SQS: lifecycle events counted at the
 *       queue (moto delivers to SQS slowly, so this pass has its own task count).</li>
 * </ol>
 * Args: {@code [tasks=10000] [runs=10] [eventsPerSecond=2000] [sqsTasks=1000]}.
 */
public final class EventBridgeLoadDriver {

    private static final int PROGRESS_PER_TASK = 10;

    public static void main(String[] args) throws Exception {
        int tasks = arg(args, 0, 10_000);
        int runs = arg(args, 1, 10);
        int rate = arg(args, 2, 2_000);
        int sqsTasks = arg(args, 3, 1_000);
        AwsEmulatorExtension moto = AwsEmulatorExtension.moto();
        moto.beforeAll(null);
        try {
            System.out.printf("workload: %,d tasks over %d runs, %d progress updates each, paced at %,d events/s%n",
                    tasks, runs, PROGRESS_PER_TASK, rate);
            drive(null, tasks / 4, runs, rate * 4, "warmup");
            long[] baseline = drive(null, tasks, runs, rate, "base");
            print("no sink", baseline, null);
            // Separates the core dispatcher's hand-off to any sink thread from the EventBridge sink's own cost.
            print("no-op sink", drive(new dev.progresstracker.core.spi.EventSink() {
                @Override
                public void publish(dev.progresstracker.core.event.ProgressEvent event) {
                }
            }, tasks, runs, rate, "noop"), baseline);

            try (Env env = new Env(moto, "load-nosq", false)) {
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                EventBridgeSink sink = env.sink(registry);
                long[] with = drive(sink, tasks, runs, rate, "eb");
                EventBridgeSink.Stats s = sink.stats();
                sink.close();
                print("EventBridge sink", with, baseline);
                Timer lag = registry.get("tracker.eventbridge.publish.lag").timer();
                System.out.printf("  PutEvents calls %,d, entries %,d -> %.2f entries/call; conflated %,d; retried %,d; "
                        + "failed %,d%n", s.requests(), s.published(), s.published() / (double) s.requests(),
                        s.conflated(), s.retried(), s.failed());
                System.out.printf("  publish lag p50 %s ms, p99 %s ms, max %.0f ms%n", pct(lag, 0.5), pct(lag, 0.99),
                        lag.max(TimeUnit.MILLISECONDS));
            }

            try (Env env = new Env(moto, "load-sqs", true)) {
                EventBridgeSink sink = env.sink(new SimpleMeterRegistry());
                long start = System.nanoTime();
                drive(sink, sqsTasks, runs, rate, "sqs");
                long expected = runs * 2L + sqsTasks * 3L;
                Set<String> got = env.countLifecycle(expected, Duration.ofMinutes(20));
                sink.close();
                System.out.printf("SQS end: %,d tasks -> lifecycle events expected %,d, received %,d distinct, "
                        + "lost %,d (%.0f s)%n", sqsTasks, expected, got.size(), expected - got.size(),
                        (System.nanoTime() - start) / 1e9);
            }
        } finally {
            moto.stop();
        }
    }

    /** Runs the workload; returns the caller-side latency of every tracker call in nanoseconds. */
    private static long[] drive(dev.progresstracker.core.spi.EventSink sink, int tasks, int runs, int rate, String prefix) {
        TrackerFactory.Builder fb = TrackerFactory.builder();
        if (sink != null) {
            fb.sink(sink);
        }
        long[] lat = new long[tasks * (3 + PROGRESS_PER_TASK) + runs * 2];
        int n = 0;
        try (TrackerFactory f = fb.build()) {
            List<ProgressTracker> trackers = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                ProgressTracker t = f.tracker().runId(prefix + "-run-" + r).clusterName("load").build();
                long s = System.nanoTime();
                t.startUpgrade("load");
                lat[n++] = System.nanoTime() - s;
                trackers.add(t);
            }
            long start = System.nanoTime();
            long events = 0;
            for (int i = 0; i < tasks; i++) {
                ProgressTracker t = trackers.get(i % runs);
                String id = "t" + i;
                long s = System.nanoTime();
                t.addTask(id, "Task " + i, TaskType.UPGRADE_STEP, null);
                lat[n++] = System.nanoTime() - s;
                s = System.nanoTime();
                t.startTask(id);
                lat[n++] = System.nanoTime() - s;
                for (int p = 1; p <= PROGRESS_PER_TASK; p++) {
                    s = System.nanoTime();
                    t.updateTaskProgress(id, p * 9.0);
                    lat[n++] = System.nanoTime() - s;
                }
                s = System.nanoTime();
                t.completeTask(id);
                lat[n++] = System.nanoTime() - s;
                events += 3 + PROGRESS_PER_TASK;
                long due = start + events * 1_000_000_000L / rate;
                long ahead = due - System.nanoTime();
                if (ahead > 0) {
                    LockSupport.parkNanos(ahead);
                }
            }
            for (ProgressTracker t : trackers) {
                long s = System.nanoTime();
                t.completeUpgrade();
                lat[n++] = System.nanoTime() - s;
                t.flush(Duration.ofMinutes(5));
                t.close();
            }
        }
        return Arrays.copyOf(lat, n);
    }

    private static void print(String label, long[] lat, long[] baseline) {
        long[] sorted = lat.clone();
        Arrays.sort(sorted);
        double p50 = sorted[sorted.length / 2] / 1000.0;
        double p99 = sorted[(int) (sorted.length * 0.99)] / 1000.0;
        System.out.printf("%s: %,d caller calls, latency p50 %.1f us, p99 %.1f us", label, lat.length, p50, p99);
        if (baseline != null) {
            long[] b = baseline.clone();
            Arrays.sort(b);
            System.out.printf("  (ratio to no sink: p50 %.2f, p99 %.2f)", p50 / (b[b.length / 2] / 1000.0),
                    p99 / (b[(int) (b.length * 0.99)] / 1000.0));
        }
        System.out.println();
    }

    private static String pct(Timer t, double q) {
        for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
            if (v.percentile() == q) {
                return String.format("%.0f", v.value(TimeUnit.MILLISECONDS));
            }
        }
        return "n/a";
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    /** A bus on moto (optionally with a lifecycle rule → SQS queue) and the clients around it. */
    private static final class Env implements AutoCloseable {
        final AwsEmulatorExtension moto;
        final String bus;
        final EventBridgeAsyncClient events;
        final SqsAsyncClient sqs;
        final Path outbox;
        String queueUrl;

        Env(AwsEmulatorExtension moto, String bus, boolean withQueue) throws Exception {
            this.moto = moto;
            this.bus = bus;
            var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
            events = EventBridgeAsyncClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(creds).build();
            sqs = SqsAsyncClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(creds).build();
            outbox = Files.createTempDirectory("eb-load-outbox");
            events.createEventBus(b -> b.name(bus)).join();
            if (withQueue) {
                queueUrl = sqs.createQueue(b -> b.queueName(bus + "-q")).join().queueUrl();
                String arn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .join().attributes().get(QueueAttributeName.QUEUE_ARN);
                String types = String.join("\",\"", Arrays.stream(dev.progresstracker.core.event.EventType.values())
                        .filter(dev.progresstracker.core.event.EventType::isLifecycle)
                        .map(dev.progresstracker.core.event.EventType::wireName).toList());
                events.putRule(b -> b.name(bus + "-lifecycle").eventBusName(bus)
                        .eventPattern("{\"source\":[\"eks-upgrade-agent\"],\"detail-type\":[\"" + types + "\"]}")).join();
                events.putTargets(b -> b.rule(bus + "-lifecycle").eventBusName(bus)
                        .targets(Target.builder().id("q").arn(arn).build())).join();
            }
        }

        EventBridgeSink sink(SimpleMeterRegistry registry) {
            EventBridgeConfig config = EventBridgeConfig.builder().eventBusName(bus).outboxDirectory(outbox)
                    .region("us-east-1").endpointOverride(moto.endpoint()).build();
            return EventBridgeSink.builder(config).client(EventBridgeSink.createClient(config,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))))
                    .meterRegistry(registry).build();
        }

        /** Reads the queue until {@code expected} distinct lifecycle events arrived (or the timeout). */
        Set<String> countLifecycle(long expected, Duration timeout) throws Exception {
            Set<String> seen = new HashSet<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(1)).join().messages();
                List<DeleteMessageBatchRequestEntry> del = new ArrayList<>();
                for (Message m : batch) {
                    JsonNode d = WireFormat.mapper().readTree(m.body()).get("detail");
                    seen.add(d.get("runId").asText() + "#" + d.get("sequence").asLong());
                    del.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(del.size()))
                            .receiptHandle(m.receiptHandle()).build());
                }
                if (!del.isEmpty()) {
                    sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(del)).join();
                }
            }
            return seen;
        }

        @Override
        public void close() {
            events.close();
            sqs.close();
        }
    }
}

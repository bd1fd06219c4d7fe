package dev.progresstracker.benchmarks.eventbridge;

import dev.progresstracker.core.event.EventType;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import dev.progresstracker.eventbridge.EventBridgeSink;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.InputTransformer;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Zero loss counted at the SQS end: a moto bus whose rule routes every lifecycle event type to an SQS
 * queue, the queue read while the load runs ({@link SqsLifecycleCounter}), and every lifecycle event the
 * tracker emitted (recorded by a second sink in the same factory) looked up by {@code runId#sequence}.
 *
 * <p>The caller is held back while more than {@value #MAX_OUTSTANDING} lifecycle events are emitted but not
 * yet read from the queue. moto checks the retention period of every message it returns by computing all
 * queue attributes, each a scan of the whole queue, so receiving costs ~0.1 ms x queue depth per message
 * on this machine: once the queue is a few hundred deep, reading falls behind delivery for good (tried:
 * open-loop at 2,000 events/s the queue passed 1,900 messages within minutes). Bounding what is in transit
 * keeps the queue short; the pass reports the rate it reached.
 *
 * <p>The target has an input transformer that forwards {@code {"detail": <the event's wire JSON>}} only:
 * moto evaluates each input path with a freshly built JSONPath parser (several ms each on this machine)
 * and its default transformer has eight paths; one is enough to count. (The detail must not be the
 * top-level message: moto 5.2.5 then reads its ISO {@code time} field as the envelope's epoch seconds
 * and answers 500.)
 */
final class SqsPass {

    /** Lifecycle events emitted but not yet read from the queue before the caller waits. */
    static final int MAX_OUTSTANDING = 60;

    private final AwsEmulatorExtension moto;
    private final int runs;

    SqsPass(AwsEmulatorExtension moto, int runs) {
        this.moto = moto;
        this.runs = runs;
    }

    /** Runs the pass and prints what arrived; returns the number of lifecycle events that never did. */
    long run(int tasks, int rate) throws Exception {
        String bus = "load-sqs";
        String queueUrl;
        try (EventBridgeClient events = EventBridgeClient.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(EventBridgeLoadDriver.credentials())
                        .build();
                SqsAsyncClient sqs = SqsAsyncClient.builder()
                        .endpointOverride(moto.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(EventBridgeLoadDriver.credentials())
                        .build()) {
            events.createEventBus(b -> b.name(bus));
            queueUrl = sqs.createQueue(b -> b.queueName(bus + "-q")).join().queueUrl();
            String arn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .join()
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            String types = String.join(
                    "\",\"",
                    Arrays.stream(EventType.values())
                            .filter(EventType::isLifecycle)
                            .map(EventType::wireName)
                            .toList());
            events.putRule(b -> b.name(bus + "-lifecycle")
                    .eventBusName(bus)
                    .eventPattern("{\"source\":[\"eks-upgrade-agent\"],\"detail-type\":[\"" + types + "\"]}"));
            events.putTargets(b -> b.rule(bus + "-lifecycle")
                    .eventBusName(bus)
                    .targets(Target.builder()
                            .id("q")
                            .arn(arn)
                            .inputTransformer(InputTransformer.builder()
                                    .inputPathsMap(Map.of("d", "$.detail"))
                                    .inputTemplate("{\"detail\":<d>}")
                                    .build())
                            .build()));

            Path outbox = Files.createTempDirectory("eb-load-outbox");
            EventBridgeConfig config = EventBridgeLoadDriver.tuned(EventBridgeConfig.builder())
                    .eventBusName(bus)
                    .outboxDirectory(outbox)
                    .region("us-east-1")
                    .endpointOverride(moto.endpoint())
                    .build();
            EventBridgeSink sink = EventBridgeSink.builder(config)
                    .client(EventBridgeSink.createClient(config, EventBridgeLoadDriver.credentials()))
                    .meterRegistry(new SimpleMeterRegistry())
                    .build();
            LoadSinks.LifecycleRecorder recorder = new LoadSinks.LifecycleRecorder();
            long moto0 = ProcessCounters.motoCpuTicks();
            long start = System.nanoTime();
            try (SqsLifecycleCounter counter = new SqsLifecycleCounter(sqs, queueUrl)) {
                System.out.printf(
                        "SQS pass: %,d tasks over %d runs at %,d events/s, lifecycle rule -> SQS, read "
                                + "concurrently (load average %s)%n",
                        tasks, runs, rate, ProcessCounters.loadAverage());
                long[] heldNanos = new long[1];
                long[] nextReport = {System.nanoTime()};
                EventBridgeLoadDriver.drive(List.of(sink, recorder), tasks, runs, rate, "sqs", i -> {
                    // Emitted so far: each run's upgrade.started and three lifecycle events per earlier task.
                    long emitted = runs + 3L * i;
                    long t0 = System.nanoTime();
                    while (emitted - counter.distinct() > MAX_OUTSTANDING) {
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                    long now = System.nanoTime();
                    heldNanos[0] += now - t0;
                    if (now >= nextReport[0]) {
                        System.out.printf(
                                "  ... %,d tasks, %,d lifecycle events read, %.0f s%n",
                                i, counter.distinct(), (now - start) / 1e9);
                        nextReport[0] = now + TimeUnit.SECONDS.toNanos(30);
                    }
                });
                double driveSeconds = (System.nanoTime() - start) / 1e9;
                EventBridgeSink.Stats s = sink.stats();
                boolean all = counter.awaitAll(recorder.keys, Duration.ofMinutes(20));
                double allSeconds = (System.nanoTime() - start) / 1e9;
                counter.awaitQuiet(Duration.ofSeconds(10));
                SqsLifecycleCounter.Result r = counter.result(recorder.keys);
                long planned = runs * 2L + tasks * 3L;
                System.out.printf(
                        "  tracker emitted %,d lifecycle events (planned %,d); sink: %,d calls, %,d accepted, "
                                + "%,d retried, %,d failed, outbox %,d, mode %s%n",
                        recorder.keys.size(),
                        planned,
                        s.requests(),
                        s.published(),
                        s.retried(),
                        s.failed(),
                        s.outboxDepth(),
                        s.mode());
                System.out.printf(
                        "  SQS end: %,d messages, %,d distinct; exactly once %,d; lost %,d; duplicated %,d "
                                + "(%,d extra copies); unexpected %,d; not a lifecycle type %,d%n",
                        r.messages(),
                        r.distinct(),
                        r.exactlyOnce(),
                        r.missing(),
                        r.duplicatedKeys(),
                        r.extraCopies(),
                        r.unexpected(),
                        r.typeMismatches());
                System.out.printf(
                        "  load driven in %.0f s (%,.0f events/s; caller held back %.0f s); all arrived %s after "
                                + "%.0f s; %,d receive calls, %d errors, queue depth at most %,d; moto CPU %.0f s "
                                + "(load average %s)%n",
                        driveSeconds,
                        (tasks * (3.0 + EventBridgeLoadDriver.PROGRESS_PER_TASK) + runs * 2) / driveSeconds,
                        heldNanos[0] / 1e9,
                        all ? "yes" : "NO",
                        allSeconds,
                        r.receiveCalls(),
                        r.errors(),
                        r.maxQueueDepth(),
                        (ProcessCounters.motoCpuTicks() - moto0) / 100.0,
                        ProcessCounters.loadAverage());
                return r.missing() + (recorder.keys.size() == planned ? 0 : Math.abs(planned - recorder.keys.size()));
            }
        }
    }
}

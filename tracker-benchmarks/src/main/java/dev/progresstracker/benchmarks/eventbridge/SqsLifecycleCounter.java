package dev.progresstracker.benchmarks.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.progresstracker.core.event.EventType;
import dev.progresstracker.core.json.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Reads the queue while the load runs and counts every message by its event's {@code runId#sequence}.
 * Reading concurrently keeps moto's queue short: moto scans the whole queue (three times per attribute
 * read) on every send and on every received message, so a queue left to grow to thousands makes each
 * delivery cost seconds. One thread, one {@code DeleteMessageBatch} at a time: moto rebuilds its
 * message list on delete without a lock, and two concurrent deletes could drop a message it just appended.
 */
final class SqsLifecycleCounter implements AutoCloseable {

    private static final Set<String> LIFECYCLE = java.util.Arrays.stream(EventType.values())
            .filter(EventType::isLifecycle)
            .map(EventType::wireName)
            .collect(java.util.stream.Collectors.toSet());

    private final SqsAsyncClient sqs;
    private final String queueUrl;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stop;
    private volatile long lastMessageNanos = System.nanoTime();
    private volatile long received;
    private volatile long receiveCalls;
    private volatile long errors;
    private volatile long typeMismatches;
    private volatile int maxQueueDepth;

    SqsLifecycleCounter(SqsAsyncClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.thread = new Thread(this::run, "sqs-lifecycle-counter");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long nextDepthSample = 0;
        while (!stop) {
            try {
                if (System.nanoTime() >= nextDepthSample) {
                    String d = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                            .join()
                            .attributes()
                            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
                    maxQueueDepth = Math.max(maxQueueDepth, Integer.parseInt(d));
                    nextDepthSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                }
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                                .maxNumberOfMessages(10)
                                .waitTimeSeconds(1)
                                .visibilityTimeout(300))
                        .join()
                        .messages();
                receiveCalls++;
                if (batch.isEmpty()) {
                    continue;
                }
                List<DeleteMessageBatchRequestEntry> del = new ArrayList<>(batch.size());
                for (Message m : batch) {
                    count(m.body());
                    del.add(DeleteMessageBatchRequestEntry.builder()
                            .id(Integer.toString(del.size()))
                            .receiptHandle(m.receiptHandle())
                            .build());
                }
                received += batch.size();
                lastMessageNanos = System.nanoTime();
                sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(del)).join();
            } catch (RuntimeException e) {
                // Not deleted messages come back after the visibility timeout and count as duplicates.
                errors++;
                sleep(100);
            }
        }
    }

    private void count(String body) {
        try {
            JsonNode d = WireFormat.reader().readTree(body).get("detail");
            if (!LIFECYCLE.contains(d.path("type").asText())) {
                typeMismatches++;
            }
            counts.merge(d.get("runId").asText() + "#" + d.get("sequence").asLong(), 1, Integer::sum);
        } catch (Exception e) {
            counts.merge("unparseable:" + body.hashCode(), 1, Integer::sum);
        }
    }

    /** Distinct events seen so far. */
    int distinct() {
        return counts.size();
    }

    /** Waits until every key in {@code expected} was seen, or the timeout; true if all were. */
    boolean awaitAll(Set<String> expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (counts.keySet().containsAll(expected)) {
                return true;
            }
            sleep(200);
        }
        return counts.keySet().containsAll(expected);
    }

    /** Keeps reading until nothing arrived for {@code quiet} (late duplicates show up here). */
    void awaitQuiet(Duration quiet) {
        while (System.nanoTime() - lastMessageNanos < quiet.toNanos()) {
            sleep(200);
        }
    }

    /** What arrived compared with {@code expected}. */
    Result result(Set<String> expected) {
        long missing = expected.stream().filter(k -> !counts.containsKey(k)).count();
        long unexpected =
                counts.keySet().stream().filter(k -> !expected.contains(k)).count();
        long duplicated = counts.values().stream().filter(c -> c > 1).count();
        long extra = counts.values().stream().mapToLong(c -> c - 1).sum();
        long exactlyOnce =
                expected.stream().filter(k -> counts.getOrDefault(k, 0) == 1).count();
        return new Result(
                expected.size(),
                received,
                counts.size(),
                exactlyOnce,
                missing,
                duplicated,
                extra,
                unexpected,
                typeMismatches,
                receiveCalls,
                errors,
                maxQueueDepth);
    }

    record Result(
            long expected,
            long messages,
            long distinct,
            long exactlyOnce,
            long missing,
            long duplicatedKeys,
            long extraCopies,
            long unexpected,
            long typeMismatches,
            long receiveCalls,
            long errors,
            int maxQueueDepth) {}

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

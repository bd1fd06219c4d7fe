package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.SampleRuns;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Faults on the wire between the real SDK client and the emulator: a commit that DynamoDB applied
 * but whose response was lost is retried and recognised (the run's head is its last eventId), not
 * applied twice; one that never reached DynamoDB is simply written by the retry.
 */
class RetryIdempotenceIT {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    /** Fails the first {@code times} commits (PutItem of the run item) before sending or after the server applied them. */
    static final class LoseResponses implements ExecutionInterceptor {
        final AtomicInteger left;
        final AtomicInteger lost = new AtomicInteger();
        final Set<String> faulted = ConcurrentHashMap.newKeySet();
        final boolean beforeSending;

        LoseResponses(int times, boolean beforeSending) {
            this.left = new AtomicInteger(times);
            this.beforeSending = beforeSending;
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
            if (beforeSending) {
                maybeFail(context.request(), attrs, "connection refused before sending (injected)");
            }
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attrs) {
            if (!beforeSending) {
                maybeFail(context.request(), attrs, "connection reset after the request was sent (injected)");
            }
        }

        /** Fails each of the first commits once (every attempt of one commit carries the same head eventId). */
        private void maybeFail(SdkRequest request, ExecutionAttributes attrs, String what) {
            if ("PutItem".equals(attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                    && request instanceof PutItemRequest put
                    && faulted.add(put.item().get("headEventId").s())
                    && left.getAndDecrement() > 0) {
                lost.incrementAndGet();
                throw SdkClientException.builder()
                        .message(what)
                        .cause(new IOException(what))
                        .build();
            }
        }
    }

    @Test
    void aWriteWhoseResponseWasLostIsNotRepeated() throws Exception {
        LoseResponses fault = new LoseResponses(3, false);
        runAndCheck(fault, "lost-response");
        assertThat(fault.lost.get()).isEqualTo(3);
    }

    @Test
    void aWriteThatNeverArrivedIsWrittenByTheRetry() throws Exception {
        LoseResponses fault = new LoseResponses(3, true);
        runAndCheck(fault, "never-sent");
        assertThat(fault.lost.get()).isEqualTo(3);
    }

    private void runAndCheck(LoseResponses fault, String runId) throws Exception {
        try (DynamoDbAsyncClient plain = DynamoDbTestSupport.client(MOTO);
                DynamoDbAsyncClient faulty = DynamoDbTestSupport.client(MOTO, fault)) {
            String table = DynamoDbTestSupport.freshTable(plain);
            List<ProgressEvent> events = SampleRuns.upgrade(runId);
            DynamoDbStoreStats stats;
            try (DynamoDbProgressStore store = DynamoDbProgressStore.builder()
                    .client(faulty)
                    .config(DynamoDbTestSupport.noCoalescing(table))
                    .build()) {
                // One event at a time so that every injected fault hits a commit of its own.
                for (ProgressEvent e : events) {
                    store.append(e).toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
                stats = store.stats();
            }
            try (DynamoDbProgressStore reader = DynamoDbProgressStore.builder()
                    .client(plain)
                    .config(DynamoDbTestSupport.noCoalescing(table))
                    .build()) {
                List<ProgressEvent> stored =
                        reader.eventsSince(runId, 0, Integer.MAX_VALUE).orElseThrow();
                assertThat(stored)
                        .extracting(e -> e.eventId().toString())
                        .containsExactlyElementsOf(
                                events.stream().map(e -> e.eventId().toString()).toList());
                assertThat(reader.loadRun(runId).orElseThrow().lastSequence()).isEqualTo(events.size());
                long items = plain.query(q -> q.tableName(table)
                                .keyConditionExpression("pk = :pk")
                                .expressionAttributeValues(Map.of(
                                        ":pk",
                                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder()
                                                .s("RUN#" + runId)
                                                .build()))
                                .select("COUNT"))
                        .thenApply(r -> (long) r.count())
                        .get();
                assertThat(items).as("run item + one item per event").isEqualTo(1 + events.size());
            }
            assertThat(stats.eventsWritten()).isEqualTo(events.size());
            assertThat(stats.commits()).isEqualTo(events.size());
            if (!fault.beforeSending) {
                assertThat(stats.replaysRecognised())
                        .as("retries that found their write already applied")
                        .isEqualTo(3);
            } else {
                assertThat(stats.replaysRecognised()).isZero();
            }
            assertThat(stats.conflicts()).isZero();
        }
    }
}

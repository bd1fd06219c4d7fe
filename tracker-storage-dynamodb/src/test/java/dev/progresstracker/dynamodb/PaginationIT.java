package dev.progresstracker.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.test.SampleRuns;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A run of 10,000 events: {@code eventsSince} pages through it in order from any point, and
 * {@code deleteRun} removes it in BatchWriteItem calls of at most 25 even when DynamoDB hands back
 * unprocessed items (injected here: the emulator never does).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PaginationIT {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    private static final int EVENTS = 10_000;
    private static final ExecutionAttribute<List<WriteRequest>> HELD_BACK = new ExecutionAttribute<>("heldBack");

    /** Counts queries; withholds the last 5 requests of every third batch and reports them unprocessed. */
    static final class Wire implements ExecutionInterceptor {
        final AtomicInteger eventQueries = new AtomicInteger();
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final AtomicInteger unprocessedInjected = new AtomicInteger();
        final AtomicInteger batches = new AtomicInteger();

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attrs) {
            if (context.request() instanceof QueryRequest q
                    && q.keyConditionExpression().contains("BETWEEN")) {
                eventQueries.incrementAndGet();
            }
            if (context.request() instanceof BatchWriteItemRequest b) {
                String table = b.requestItems().keySet().iterator().next();
                List<WriteRequest> all = b.requestItems().get(table);
                batchSizes.add(all.size());
                if (batches.incrementAndGet() % 3 == 0 && all.size() > 5) {
                    attrs.putAttribute(HELD_BACK, List.copyOf(all.subList(all.size() - 5, all.size())));
                    unprocessedInjected.addAndGet(5);
                    return b.toBuilder()
                            .requestItems(Map.of(table, all.subList(0, all.size() - 5)))
                            .build();
                }
            }
            return context.request();
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attrs) {
            List<WriteRequest> held = attrs.getAttribute(HELD_BACK);
            if (held != null && context.response() instanceof BatchWriteItemResponse r) {
                String table = ((BatchWriteItemRequest) context.request())
                        .requestItems()
                        .keySet()
                        .iterator()
                        .next();
                return r.toBuilder().unprocessedItems(Map.of(table, held)).build();
            }
            return context.response();
        }
    }

    private static final Wire WIRE = new Wire();
    private static DynamoDbAsyncClient client;
    private static DynamoDbProgressStore store;
    private static List<ProgressEvent> events;

    @BeforeAll
    static void writeTenThousandEvents() {
        client = DynamoDbTestSupport.client(MOTO, WIRE);
        String table = DynamoDbTestSupport.freshTable(client);
        store = DynamoDbProgressStore.builder()
                .client(client)
                .config(DynamoDbTestSupport.noCoalescing(table))
                .build();
        events = SampleRuns.record("long", (t, c) -> {
            t.addTask("drain", "Drain", TaskType.UPGRADE_STEP, null);
            t.startUpgrade("data-plane");
            t.startTask("drain");
            for (int i = 1; i <= EVENTS - 3; i++) {
                t.updateTaskProgress("drain", i * 100.0 / EVENTS, "node " + i, null);
            }
        });
        assertThat(events).hasSize(EVENTS);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        events.forEach(e -> acks.add(store.append(e).toCompletableFuture()));
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    @AfterAll
    static void close() {
        store.close();
        client.close();
    }

    @Test
    @Order(1)
    void eventsSincePagesThroughAllTenThousandInOrder() {
        int before = WIRE.eventQueries.get();
        List<ProgressEvent> all =
                store.eventsSince("long", 0, Integer.MAX_VALUE).orElseThrow();
        assertThat(all)
                .extracting(ProgressEvent::sequence)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, EVENTS).boxed().toList());
        assertThat(all.get(EVENTS - 1).eventId())
                .isEqualTo(events.get(EVENTS - 1).eventId());
        assertThat(WIRE.eventQueries.get() - before).as("query pages").isGreaterThanOrEqualTo(EVENTS / 1000);

        assertThat(store.eventsSince("long", 4321, 1234).orElseThrow())
                .extracting(ProgressEvent::sequence)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(4322, 5555).boxed().toList());
        assertThat(store.eventsSince("long", EVENTS - 2, 100).orElseThrow()).hasSize(2);
        assertThat(store.eventsSince("long", EVENTS, 100)).contains(List.of());
    }

    @Test
    @Order(2)
    void deleteRunUsesBatchesOfAtMost25AndRetriesUnprocessedItems() {
        String table = store.tableName();
        assertThat(store.deleteRun("long")).isTrue();
        assertThat(WIRE.batchSizes).isNotEmpty().allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(25));
        assertThat(WIRE.unprocessedInjected.get()).isGreaterThan(0);
        int left = client.query(q -> q.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .select("COUNT")
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.builder().s("RUN#long").build())))
                .join()
                .count();
        assertThat(left).isZero();
        assertThat(store.loadRun("long")).isEmpty();
        assertThat(store.deleteRun("long")).isFalse();
    }
}

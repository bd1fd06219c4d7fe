package dev.progresstracker.eventbridge.internal;

import dev.progresstracker.eventbridge.EventBridgeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * The publisher's one call into the SDK: builds the {@code PutEvents} request of a batch, starts it
 * with the {@code apiCallTimeout}, and hands the answer or the error on. Called without the publisher's
 * monitor (the SDK marshals and signs on the calling thread); the outcome arrives on an SDK thread.
 */
final class PutEventsCaller {

    private final EventBridgeConfig config;
    private final EventBridgeAsyncClient client;

    PutEventsCaller(EventBridgeConfig config, EventBridgeAsyncClient client) {
        this.config = config;
        this.client = client;
    }

    /** Starts the call; {@code outcome} gets the response, or null and the error (also a timeout). */
    void call(List<PendingEntry> batch, BiConsumer<PutEventsResponse, Throwable> outcome) {
        List<PutEventsRequestEntry> entries = new ArrayList<>(batch.size());
        for (PendingEntry e : batch) {
            PutEventsRequestEntry.Builder b = PutEventsRequestEntry.builder()
                    .eventBusName(config.eventBusName())
                    .source(config.source())
                    .detailType(e.detailType)
                    .detail(e.detail())
                    .time(e.time);
            if (e.resource() != null) {
                b.resources(e.resource());
            }
            entries.add(b.build());
        }
        CompletableFuture<PutEventsResponse> call;
        try {
            call = client.putEvents(PutEventsRequest.builder().entries(entries).build());
        } catch (RuntimeException t) {
            call = CompletableFuture.failedFuture(t);
        }
        call.orTimeout(config.apiCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete(outcome);
    }
}

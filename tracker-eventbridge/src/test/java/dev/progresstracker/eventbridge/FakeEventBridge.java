package dev.progresstracker.eventbridge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * An in-memory EventBridge: accepts PutEvents, keeps every accepted entry in order, and lets a test
 * fail whole calls or single entries, or answer late or never.
 */
final class FakeEventBridge implements EventBridgeAsyncClient {

    /** Decides per entry: null = accept, else the error code. */
    interface EntryRule {
        String errorCode(PutEventsRequestEntry entry, int attemptOfThisEntry);
    }

    private final List<PutEventsRequestEntry> accepted = new ArrayList<>();
    private final List<List<PutEventsRequestEntry>> calls = new ArrayList<>();
    private final java.util.Map<String, Integer> attemptsByDetail = new java.util.HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-eventbridge");
        t.setDaemon(true);
        return t;
    });
    private volatile EntryRule entryRule = (e, n) -> null;
    private volatile Function<PutEventsRequest, Throwable> callFailure = r -> null;
    private volatile long latencyMillis;
    private volatile boolean hang;
    private final java.util.concurrent.atomic.AtomicInteger concurrent =
            new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxConcurrent =
            new java.util.concurrent.atomic.AtomicInteger();

    FakeEventBridge entryRule(EntryRule rule) {
        this.entryRule = rule;
        return this;
    }

    /** Non-null result: the whole call fails with it. */
    FakeEventBridge callFailure(Function<PutEventsRequest, Throwable> f) {
        this.callFailure = f;
        return this;
    }

    FakeEventBridge latency(long millis) {
        this.latencyMillis = millis;
        return this;
    }

    FakeEventBridge hang(boolean hang) {
        this.hang = hang;
        return this;
    }

    @Override
    public CompletableFuture<PutEventsResponse> putEvents(PutEventsRequest request) {
        if (request.entries().size() > 10) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("more than 10 entries"));
        }
        CompletableFuture<PutEventsResponse> f = new CompletableFuture<>();
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        f.whenComplete((r, t) -> concurrent.decrementAndGet());
        Runnable answer = () -> {
            try {
                f.complete(answer(request));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        };
        if (hang) {
            synchronized (this) {
                calls.add(request.entries());
            }
            return f;
        }
        if (latencyMillis > 0) {
            timer.schedule(answer, latencyMillis, TimeUnit.MILLISECONDS);
        } else {
            timer.execute(answer);
        }
        return f;
    }

    private synchronized PutEventsResponse answer(PutEventsRequest request) throws Throwable {
        calls.add(request.entries());
        Throwable t = callFailure.apply(request);
        if (t != null) {
            throw t;
        }
        List<PutEventsResultEntry> results = new ArrayList<>();
        int failed = 0;
        for (PutEventsRequestEntry e : request.entries()) {
            int n = attemptsByDetail.merge(e.detail(), 1, Integer::sum);
            String code = entryRule.errorCode(e, n);
            if (code == null) {
                accepted.add(e);
                results.add(PutEventsResultEntry.builder()
                        .eventId("id-" + accepted.size())
                        .build());
            } else {
                failed++;
                results.add(PutEventsResultEntry.builder()
                        .errorCode(code)
                        .errorMessage("injected " + code)
                        .build());
            }
        }
        return PutEventsResponse.builder()
                .entries(results)
                .failedEntryCount(failed)
                .build();
    }

    synchronized List<PutEventsRequestEntry> accepted() {
        return List.copyOf(accepted);
    }

    /** Most calls that were unanswered at the same time. */
    int maxConcurrentCalls() {
        return maxConcurrent.get();
    }

    synchronized List<List<PutEventsRequestEntry>> calls() {
        return List.copyOf(calls);
    }

    @Override
    public String serviceName() {
        return "events";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

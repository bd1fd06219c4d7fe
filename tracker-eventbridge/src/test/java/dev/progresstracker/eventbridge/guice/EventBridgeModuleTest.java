package dev.progresstracker.eventbridge.guice;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.guice.TrackerModule;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import dev.progresstracker.eventbridge.EventBridgeSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

class EventBridgeModuleTest {

    @TempDir
    Path dir;

    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final EventBridgeAsyncClient client = new EventBridgeAsyncClient() {
        @Override
        public CompletableFuture<PutEventsResponse> putEvents(PutEventsRequest r) {
            r.entries().forEach(e -> sent.add(e.detailType()));
            return CompletableFuture.completedFuture(PutEventsResponse.builder()
                    .failedEntryCount(0)
                    .entries(r.entries().stream()
                            .map(e ->
                                    PutEventsResultEntry.builder().eventId("x").build())
                            .toList())
                    .build());
        }

        @Override
        public String serviceName() {
            return "events";
        }

        @Override
        public void close() {}
    };

    private Injector injector(boolean enabled) {
        EventBridgeConfig config = EventBridgeConfig.builder()
                .enabled(enabled)
                .outboxDirectory(dir)
                .maxBatchDelay(Duration.ofMillis(10))
                .build();
        return Guice.createInjector(
                TrackerModule.forRun(TrackerConfig.defaults(), "guice-1", "p", "prod-eu"),
                new EventBridgeModule(config),
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(EventBridgeAsyncClient.class).toInstance(client);
                    }
                });
    }

    @Test
    void contributesTheSinkAndEventsReachTheClient() {
        Injector injector = injector(true);
        Set<EventSink> sinks = injector.getInstance(Key.get(new TypeLiteral<Set<EventSink>>() {}));
        assertThat(sinks).hasSize(1).first().isInstanceOf(EventBridgeSink.class);
        TrackerFactory factory = injector.getInstance(TrackerFactory.class);
        try {
            ProgressTracker t = injector.getInstance(ProgressTracker.class);
            t.startUpgrade("preflight");
            assertThat(t.flush(Duration.ofSeconds(5))).isTrue();
            t.close();
        } finally {
            factory.close();
        }
        assertThat(sent).containsExactly("upgrade.started");
    }

    @Test
    void disabledContributesNothing() {
        Set<EventSink> sinks = injector(false).getInstance(Key.get(new TypeLiteral<Set<EventSink>>() {}));
        assertThat(sinks).isEmpty();
    }

    @Test
    void withCloudWatchOnItAlsoContributesTheRunMetricsSink() {
        EventBridgeConfig config =
                EventBridgeConfig.builder().outboxDirectory(dir).build();
        dev.progresstracker.eventbridge.cloudwatch.CloudWatchConfig cloudWatch =
                dev.progresstracker.eventbridge.cloudwatch.CloudWatchConfig.builder()
                        .region("us-east-1")
                        .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
                        .build();
        Injector injector = Guice.createInjector(
                TrackerModule.forRun(TrackerConfig.defaults(), "guice-2", "p", "prod-eu"),
                new EventBridgeModule(config, cloudWatch),
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(EventBridgeAsyncClient.class).toInstance(client);
                        bind(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider.class)
                                .toInstance(
                                        software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create());
                    }
                });
        Set<EventSink> sinks = injector.getInstance(Key.get(new TypeLiteral<Set<EventSink>>() {}));
        assertThat(sinks)
                .hasSize(2)
                .hasAtLeastOneElementOfType(EventBridgeSink.class)
                .hasAtLeastOneElementOfType(dev.progresstracker.eventbridge.cloudwatch.RunMetricsSink.class);
        injector.getInstance(TrackerFactory.class).close();
    }
}

package dev.progresstracker.eventbridge.guice;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import dev.progresstracker.core.ProgressTracker;
import dev.progresstracker.core.TaskType;
import dev.progresstracker.core.TrackerConfig;
import dev.progresstracker.core.TrackerFactory;
import dev.progresstracker.core.guice.TrackerModule;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.core.spi.HealthCheck;
import dev.progresstracker.eventbridge.EventBridgeConfig;
import dev.progresstracker.eventbridge.EventBridgeSink;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchConfig;
import dev.progresstracker.eventbridge.cloudwatch.CloudWatchMetrics;
import dev.progresstracker.eventbridge.cloudwatch.RunMetricsSink;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import dev.progresstracker.test.aws.EventBridgeToSqs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.Metric;

/**
 * Each output on or off by its own config, through Guice, against the emulators: CloudWatch
 * (ministack) with EventBridge off, and EventBridge (moto) with CloudWatch off.
 */
class OutputsOnTheirOwnIT {

    @RegisterExtension
    static final AwsEmulatorExtension MINISTACK = AwsEmulatorExtension.ministack();

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    @TempDir
    Path dir;

    private Injector injector(String runId, Module... outputs) {
        Module credentials = new AbstractModule() {
            @Override
            protected void configure() {
                bind(AwsCredentialsProvider.class)
                        .toInstance(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
            }
        };
        List<Module> modules = new java.util.ArrayList<>(
                List.of(TrackerModule.forRun(TrackerConfig.defaults(), runId, "plan-1", "prod-eu"), credentials));
        modules.addAll(List.of(outputs));
        return Guice.createInjector(modules);
    }

    private static void runAndClose(Injector injector) {
        // Closing the factory closes the tracker and its sinks: the final metrics publish happens here.
        try (TrackerFactory factory = injector.getInstance(TrackerFactory.class)) {
            ProgressTracker t = injector.getInstance(ProgressTracker.class);
            assertThat(factory).as("the injector's factory").isNotNull();
            t.addTask("a", "A", TaskType.UPGRADE_STEP, null);
            t.startUpgrade("control-plane");
            t.startTask("a");
            t.completeTask("a");
            t.completeUpgrade();
            assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
            t.close();
        }
    }

    private static Set<EventSink> sinks(Injector injector) {
        return injector.getInstance(Key.get(new TypeLiteral<Set<EventSink>>() {}));
    }

    private static List<Metric> metrics(String namespace) {
        try (CloudWatchAsyncClient cw = CloudWatchAsyncClient.builder()
                .endpointOverride(MINISTACK.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            return cw.listMetrics(b -> b.namespace(namespace)).join().metrics();
        }
    }

    private CloudWatchConfig cloudWatch(boolean enabled, String namespace) {
        return CloudWatchConfig.builder()
                .enabled(enabled)
                .namespace(namespace)
                .region("us-east-1")
                .endpointOverride(MINISTACK.endpoint())
                .build();
    }

    private EventBridgeConfig eventBridge(boolean enabled, String bus) {
        return EventBridgeConfig.builder()
                .enabled(enabled)
                .eventBusName(bus)
                .region("us-east-1")
                .endpointOverride(MOTO.endpoint())
                .outboxDirectory(dir.resolve("outbox"))
                .maxBatchDelay(Duration.ofMillis(20))
                .build();
    }

    @Test
    void cloudWatchOnWithEventBridgeOff() {
        Injector injector = injector(
                "cw-only-1",
                new CloudWatchModule(cloudWatch(true, "CloudWatchOnlyIT")),
                new EventBridgeModule(eventBridge(false, "unused")));
        assertThat(sinks(injector)).singleElement().isInstanceOf(RunMetricsSink.class);
        assertThat(injector.getInstance(Key.get(new TypeLiteral<Set<HealthCheck>>() {})))
                .singleElement()
                .isInstanceOf(CloudWatchMetrics.class);
        runAndClose(injector);

        CloudWatchMetrics.Stats stats =
                injector.getInstance(CloudWatchMetrics.class).stats();
        assertThat(stats.dataPoints()).isPositive();
        assertThat(stats.failedCalls()).isZero();
        assertThat(metrics("CloudWatchOnlyIT"))
                .extracting(Metric::metricName)
                .contains("TasksCompleted", "RunPercent")
                .doesNotContain("PublishLagP99", "OutboxDepth");
    }

    @Test
    void eventBridgeOnWithCloudWatchOff() throws Exception {
        try (EventBridgeToSqs bus = EventBridgeToSqs.on(MOTO, "eb-only-bus")) {
            Injector injector = injector(
                    "eb-only-1",
                    new EventBridgeModule(eventBridge(true, "eb-only-bus")),
                    new CloudWatchModule(cloudWatch(false, "EventBridgeOnlyIT")));
            assertThat(sinks(injector)).singleElement().isInstanceOf(EventBridgeSink.class);
            assertThat(injector.getInstance(Key.get(new TypeLiteral<Optional<CloudWatchMetrics>>() {})))
                    .isEmpty();
            runAndClose(injector);

            long published = injector.getInstance(EventBridgeSink.class).stats().published();
            assertThat(published).as("upgrade.started .. upgrade.completed").isGreaterThanOrEqualTo(5);
            assertThat(bus.awaitEvents(events -> events.size() >= published)).hasSize((int) published);
            assertThat(metrics("EventBridgeOnlyIT"))
                    .as("nothing reached CloudWatch")
                    .isEmpty();
        }
    }

    @Test
    void bothModulesTogetherPublishTheEventBridgeFiguresThroughCloudWatch() throws Exception {
        try (EventBridgeToSqs bus = EventBridgeToSqs.on(MOTO, "both-bus")) {
            Injector injector =
                    injector("both-1", new EventBridgeModule(eventBridge(true, bus.bus), cloudWatch(true, "BothIT")));
            assertThat(sinks(injector)).hasSize(2);
            runAndClose(injector);
            assertThat(metrics("BothIT"))
                    .extracting(Metric::metricName)
                    .contains("TasksCompleted", "PublishLagP99", "OutboxDepth");
        }
    }
}

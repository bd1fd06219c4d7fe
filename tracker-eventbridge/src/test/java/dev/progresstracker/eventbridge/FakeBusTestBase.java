package dev.progresstracker.eventbridge;

import dev.progresstracker.core.event.ProgressEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the sink tests against {@link FakeEventBridge}: an outbox in a temporary directory, short
 * batch and backoff settings, one meter registry, and every sink built here closed after the test.
 */
abstract class FakeBusTestBase {

    @TempDir
    Path dir;

    final FakeEventBridge fake = new FakeEventBridge();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<EventBridgeSink> sinks = new ArrayList<>();

    @AfterEach
    void closeSinksAndFake() throws Exception {
        for (EventBridgeSink s : sinks) {
            s.close();
        }
        fake.close();
    }

    EventBridgeConfig.Builder config() {
        return EventBridgeConfig.builder()
                .eventBusName("tracker-bus")
                .outboxDirectory(dir.resolve("outbox"))
                .maxBatchDelay(Duration.ofMillis(20))
                .progressMinInterval(Duration.ZERO)
                .initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(50))
                .spillAfter(Duration.ofMillis(200))
                .apiCallTimeout(Duration.ofSeconds(2));
    }

    EventBridgeSink sink(EventBridgeConfig c, Clock clock) {
        EventBridgeSink s = EventBridgeSink.builder(c)
                .client(fake)
                .meterRegistry(registry)
                .clock(clock)
                .build();
        sinks.add(s);
        return s;
    }

    /** A sink on the system UTC clock (the builder's default). */
    EventBridgeSink sink(EventBridgeConfig c) {
        return sink(c, Clock.systemUTC());
    }

    static void publishAll(EventBridgeSink sink, List<ProgressEvent> events) throws Exception {
        for (ProgressEvent e : events) {
            sink.publish(e);
        }
    }

    /** {@link #publishAll}, then waits up to 5 s for the sink to hand everything on. */
    static void publishAndFlush(EventBridgeSink sink, List<ProgressEvent> events) throws Exception {
        publishAll(sink, events);
        sink.flush(Duration.ofSeconds(5));
    }
}

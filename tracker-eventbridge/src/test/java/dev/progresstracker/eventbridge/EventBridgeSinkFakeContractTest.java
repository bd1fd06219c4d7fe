package dev.progresstracker.eventbridge;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.json.WireFormat;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.test.EventSinkContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared sink contract against {@link FakeEventBridge}, in every build: delivered() = the
 * entries the fake accepted. ({@link EventBridgeSinkContractIT} runs the same cases on moto.)
 */
class EventBridgeSinkFakeContractTest extends EventSinkContract {

    @TempDir
    Path dir;

    private final Map<EventSink, FakeEventBridge> fakes = new IdentityHashMap<>();

    @Override
    protected EventSink createSink() {
        FakeEventBridge fake = new FakeEventBridge();
        EventBridgeConfig config = EventBridgeConfig.builder()
                .eventBusName("tracker-bus")
                .outboxDirectory(dir.resolve("outbox-" + fakes.size()))
                .maxBatchDelay(Duration.ofMillis(20))
                .progressMinInterval(Duration.ZERO)
                .initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(50))
                .build();
        EventBridgeSink sink = EventBridgeSink.builder(config).client(fake).build();
        fakes.put(sink, fake);
        return sink;
    }

    @Override
    protected List<ProgressEvent> delivered(EventSink sink) {
        return fakes.get(sink).accepted().stream()
                .map(e -> WireFormat.fromJson(e.detail()))
                .toList();
    }

    @AfterEach
    void closeFakes() {
        fakes.values().forEach(FakeEventBridge::close);
    }
}

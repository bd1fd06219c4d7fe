package dev.progresstracker.eventbridge;

import dev.progresstracker.core.event.ProgressEvent;
import dev.progresstracker.core.spi.EventSink;
import dev.progresstracker.test.EventSinkContract;
import dev.progresstracker.test.aws.AwsEmulatorExtension;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shared sink contract, with delivered() = what a rule routed to an SQS queue on moto. */
class EventBridgeSinkContractIT extends EventSinkContract {

    @RegisterExtension
    static final AwsEmulatorExtension MOTO = AwsEmulatorExtension.moto();

    private static final AtomicInteger BUSES = new AtomicInteger();

    @TempDir
    Path dir;

    private final Map<EventSink, EventBridgeFixture> fixtures = new IdentityHashMap<>();

    @Override
    protected EventSink createSink() {
        EventBridgeFixture fx = EventBridgeFixture.on(MOTO, "contract-" + BUSES.incrementAndGet());
        EventBridgeSink sink = EventBridgeSink.builder(fx.sinkConfig(MOTO.endpoint(), dir.resolve("outbox-" + fx.bus))
                        .build())
                .client(fx.sinkClient(MOTO.endpoint()))
                .build();
        fixtures.put(sink, fx);
        return sink;
    }

    @Override
    protected List<ProgressEvent> delivered(EventSink sink) {
        return fixtures.get(sink).events();
    }

    @AfterEach
    void closeFixtures() {
        fixtures.values().forEach(EventBridgeFixture::close);
    }
}

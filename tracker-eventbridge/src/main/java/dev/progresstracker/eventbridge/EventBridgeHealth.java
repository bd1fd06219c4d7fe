package dev.progresstracker.eventbridge;

import dev.progresstracker.core.spi.HealthCheck;
import dev.progresstracker.core.spi.OutputHealth;
import java.util.Objects;

/**
 * The health of an {@link EventBridgeSink} from its {@link EventBridgeSink#stats()}: UP while it
 * publishes directly with an empty outbox; DEGRADED while it spills to the outbox or drains it
 * (nothing is lost, events are late) or after it dead-lettered entries. Never DOWN: the sink
 * never stops taking events.
 */
public final class EventBridgeHealth {

    private EventBridgeHealth() {}

    public static HealthCheck of(EventBridgeSink sink) {
        Objects.requireNonNull(sink, "sink must not be null");
        return () -> {
            EventBridgeSink.Stats s = sink.stats();
            String counts = s.published() + " accepted in " + s.requests() + " PutEvents calls";
            if ("SPILL_PENDING".equals(s.mode())) {
                return OutputHealth.degraded(
                        "eventbridge",
                        "calls failing, about to spill to the outbox; " + s.buffered() + " events in memory; "
                                + counts);
            }
            if (!"DIRECT".equals(s.mode())) {
                return OutputHealth.degraded(
                        "eventbridge",
                        "spilling (" + s.mode() + "): " + s.outboxDepth()
                                + " events safe in the outbox, sent when EventBridge answers; " + counts);
            }
            if (s.outboxDepth() > 0) {
                return OutputHealth.degraded(
                        "eventbridge", "draining the outbox: " + s.outboxDepth() + " events left; " + counts);
            }
            if (s.failed() > 0) {
                return OutputHealth.degraded("eventbridge", s.failed() + " entries dead-lettered; " + counts);
            }
            return OutputHealth.up("eventbridge", "publishing; " + counts);
        };
    }
}

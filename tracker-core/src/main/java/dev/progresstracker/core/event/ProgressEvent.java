package dev.progresstracker.core.event;

import dev.progresstracker.core.RunView;
import java.time.Instant;
import java.util.UUID;

/**
 * One change of a run. The single event model of the library: stores, EventBridge, callbacks and
 * WebSocket all consume these records and the same wire JSON
 * ({@link dev.progresstracker.core.json.WireFormat}).
 */
public sealed interface ProgressEvent permits RunEvent, TaskEvent, AlertEvent {

    EventHeader header();

    /** The run's progress right after this change. */
    RunView run();

    EventType type();

    default UUID eventId() {
        return header().eventId();
    }

    default String runId() {
        return header().runId();
    }

    default long sequence() {
        return header().sequence();
    }

    default Instant time() {
        return header().time();
    }

    /** How the delivery path that handed this event over got it here; null before delivery (see {@link Delivery}). */
    default Delivery delivery() {
        return header().delivery();
    }

    /** This event with {@code delivery} in its header; everything else the same. */
    default ProgressEvent withDelivery(Delivery delivery) {
        EventHeader h = header().withDelivery(delivery);
        if (this instanceof TaskEvent te) {
            return TaskEvent.of(type(), h, run(), te.task());
        }
        if (this instanceof AlertEvent.AlertRaised a) {
            return new AlertEvent.AlertRaised(h, run(), a.alert());
        }
        if (this instanceof AlertEvent.AlertCleared a) {
            return new AlertEvent.AlertCleared(h, run(), a.alert());
        }
        if (this instanceof RunEvent.UpgradeStarted e) {
            return new RunEvent.UpgradeStarted(h, run(), e.attributes());
        }
        if (this instanceof RunEvent.UpgradeCompleted) {
            return new RunEvent.UpgradeCompleted(h, run());
        }
        if (this instanceof RunEvent.UpgradeFailed e) {
            return new RunEvent.UpgradeFailed(h, run(), e.message());
        }
        if (this instanceof RunEvent.UpgradeCancelled e) {
            return new RunEvent.UpgradeCancelled(h, run(), e.reason());
        }
        if (this instanceof RunEvent.PhaseChanged e) {
            return new RunEvent.PhaseChanged(h, run(), e.previousPhase());
        }
        throw new IllegalStateException("unknown event record " + getClass().getName());
    }
}

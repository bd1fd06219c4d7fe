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
}

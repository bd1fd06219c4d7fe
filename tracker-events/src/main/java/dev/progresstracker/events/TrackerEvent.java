package dev.progresstracker.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One event the tracker published, as {@link TrackerEvents} reads it: a {@link RunEvent}, a
 * {@link TaskEvent}, an {@link AlertEvent}, or an {@link UnknownEvent} for a detail-type this version
 * does not know. Records are immutable and compare by value; on Java 21 switch over them with
 * patterns, on 17 test with {@code instanceof}:
 *
 * <pre>{@code
 * TrackerEvent event = TrackerEvents.read(json);
 * if (event instanceof TaskEvent.TaskFailed f) {
 *     page(f.task().taskId(), f.task().message());
 * } else if (event instanceof RunEvent.UpgradeCompleted c) {
 *     announce(c.header().clusterName());
 * }
 * }</pre>
 */
public sealed interface TrackerEvent permits RunEvent, TaskEvent, AlertEvent, UnknownEvent {

    /** The fields every event carries. */
    EventHeader header();

    /** The run as it is after the event. */
    Run run();

    /** The wire name of the detail-type, e.g. {@code task.failed}. */
    String detailType();

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

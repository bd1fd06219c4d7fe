package dev.progresstracker.core.event;

import dev.progresstracker.core.Alert;
import dev.progresstracker.core.RunView;

/** {@code alert.raised} / {@code alert.cleared}. */
public sealed interface AlertEvent extends ProgressEvent {

    Alert alert();

    record AlertRaised(EventHeader header, RunView run, Alert alert) implements AlertEvent {
        @Override
        public EventType type() {
            return EventType.ALERT_RAISED;
        }
    }

    record AlertCleared(EventHeader header, RunView run, Alert alert) implements AlertEvent {
        @Override
        public EventType type() {
            return EventType.ALERT_CLEARED;
        }
    }
}

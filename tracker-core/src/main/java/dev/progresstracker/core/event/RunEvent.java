package dev.progresstracker.core.event;

import dev.progresstracker.core.RunView;
import java.util.Map;

/** An event about the run as a whole. */
public sealed interface RunEvent extends ProgressEvent {

    /** {@code upgrade.started}; {@code attributes} are the run's free-form attributes. */
    record UpgradeStarted(EventHeader header, RunView run, Map<String, String> attributes) implements RunEvent {
        public UpgradeStarted {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        @Override
        public EventType type() {
            return EventType.UPGRADE_STARTED;
        }
    }

    /** {@code upgrade.completed}. */
    record UpgradeCompleted(EventHeader header, RunView run) implements RunEvent {
        @Override
        public EventType type() {
            return EventType.UPGRADE_COMPLETED;
        }
    }

    /** {@code upgrade.failed} with the caller's message. */
    record UpgradeFailed(EventHeader header, RunView run, String message) implements RunEvent {
        @Override
        public EventType type() {
            return EventType.UPGRADE_FAILED;
        }
    }

    /** {@code upgrade.cancelled} with the caller's reason. */
    record UpgradeCancelled(EventHeader header, RunView run, String reason) implements RunEvent {
        @Override
        public EventType type() {
            return EventType.UPGRADE_CANCELLED;
        }
    }

    /** {@code upgrade.phase_changed}; the new phase is {@code run().phase()}. */
    record PhaseChanged(EventHeader header, RunView run, String previousPhase) implements RunEvent {
        @Override
        public EventType type() {
            return EventType.PHASE_CHANGED;
        }
    }
}

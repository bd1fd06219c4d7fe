package dev.progresstracker.events;

import java.util.Map;

/** Events of the run as a whole. */
public sealed interface RunEvent extends TrackerEvent {

    /** {@code upgrade.started}: the run started in {@code run().phase()}; {@code attributes} as the agent passed them. */
    record UpgradeStarted(EventHeader header, Run run, Map<String, String> attributes) implements RunEvent {
        public UpgradeStarted {
            Parts.require(header, run);
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        @Override
        public String detailType() {
            return DetailType.UPGRADE_STARTED.wireName();
        }
    }

    /** {@code upgrade.completed}. */
    record UpgradeCompleted(EventHeader header, Run run) implements RunEvent {
        public UpgradeCompleted {
            Parts.require(header, run);
        }

        @Override
        public String detailType() {
            return DetailType.UPGRADE_COMPLETED.wireName();
        }
    }

    /** {@code upgrade.failed}: {@code message} says why, or is null. */
    record UpgradeFailed(EventHeader header, Run run, String message) implements RunEvent {
        public UpgradeFailed {
            Parts.require(header, run);
        }

        @Override
        public String detailType() {
            return DetailType.UPGRADE_FAILED.wireName();
        }
    }

    /** {@code upgrade.cancelled}: {@code reason} as the agent gave it, or null. */
    record UpgradeCancelled(EventHeader header, Run run, String reason) implements RunEvent {
        public UpgradeCancelled {
            Parts.require(header, run);
        }

        @Override
        public String detailType() {
            return DetailType.UPGRADE_CANCELLED.wireName();
        }
    }

    /** {@code upgrade.phase_changed}: from {@code previousPhase} (null if none) to {@code run().phase()}. */
    record PhaseChanged(EventHeader header, Run run, String previousPhase) implements RunEvent {
        public PhaseChanged {
            Parts.require(header, run);
        }

        @Override
        public String detailType() {
            return DetailType.PHASE_CHANGED.wireName();
        }
    }
}

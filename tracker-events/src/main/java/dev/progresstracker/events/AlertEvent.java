package dev.progresstracker.events;

/** Alerts raised and cleared by the producer's analytics rules or by the agent. */
public sealed interface AlertEvent extends TrackerEvent {

    Alert alert();

    /** {@code alert.raised}: one raise per {@code alertId} until it is cleared. */
    record AlertRaised(EventHeader header, Run run, Alert alert) implements AlertEvent {
        public AlertRaised {
            Parts.require(header, run, alert, "alert");
        }

        @Override
        public String detailType() {
            return DetailType.ALERT_RAISED.wireName();
        }
    }

    /** {@code alert.cleared}: carries the alert as it was raised. */
    record AlertCleared(EventHeader header, Run run, Alert alert) implements AlertEvent {
        public AlertCleared {
            Parts.require(header, run, alert, "alert");
        }

        @Override
        public String detailType() {
            return DetailType.ALERT_CLEARED.wireName();
        }
    }
}
